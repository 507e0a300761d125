// ProposeMultistage: `whittle fix --suggest-multistage`. Proposals for
// splitting a single shipping stage into a builder and a runtime, printed
// as Dockerfile sketches clearly labelled as proposals. They are never
// applied: a multi-stage split changes what the image contains, and only
// the author knows which files the program needs at run time.
//
// Four common cases, each found from the same rule facts the linter uses
// (shipping stages only; WS004's toolchain packages, WS005's slim bases):
//   python-wheels   pip install with a compiler or -dev headers installed
//                   (or a full python base): build wheels, ship a slim base
//   go-static       go build: a static binary (CGO_ENABLED=0) on
//                   distroless/static or scratch
//   node-prod-deps  npm ci/install that keeps devDependencies: build with
//                   them, ship `npm ci --omit=dev` and the build output
//   c-build         make/cmake/gcc with a toolchain installed: build and
//                   `make install DESTDIR=/out`, copy /out into a slim base
// A stage that already copies from a builder (`COPY --from=`) gets none.
#ifndef WHITTLE_FIX_MULTISTAGE_H_
#define WHITTLE_FIX_MULTISTAGE_H_

#include <string>
#include <vector>

#include "lint/rules/context.h"

namespace whittle::fix {

struct MultistageProposal {
  std::string kind;        // "python-wheels", "go-static", "node-prod-deps", "c-build"
  int line = 0;            // the RUN that prompted it
  std::string title;       // one line
  std::string sketch;      // Dockerfile text, every line starting "FROM", "RUN"... or "# "
};

/// Proposals for the target stage of |ctx|, in line order.
std::vector<MultistageProposal> ProposeMultistage(const lint::RuleContext& ctx);

/// The human text: a banner saying these are proposals, then each one.
std::string FormatProposals(const std::vector<MultistageProposal>& proposals, const std::string& path);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_MULTISTAGE_H_
