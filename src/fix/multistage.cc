#include "fix/multistage.h"

#include <algorithm>

#include "lint/rules/command_match.h"
#include "lint/rules/image_facts.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

using lint::Command;
using lint::Instruction;
using lint::InstructionKind;

// The instructions of the target stage and the stages it is built FROM,
// in build order (FROM lines excluded).
std::vector<size_t> ShippingInstructions(const lint::RuleContext& ctx) {
  std::vector<size_t> out;
  if (ctx.df().stages.empty()) return out;
  std::vector<const lint::Stage*> chain;
  for (const lint::Stage* s = &ctx.df().stages[ctx.target_stage()]; s != nullptr; s = ctx.ParentStage(*s)) {
    chain.push_back(s);
  }
  std::reverse(chain.begin(), chain.end());
  for (const lint::Stage* s : chain) {
    for (size_t i = s->from_instruction + 1; i < s->end_instruction; ++i) out.push_back(i);
  }
  return out;
}

std::string Verbatim(const lint::RuleContext& ctx, size_t i) {
  const Instruction& x = ctx.df().instructions[i];
  std::string_view t = ctx.df().text;
  if (x.range.end_offset > t.size() || x.range.begin_offset > x.range.end_offset) return x.keyword + " " + x.line;
  return std::string(t.substr(x.range.begin_offset, x.range.end_offset - x.range.begin_offset));
}

bool InstallsToolchain(const lint::RunFacts& run) {
  for (const Command& c : run.commands) {
    if (!lint::IsPackageInstall(c)) continue;
    for (std::string_view p : lint::PackageArgs(c)) {
      if (lint::IsToolchainPackage(lint::PackageName(p))) return true;
    }
  }
  return false;
}

bool IsCBuild(const Command& c) {
  return lint::IsCommand(c, {"make", "cmake", "ninja", "gcc", "g++", "cc", "c++", "clang", "clang++", "configure"});
}

std::string Join(const std::vector<std::string_view>& words, size_t from) {
  std::string out;
  for (size_t k = from; k < words.size(); ++k) {
    std::string w(words[k]);
    bool plain = !w.empty() && w.find_first_of(" \t'\"$`\\;&|<>()*?[]#~") == std::string::npos;
    out += (out.empty() ? "" : " ") + (plain ? w : "'" + w + "'");
  }
  return out;
}

struct Facts {
  const lint::RuleContext& ctx;
  std::vector<size_t> shipping;
  std::vector<size_t> toolchain_runs;  // RUNs installing a compiler or headers
  std::string root;                    // the base image, "" if unknown
  std::string runtime;                 // a slimmer runtime base, or root
  std::string runtime_note;            // why / what to pick, for a comment
};

// COPY/ADD lines before |upto| in the shipping instructions, verbatim.
std::string CopiesBefore(const Facts& f, size_t upto) {
  std::string out;
  for (size_t i : f.shipping) {
    if (i >= upto) break;
    const Instruction& x = f.ctx.df().instructions[i];
    if ((x.kind == InstructionKind::kCopy || x.kind == InstructionKind::kAdd || x.kind == InstructionKind::kWorkdir) &&
        x.FindFlag("from") == nullptr) {
      out += Verbatim(f.ctx, i) + "\n";
    }
  }
  return out;
}

// The package-manager RUNs before |upto| (index updates and installs, the
// toolchain among them), verbatim: the builder needs them all.
std::string SetupRuns(const Facts& f, size_t upto) {
  std::string out;
  for (size_t i : f.shipping) {
    if (i >= upto) break;
    const lint::RunFacts* run = f.ctx.Run(i);
    if (run == nullptr || !run->certain) continue;
    for (const Command& c : run->commands) {
      if (lint::IsPackageInstall(c) || lint::IsAptUpdate(c)) {
        out += Verbatim(f.ctx, i) + "\n";
        break;
      }
    }
  }
  return out;
}

std::string RuntimeFrom(const Facts& f) {
  std::string out = "FROM " + f.runtime + "\n";
  if (!f.runtime_note.empty()) out += "# " + f.runtime_note + "\n";
  return out;
}

std::optional<MultistageProposal> PythonWheels(const Facts& f) {
  for (size_t i : f.shipping) {
    const lint::RunFacts* run = f.ctx.Run(i);
    if (run == nullptr || !run->certain) continue;
    for (const Command& c : run->commands) {
      if (!lint::IsPip(c) || lint::ToolSubcommand(c) != "install") continue;
      if (f.toolchain_runs.empty() && f.runtime == f.root) return std::nullopt;  // nothing to leave behind
      std::string_view sub = lint::ToolSubcommand(c);
      size_t k = 0;
      while (k < c.argv.size() && c.argv[k].data() != sub.data()) ++k;
      std::vector<std::string_view> args;
      bool system = false;
      for (size_t j = k + 1; j < c.argv.size(); ++j) {
        std::string_view a = c.argv[j];
        if (a == "--break-system-packages") {
          system = true;
          continue;
        }
        if (a == "--user" || a == "-U" || a == "--upgrade" || a == "--no-cache-dir" || a == "--force-reinstall" ||
            StartsWith(a, "--root") || StartsWith(a, "--prefix") || StartsWith(a, "--target")) {
          continue;
        }
        args.push_back(a);
      }
      std::string pip = std::string(c.argv[0]) == "pip" || StartsWith(c.argv[0], "pip3") ? std::string(c.argv[0])
                                                                                           : std::string(c.argv[0]) + " -m pip";
      MultistageProposal p;
      p.kind = "python-wheels";
      p.line = f.ctx.df().instructions[i].start_line();
      p.title = "build the wheels in a builder stage; the runtime gets no compilers or headers";
      p.sketch = "FROM " + f.root + " AS build\n" + SetupRuns(f, i) + CopiesBefore(f, i) + "RUN " + pip +
                 " wheel --no-cache-dir --wheel-dir /wheels " + Join(args, 0) + "\n\n" + RuntimeFrom(f) +
                 "COPY --from=build /wheels /wheels\nRUN " + pip + " install --no-cache-dir --no-index" +
                 (system ? " --break-system-packages" : "") + " /wheels/*.whl && rm -rf /wheels\n" +
                 "# ...then the rest of the stage, without the toolchain and the pip install\n";
      return p;
    }
  }
  return std::nullopt;
}

std::optional<MultistageProposal> GoStatic(const Facts& f) {
  for (size_t i : f.shipping) {
    const lint::RunFacts* run = f.ctx.Run(i);
    if (run == nullptr || !run->certain) continue;
    for (const Command& c : run->commands) {
      if (!lint::IsCommand(c, {"go"}) || lint::Subcommand(c) != "build") continue;
      std::string out = "/out/app";
      if (auto o = lint::FlagValue(c, "o", 'o')) out = std::string(*o);
      std::vector<std::string_view> rest;
      for (size_t j = 2; j < c.argv.size(); ++j) {
        std::string_view a = c.argv[j];
        if (a == "-o") {
          ++j;
          continue;
        }
        if (StartsWith(a, "-o")) continue;
        rest.push_back(a);
      }
      std::string name = out.substr(out.rfind('/') + 1);
      MultistageProposal p;
      p.kind = "go-static";
      p.line = f.ctx.df().instructions[i].start_line();
      p.title = "build a static Go binary in a builder stage and ship it alone";
      p.sketch = "FROM " + f.root + " AS build\nWORKDIR /src\n" + CopiesBefore(f, i) +
                 "RUN CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o /out/" + name +
                 (rest.empty() ? "" : " " + Join(rest, 0)) +
                 "\n\nFROM gcr.io/distroless/static-debian12:nonroot\n# or FROM scratch; with cgo use "
                 "gcr.io/distroless/base-debian12\nCOPY --from=build /out/" +
                 name + " /" + name + "\nENTRYPOINT [\"/" + name + "\"]\n";
      return p;
    }
  }
  return std::nullopt;
}

std::optional<MultistageProposal> NodeProdDeps(const Facts& f) {
  bool build_script = false;
  for (size_t i : f.shipping) {
    const lint::RunFacts* run = f.ctx.Run(i);
    if (run == nullptr || !run->certain) continue;
    for (const Command& c : run->commands) {
      if (lint::IsCommand(c, {"npm"}) && lint::Subcommand(c) == "run" && lint::HasWord(c, "build")) build_script = true;
    }
  }
  for (size_t i : f.shipping) {
    const lint::RunFacts* run = f.ctx.Run(i);
    if (run == nullptr || !run->certain) continue;
    for (const Command& c : run->commands) {
      if (!lint::IsNpmInstall(c) || lint::HasFlag(c, "omit") || lint::HasFlag(c, "production") ||
          lint::HasFlag(c, "only")) {
        continue;
      }
      if (auto env = f.ctx.EnvAt(i, "NODE_ENV"); env && *env == "production") continue;
      MultistageProposal p;
      p.kind = "node-prod-deps";
      p.line = f.ctx.df().instructions[i].start_line();
      p.title = "install devDependencies only in a builder stage; ship production dependencies";
      p.sketch = "FROM " + f.root + " AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n" +
                 (build_script ? "RUN npm run build\n" : "") + "\n" + RuntimeFrom(f) +
                 "WORKDIR /app\nENV NODE_ENV=production\nCOPY package*.json ./\n"
                 "RUN npm ci --omit=dev && npm cache clean --force\n" +
                 (build_script ? "COPY --from=build /app/dist ./dist\n" : "COPY . .\n");
      return p;
    }
  }
  return std::nullopt;
}

std::optional<MultistageProposal> CBuild(const Facts& f) {
  if (f.toolchain_runs.empty()) return std::nullopt;
  for (size_t i : f.shipping) {
    const lint::RunFacts* run = f.ctx.Run(i);
    if (run == nullptr || !run->certain) continue;
    if (std::find(f.toolchain_runs.begin(), f.toolchain_runs.end(), i) != f.toolchain_runs.end()) continue;
    for (const Command& c : run->commands) {
      if (!IsCBuild(c)) continue;
      MultistageProposal p;
      p.kind = "c-build";
      p.line = f.ctx.df().instructions[i].start_line();
      p.title = "compile in a builder stage and copy only the installed files";
      p.sketch = "FROM " + f.root + " AS build\n" + SetupRuns(f, i) + CopiesBefore(f, i) + Verbatim(f.ctx, i) +
                 "\nRUN make install DESTDIR=/out\n# (cmake: cmake --install build --prefix /out/usr/local)\n\n" +
                 RuntimeFrom(f) + "COPY --from=build /out/ /\n# ...plus the runtime libraries the program links\n";
      return p;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<MultistageProposal> ProposeMultistage(const lint::RuleContext& ctx) {
  std::vector<MultistageProposal> out;
  if (ctx.df().stages.empty()) return out;
  Facts f{ctx, ShippingInstructions(ctx), {}, "", "", ""};
  for (size_t i : f.shipping) {
    const Instruction& x = ctx.df().instructions[i];
    if ((x.kind == InstructionKind::kCopy || x.kind == InstructionKind::kAdd) && x.FindFlag("from") != nullptr) {
      return out;  // already copies from a builder
    }
    const lint::RunFacts* run = ctx.Run(i);
    if (run != nullptr && run->certain && InstallsToolchain(*run)) f.toolchain_runs.push_back(i);
  }
  f.root = ctx.RootImage(ctx.df().stages[ctx.target_stage()]);
  if (f.root.empty()) f.root = ctx.df().stages[ctx.target_stage()].image;
  lint::ImageRef r = lint::ParseImage(f.root);
  std::string slim = lint::IsOfficial(r) ? lint::SlimCandidate(r) : "";
  if (!slim.empty() && slim.find(' ') == std::string::npos) {
    f.runtime = slim;
  } else {
    f.runtime = f.root;
    f.runtime_note = slim.empty() ? "a base without compilers and headers is smaller, if there is one"
                                  : "smaller: " + slim;
  }
  for (auto propose : {PythonWheels, GoStatic, NodeProdDeps, CBuild}) {
    if (auto p = propose(f)) out.push_back(std::move(*p));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  return out;
}

std::string FormatProposals(const std::vector<MultistageProposal>& proposals, const std::string& path) {
  if (proposals.empty()) return path + ": no multi-stage proposal (no build toolchain, compiled install or builder pattern found in the shipping stage)\n";
  std::string out = "PROPOSALS, NOT APPLIED: multi-stage splits for " + path +
                    ". Review them; whittle fix never makes these changes.\n";
  for (const MultistageProposal& p : proposals) {
    out += StrFormat("\n%s:%d: %s: %s\n", path.c_str(), p.line, p.kind.c_str(), p.title.c_str());
    for (std::string_view line : Split(p.sketch, '\n')) {
      if (line.empty()) {
        out += "\n";
        continue;
      }
      out += "    " + std::string(line) + "\n";
    }
    while (EndsWith(out, "\n\n")) out.pop_back();
  }
  return out;
}

}  // namespace whittle::fix
