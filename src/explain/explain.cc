#include "explain/explain.h"

#include <algorithm>

#include "util/strings.h"

namespace whittle::explain {

ExplainContext::ExplainContext(const ExplainInput& input, const HistoryMapping& mapping)
    : in_(input), mapping_(mapping) {
  const size_t n = input.facts->layer_count();
  is_base_.assign(n, false);
  for (size_t l = 0; l < n; ++l) {
    const EntryMatch* e = mapping.ForLayer(l);
    if (e != nullptr && (e->origin == EntryOrigin::kBaseImage || e->origin == EntryOrigin::kParentStage)) {
      is_base_[l] = true;
      base_layers_.push_back(l);
    }
  }
}

const lint::Stage* ExplainContext::target_stage() const {
  if (in_.dockerfile == nullptr || !mapping_.has_dockerfile) return nullptr;
  if (mapping_.target_stage >= in_.dockerfile->stages.size()) return nullptr;
  return &in_.dockerfile->stages[mapping_.target_stage];
}

int ExplainContext::InstructionOfLayer(size_t layer) const {
  const EntryMatch* e = mapping_.ForLayer(layer);
  return e == nullptr ? -1 : e->target_instruction;
}

void ExplainContext::LocateAtInstruction(int instruction, Finding* f) const {
  f->instruction = instruction;
  if (in_.dockerfile != nullptr && instruction >= 0 &&
      static_cast<size_t>(instruction) < in_.dockerfile->instructions.size()) {
    f->line = in_.dockerfile->instructions[static_cast<size_t>(instruction)].start_line();
  }
}

void ExplainContext::LocateAtLayer(size_t layer, Finding* f) const {
  const EntryMatch* e = mapping_.ForLayer(layer);
  if (e != nullptr) f->history_text = e->label;
  LocateAtInstruction(InstructionOfLayer(layer), f);
}

std::string ExplainContext::Describe(size_t layer, size_t width) const {
  const EntryMatch* e = mapping_.ForLayer(layer);
  std::string text = e != nullptr ? ElideEnd(CollapseWhitespace(e->label), width) : StrFormat("layer #%zu", layer + 1);
  int ins = InstructionOfLayer(layer);
  if (in_.dockerfile != nullptr && ins >= 0) {
    return StrFormat("line %d (`%s`)", in_.dockerfile->instructions[static_cast<size_t>(ins)].start_line(),
                     text.c_str());
  }
  return "`" + text + "`";
}

std::vector<int> ExplainContext::StageInstructions(std::initializer_list<lint::InstructionKind> kinds) const {
  std::vector<int> out;
  const lint::Stage* stage = target_stage();
  if (stage == nullptr) return out;
  for (size_t i = stage->from_instruction + 1; i < stage->end_instruction; ++i) {
    for (lint::InstructionKind k : kinds) {
      if (in_.dockerfile->instructions[i].kind == k) {
        out.push_back(static_cast<int>(i));
        break;
      }
    }
  }
  return out;
}

namespace {

// Lint codes a measured finding already speaks for, by detector id.
bool CoveredByMeasured(const lint::Finding& lf, const std::vector<Finding>& measured) {
  static const std::pair<const char*, const char*> kCovers[] = {
      {"caches", "DL3009"}, {"caches", "WS002"}, {"caches", "DL3019"}, {"caches", "DL3042"},
      {"caches", "DL3032"}, {"caches", "DL3040"}, {"caches", "DL3060"}, {"recommends", "DL3015"},
  };
  for (const Finding& f : measured) {
    if (f.line != lf.line) continue;
    for (const auto& [id, code] : kCovers) {
      if (f.id == id && lf.code == code) return true;
    }
  }
  return false;
}

}  // namespace

Result<ExplainReport> Explain(const ExplainInput& input) {
  ExplainReport report;
  report.image = input.image_name;
  report.dockerfile = input.dockerfile_path;
  report.size = input.facts->total();
  if (input.dockerfile != nullptr) {
    ASSIGN_OR_RETURN(report.mapping, MatchHistory(input.facts->image(), *input.dockerfile, input.match));
  } else {
    report.mapping = MatchHistoryOnly(input.facts->image());
  }
  ExplainContext ctx(input, report.mapping);
  std::vector<Finding> measured;
  DetectBase(ctx, &measured);
  DetectToolchain(ctx, &measured);
  DetectDebugTools(ctx, &measured);
  DetectCaches(ctx, &measured);
  DetectDeadBytes(ctx, &measured);
  DetectRecommends(ctx, &measured);
  DetectBuildContext(ctx, &measured);
  // A finding is as sure as the weakest tie of its build layers to the
  // Dockerfile (base layers came with FROM, which always matches).
  for (Finding& f : measured) {
    for (size_t layer : f.layers) {
      const EntryMatch* e = report.mapping.ForLayer(layer);
      if (e == nullptr) {
        f.confidence = CapByMatch(f.confidence, report.mapping.has_dockerfile ? MatchConfidence::kNone
                                                                              : MatchConfidence::kHistoryOnly);
      } else if (e->origin == EntryOrigin::kUnmatched) {
        f.confidence = CapByMatch(f.confidence, MatchConfidence::kNone);
      } else if (e->origin == EntryOrigin::kStage) {
        f.confidence = CapByMatch(f.confidence, e->confidence);
      } else if (!report.mapping.has_dockerfile) {
        f.confidence = CapByMatch(f.confidence, MatchConfidence::kHistoryOnly);
      }
    }
  }
  std::stable_sort(measured.begin(), measured.end(), [](const Finding& a, const Finding& b) {
    if (a.bytes.tar != b.bytes.tar) return a.bytes.tar > b.bytes.tar;
    return a.line < b.line;
  });

  // All at once: the union of the removals, and the best measured base swap.
  if (!measured.empty()) {
    Removal all(*input.facts);
    Bytes added;
    bool any = false;
    for (const Finding& f : measured) {
      if (!f.projected) continue;  // unmeasured (a base swap without --try-base)
      all.Merge(f.removal);
      added += f.added;
      any = true;
    }
    if (any) report.projected_all = Project(*input.facts, all, added);
  }
  for (const std::string& n : report.mapping.summary.notes) report.notes.push_back(n);
  uint64_t big = 0;
  for (const Finding& f : measured) big += f.bytes.tar >= (1u << 20) ? 1 : 0;
  if (big == 0) {
    report.notes.push_back(StrFormat("short report: no finding reaches 1 MiB; the image (%s) is already tight "
                                     "by every lever whittle measures",
                                     FormatSizeWithUnit(report.size.tar).c_str()));
  } else if (report.projected_all && report.projected_all->tar * 10 >= report.size.tar * 9) {
    report.notes.push_back(StrFormat("short report: all findings together remove %s of %s",
                                     FormatSizeWithUnit(report.size.tar - report.projected_all->tar).c_str(),
                                     FormatSizeWithUnit(report.size.tar).c_str()));
  }
  report.findings = std::move(measured);
  std::vector<lint::Finding> lint = input.lint;
  std::stable_sort(lint.begin(), lint.end(),
                   [](const lint::Finding& a, const lint::Finding& b) { return a.line < b.line; });
  for (const lint::Finding& lf : lint) {
    if (CoveredByMeasured(lf, report.findings)) continue;
    Finding f;
    f.id = lf.code;
    f.lever = Lever::kLint;
    f.line = lf.line;
    f.instruction = lf.instruction == lint::Finding::kNoInstruction ? -1 : static_cast<int>(lf.instruction);
    f.message = lf.message;
    f.severity = lf.severity;
    f.confidence = Confidence::kHigh;
    report.findings.push_back(std::move(f));
  }
  return report;
}

}  // namespace whittle::explain
