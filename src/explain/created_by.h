// CreatedBy: one image config history entry's `created_by`, taken apart into
// the Dockerfile instruction it records.
//
// Builders record instructions in different forms (all seen in real images,
// see tests/data/explain/README.md):
//
//   classic builder   /bin/sh -c #(nop)  ENV A=1          (nop instructions)
//                     /bin/sh -c #(nop) COPY dir:<hash> in /app
//                     /bin/sh -c apt-get update           (RUN, shell form)
//                     |2 A=1 B=2 /bin/sh -c make          (RUN with build args)
//                     /bin/busybox --install -s /bin      (RUN, exec form: no wrapper)
//                     /bin/sh -e -c #(nop) ...            (after SHELL: its words)
//   buildah           as classic, but exec-form RUN is `/bin/sh -c ["a", "b"]`,
//                     nop instructions keep the Dockerfile text
//                     (`WORKDIR $APP_HOME`), and the comment is "FROM <image>"
//   BuildKit          RUN |1 A=1 /bin/sh -c make # buildkit
//                     COPY src /dst # buildkit            (sources as written)
//                     EXPOSE map[8080/tcp:{}], CMD ["a" "b"], VOLUME [/data]
//                     (Go fmt renderings), comment "buildkit.dockerfile.v0"
//   kaniko            RUN mkdir -p /x, ADD README.md /f   (the Dockerfile text)
//
// What it is not: a judgement of which Dockerfile line an entry came from
// (instruction_forms.h compares an entry with an instruction; history_match.h
// aligns the whole history).
#ifndef WHITTLE_EXPLAIN_CREATED_BY_H_
#define WHITTLE_EXPLAIN_CREATED_BY_H_

#include <string>
#include <string_view>
#include <vector>

#include "image/image.h"
#include "lint/ast.h"

namespace whittle::explain {

/// The builder that wrote a history entry, as far as its text and comment
/// tell. A guess: the forms overlap (buildah writes classic-style text).
enum class Producer {
  kUnknown,   // empty, or text in none of the forms above
  kClassic,   // "/bin/sh -c #(nop) ..." / shell-wrapped RUN, no buildah comment
  kBuildKit,  // comment "buildkit.dockerfile.v0" or a " # buildkit" suffix
  kBuildah,   // classic-style text with a "FROM <image>" comment
  kKaniko,    // "KEYWORD args" with no BuildKit mark (kaniko and similar)
};

/// "unknown", "classic builder", "BuildKit", "buildah", "kaniko".
const char* ProducerName(Producer producer);

struct CreatedBy {
  /// The recorded instruction; kUnknown when the text is none of the known
  /// forms (`docker commit`, `docker import`, other tools) or a classic
  /// exec-form RUN, which has no wrapper to recognise it by (see |raw|).
  lint::InstructionKind kind = lint::InstructionKind::kUnknown;
  std::string keyword;  // upper-case keyword of |kind|; "" for kUnknown
  /// The arguments with the builder's wrapping removed ("#(nop)", shell,
  /// build-arg prefix, " # buildkit") and whitespace runs collapsed to one
  /// space. RUN: the command ("apt-get update"; buildah's exec-form JSON
  /// array joined by spaces). Others: the text after the keyword as
  /// recorded ("dir:<hash> in /app", "map[8080/tcp:{}]").
  std::string args;
  /// RUN (and kUnknown): the recorded text after the keyword, collapsed,
  /// with the build-arg prefix and shell words still in
  /// ("|1 A=1 /bin/sh -c make"). Matching compares instruction commands
  /// with its end, which is exact even when a build-arg value has spaces.
  std::string raw;
  /// RUN: the shell words recognised ("/bin/sh -c", "/bin/sh -e -c"); ""
  /// when none (exec form, kaniko).
  std::string shell;
  /// RUN: "K=V" pairs of a "|N K=V..." prefix, in recorded order. Values
  /// with spaces are split at best effort.
  std::vector<std::string> build_args;
  /// RUN: the command was recorded as an exec-form JSON array (buildah).
  bool exec_json = false;
  /// COPY/ADD in the classic/buildah form "<kind>:<hash> in <dest>": the
  /// sources are content hashes, only the destination can be compared.
  bool hashed_sources = false;
  /// COPY/ADD: sources as recorded (BuildKit, kaniko); empty when hashed.
  std::vector<std::string> copy_sources;
  /// COPY/ADD: the destination as recorded; "" when not found.
  std::string copy_dest;
  Producer producer = Producer::kUnknown;
};

/// Parses one history entry (created_by plus comment, which tells BuildKit
/// and buildah apart from the classic builder). Never fails: text in no
/// known form gives kind kUnknown with |raw| and |args| set to it.
CreatedBy ParseCreatedBy(const HistoryEntry& entry);

/// Parses a bracketed list of strings as builders print them: JSON
/// (`["a", "b"]`), Go %q (`["a" "b"]`) or Go %v (`[a b]`, split at spaces).
/// Returns false when |text| is not one bracketed list.
bool ParseBracketList(std::string_view text, std::vector<std::string>* out);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_CREATED_BY_H_
