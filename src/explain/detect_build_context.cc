// The whole build context copied (COPY . /app, ADD . .): the files of that
// layer a .dockerignore would drop — version control (.git), tests, notes,
// data and logs, editor and OS droppings, secret-looking files — unless a
// later instruction of the stage names them (the image uses them). Lever:
// copy only what is needed; the edit is the .dockerignore to write.
#include <algorithm>
#include <map>
#include <set>

#include "explain/detect_util.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

bool CopiesContextRoot(const lint::Instruction& ins) {
  using K = lint::InstructionKind;
  if (ins.kind != K::kCopy && ins.kind != K::kAdd) return false;
  if (ins.FindFlag("from") != nullptr) return false;
  if (ins.args.size() < 2) return false;
  for (size_t i = 0; i + 1 < ins.args.size(); ++i) {  // the last word is the destination
    const std::string& src = ins.args[i];
    if (src == "." || src == "./" || src == "/" || src == "./." ) return true;
  }
  return false;
}

// The .dockerignore pattern that drops |rel| (a path below the
// destination), or "" when it is not build-context junk.
std::string JunkPattern(std::string_view rel, std::string_view kind) {
  static const char* kDirs[] = {".git", ".hg", ".svn", "tests", "test", "notes", "data", "logs", "log",
                                ".vscode", ".idea", "__pycache__", ".pytest_cache", ".mypy_cache", ".tox"};
  std::vector<std::string_view> comps = Split(rel.substr(rel[0] == '/' ? 1 : 0), '/');
  for (size_t i = 0; i + 1 < comps.size(); ++i) {
    for (const char* d : kDirs) {
      if (comps[i] == d) {
        std::string p;
        for (size_t k = 0; k <= i; ++k) p += (k ? "/" : "") + std::string(comps[k]);
        return p;
      }
    }
  }
  std::string_view base = comps.empty() ? rel : comps.back();
  if (EndsWith(base, ".log")) return "*.log";
  if (base == ".env" || StartsWith(base, ".env.")) return ".env*";
  if (EndsWith(base, ".swp") || EndsWith(base, ".swo") || EndsWith(base, "~")) return "*.sw?";
  if (base == ".DS_Store") return ".DS_Store";
  if (base == "Dockerfile" || EndsWith(base, ".Dockerfile") || base == ".dockerignore") return std::string(base);
  if (StartsWith(base, "docker-compose")) return "docker-compose*";
  if (kind == "secret-like" || kind == "vcs") return std::string(rel.substr(rel[0] == '/' ? 1 : 0));
  return "";
}

// The deepest directory holding every entry of |layer| (the destination).
std::string CommonRoot(const ImageFacts& facts, size_t layer) {
  const auto& entries = facts.scan().layers[layer].entries;
  std::string root;
  bool first = true;
  for (const LayerEntry& e : entries) {
    std::string_view p = facts.scan().paths->Get(e.path);
    std::string_view dir = e.kind == EntryKind::kDir ? p : p.substr(0, p.rfind('/'));
    if (first) {
      root = std::string(dir);
      first = false;
      continue;
    }
    while (!root.empty() && !(StartsWith(dir, root) && (dir.size() == root.size() || dir[root.size()] == '/'))) {
      size_t slash = root.rfind('/');
      root = slash == std::string::npos ? "" : root.substr(0, slash);
    }
  }
  return root;
}

}  // namespace

void DetectBuildContext(const ExplainContext& ctx, std::vector<Finding>* out) {
  const lint::Dockerfile* df = ctx.dockerfile();
  if (df == nullptr) return;
  const ImageFacts& facts = ctx.facts();
  std::vector<int> copies = ctx.StageInstructions({lint::InstructionKind::kCopy, lint::InstructionKind::kAdd});
  for (int ins_index : copies) {
    const lint::Instruction& ins = df->instructions[static_cast<size_t>(ins_index)];
    if (!CopiesContextRoot(ins)) continue;
    // What later instructions of the stage mention is used: keep it.
    std::string later;
    const lint::Stage* stage = ctx.target_stage();
    for (size_t i = static_cast<size_t>(ins_index) + 1; stage != nullptr && i < stage->end_instruction; ++i) {
      later += df->instructions[i].line + "\n";
    }
    Tally tally;
    Removal removal(facts);
    std::map<std::string, uint64_t> patterns;
    for (size_t layer : ctx.mapping().LayersFor(static_cast<size_t>(ins_index))) {
      std::string root = CommonRoot(facts, layer);
      const auto& entries = facts.scan().layers[layer].entries;
      for (uint32_t e = 0; e < entries.size(); ++e) {
        EntryRef r{static_cast<uint32_t>(layer), e};
        if (entries[e].stored_size == 0) continue;
        std::string_view path = facts.path(r);
        std::string_view rel = path.substr(std::min(root.size(), path.size()));
        if (rel.empty()) continue;
        std::string pattern = JunkPattern(rel, facts.kind(r));
        if (pattern.empty()) continue;
        std::string first = std::string(Split(rel.substr(1), '/')[0]);
        if (later.find(root + "/" + first) != std::string::npos ||
            later.find(" " + first + "/") != std::string::npos || later.find(" ./" + first) != std::string::npos) {
          continue;  // a later instruction uses it
        }
        tally.Add(facts, r);
        removal.AddEntry(r);
        patterns[pattern] += facts.data(r).tar;
      }
    }
    if (tally.bytes.tar == 0) continue;
    Finding f = MeasuredFinding(ctx, "build-context", Lever::kBuildContext, tally, std::move(removal), -1);
    ctx.LocateAtInstruction(ins_index, &f);
    std::string list, ignore;
    for (const auto& [p, b] : patterns) {
      list += StrFormat("%s%s %s", list.empty() ? "" : ", ", p.c_str(), Size(b).c_str());
      ignore += p + "\n";
    }
    f.message = StrFormat("%s of the build context copied whole that the image does not use (%s)",
                          Size(tally.bytes.tar).c_str(), list.c_str());
    f.edit = "a .dockerignore next to the Dockerfile with:\n" + ignore;
    f.confidence = Confidence::kMedium;
    out->push_back(std::move(f));
  }
}

}  // namespace whittle::explain
