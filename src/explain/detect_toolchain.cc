// The toolchain in the final stage: compilers, headers, static libraries,
// -dev packages (kind `toolchain`, docs/kinds.md) shipped in the image the
// app runs in. Lever: a multi-stage build that leaves them in a builder
// stage. The bytes are every toolchain byte in the image, wherever it came
// from, as `profile -d layers,kinds` shows them; the line is the RUN that
// installs build tools, else the layer holding the most of them.
#include "explain/detect_util.h"
#include "lint/shell_split.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

constexpr uint64_t kMinBytes = 1u << 20;

// Commands that build something with the toolchain.
bool IsBuildCommand(std::string_view name, const std::vector<std::string>& argv) {
  static const char* kBuilders[] = {"make", "cmake", "ninja", "gcc", "g++", "cc", "c++", "go", "cargo",
                                    "mvn", "gradle", "./configure", "meson", "python3", "python"};
  for (const char* b : kBuilders) {
    if (name != b) continue;
    if ((name == "python3" || name == "python") &&
        !(argv.size() > 1 && (argv[1] == "setup.py" || (argv.size() > 3 && argv[2] == "pip")))) {
      return false;
    }
    return true;
  }
  if (name == "pip" || name == "pip3") {
    for (const std::string& a : argv) {
      if (a == "install" || a == "wheel") return true;
    }
  }
  if (name == "npm" || name == "yarn" || name == "pnpm") return true;
  return false;
}

std::string Sketch(const ExplainContext& ctx, int install, int last_build) {
  const lint::Dockerfile* df = ctx.dockerfile();
  const lint::Stage* stage = ctx.target_stage();
  if (df == nullptr || stage == nullptr) {
    return "split the build in two stages: build in a stage FROM the current base with the toolchain, "
           "then COPY --from=builder only the built artefacts into a stage FROM a slim base";
  }
  std::string slim = SlimmerBase(stage->image);
  if (slim.empty()) slim = stage->image;
  bool pip = false, go = false, npm = false;
  for (int i = install; i <= last_build && i >= 0; ++i) {
    for (const std::string& c : CommandNames(df->instructions[static_cast<size_t>(i)])) {
      if (c == "pip" || c == "pip3" || c == "python3" || c == "python") pip = true;
      if (c == "go") go = true;
      if (c == "npm" || c == "yarn" || c == "pnpm") npm = true;
    }
  }
  std::string s = StrFormat("FROM %s AS builder\n", stage->image.c_str());
  for (size_t i = stage->from_instruction + 1; i < stage->end_instruction && static_cast<int>(i) <= last_build;
       ++i) {
    const lint::Instruction& ins = df->instructions[i];
    if (ins.kind == lint::InstructionKind::kLabel || ins.kind == lint::InstructionKind::kExpose) continue;
    s += "  " + ElideEnd(CollapseWhitespace(ins.line), 72) + "\n";
  }
  if (pip) {
    s += "  # build wheels here (pip wheel -w /wheels .) or install into a prefix (pip install --prefix=/install .)\n";
  }
  s += StrFormat("FROM %s\n", go ? "gcr.io/distroless/static-debian12" : slim.c_str());
  if (go) {
    s += "  COPY --from=builder /path/to/app /app   # CGO_ENABLED=0 go build -o /path/to/app\n";
  } else if (pip) {
    s += "  COPY --from=builder /install/usr/local /usr/local   # or: COPY --from=builder /wheels /wheels\n";
  } else if (npm) {
    s += "  COPY --from=builder /app /app   # after npm ci --omit=dev in the builder\n";
  } else {
    s += "  COPY --from=builder <the built files> <their place>\n";
  }
  for (size_t i = static_cast<size_t>(std::max(last_build + 1, 0)); i < stage->end_instruction; ++i) {
    const lint::Instruction& ins = df->instructions[i];
    using K = lint::InstructionKind;
    if (ins.kind == K::kEnv || ins.kind == K::kExpose || ins.kind == K::kUser || ins.kind == K::kHealthcheck ||
        ins.kind == K::kCmd || ins.kind == K::kEntrypoint || ins.kind == K::kWorkdir || ins.kind == K::kLabel) {
      s += "  " + ElideEnd(CollapseWhitespace(ins.line), 72) + "\n";
    }
  }
  return s;
}

}  // namespace

void DetectToolchain(const ExplainContext& ctx, std::vector<Finding>* out) {
  const ImageFacts& facts = ctx.facts();
  Tally tally;
  Removal removal(facts);
  uint64_t base_bytes = 0;
  facts.ForEachDataEntry([&](EntryRef r) {
    if (facts.kind(r) != "toolchain") return;
    tally.Add(facts, r);
    removal.AddEntry(r);
    if (ctx.is_base_layer(r.layer)) base_bytes += facts.data(r).tar;
  });
  if (tally.bytes.tar < kMinBytes) return;

  // The line: the RUN that installs build tools, else the heaviest build layer.
  int install = -1, last_build = -1;
  if (const lint::Dockerfile* df = ctx.dockerfile()) {
    for (int i : ctx.StageInstructions({lint::InstructionKind::kRun})) {
      const lint::Instruction& ins = df->instructions[static_cast<size_t>(i)];
      for (const InstallCommand& ic : InstallCommands(ins)) {
        const char* eco = ic.manager == "apk" ? "apk" : (ic.manager == "apt-get" || ic.manager == "apt") ? "deb" : "rpm";
        for (const std::string& p : ic.packages) {
          if (install < 0 && (IsToolchainPackage(eco, p) || p == "build-essential" || p == "build-base")) install = i;
        }
      }
      lint::ShellScript script = lint::SplitShell(ins.args_text());
      if (!ins.is_exec_form() && !script.uncertain) {
        for (const lint::ShellCommand& c : script.commands) {
          if (!c.argv.empty() && IsBuildCommand(c.name(), c.argv)) last_build = i;
        }
      }
    }
  }
  Finding f = MeasuredFinding(ctx, "toolchain", Lever::kMultiStage, tally, std::move(removal),
                              install >= 0 ? -1 : tally.HeaviestLayer(ctx, /*skip_base=*/true));
  if (install >= 0) ctx.LocateAtInstruction(install, &f);
  f.confidence = install >= 0 ? Confidence::kHigh : Confidence::kMedium;
  f.message = StrFormat("%s of build toolchain shipped in the final stage (%s)", Size(tally.bytes.tar).c_str(),
                        tally.TopOwners(4).c_str());
  if (base_bytes > 0) {
    f.message += StrFormat("; %s of it came with the base image", Size(base_bytes).c_str());
  }
  if (last_build < install) last_build = install;
  f.edit = "multi-stage build: the toolchain stays in the builder stage\n" + Sketch(ctx, install, last_build);
  out->push_back(std::move(f));
}

}  // namespace whittle::explain
