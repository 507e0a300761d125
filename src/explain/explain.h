// Explain: the image joined to its Dockerfile (issue 8). Each finding
// carries its Dockerfile line and the bytes it costs, measured in the image,
// the lever and the edit that remove them, and the image that edit alone
// would leave; findings are ranked by bytes, and projectedAll applies them
// all at once, counting a byte once however many findings remove it.
//
//   image scan + package captures ──> ImageFacts (bytes, kind, owner, fate
//                                     per member; live path index)
//   history + Dockerfile ───────────> HistoryMapping (layer -> line)
//   detectors (one file each) ──────> Finding{line, layers, bytes, removal}
//   Removal union ──────────────────> projections
//
// The method and every heuristic are in docs/explain.md.
#ifndef WHITTLE_EXPLAIN_EXPLAIN_H_
#define WHITTLE_EXPLAIN_EXPLAIN_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "explain/finding.h"
#include "explain/history_match.h"
#include "explain/image_facts.h"
#include "lint/ast.h"
#include "lint/rules/rule.h"

namespace whittle::explain {

/// A base image measured with --try-base.
struct CandidateBase {
  std::string reference;      // as typed
  const ImageFacts* facts;    // its measured layers and packages; not owned
};

struct ExplainInput {
  const ImageFacts* facts = nullptr;    // the image; not owned
  std::string image_name;               // as typed, for the report
  /// The parsed Dockerfile (null: from the history alone) and its path.
  const lint::Dockerfile* dockerfile = nullptr;
  std::string dockerfile_path;
  /// The linter's findings on it (their lines are reported unranked).
  std::vector<lint::Finding> lint;
  MatchOptions match;  // --target
  std::vector<CandidateBase> candidates;
};

struct ExplainReport {
  std::string image;
  std::string dockerfile;  // "" without
  Bytes size;              // the image: tar bytes (sizeBytes) and blob bytes (blobBytes)
  /// Measured findings by bytes (descending), then lint findings in line order.
  std::vector<Finding> findings;
  /// All measured findings applied together; absent when none is measured.
  std::optional<Bytes> projected_all;
  HistoryMapping mapping;
  /// Plain-language notes: how sure the mapping is, what could not be
  /// measured, and "short report" when there is little to gain.
  std::vector<std::string> notes;
};

/// What the detectors read.
class ExplainContext {
 public:
  ExplainContext(const ExplainInput& input, const HistoryMapping& mapping);

  const ImageFacts& facts() const { return *in_.facts; }
  const HistoryMapping& mapping() const { return mapping_; }
  const ExplainInput& input() const { return in_; }
  const lint::Dockerfile* dockerfile() const { return in_.dockerfile; }
  /// The target stage, or null without a Dockerfile.
  const lint::Stage* target_stage() const;

  /// Layers that came with the target stage's FROM (base image and parent
  /// stages), in order.
  const std::vector<size_t>& base_layers() const { return base_layers_; }
  bool is_base_layer(size_t layer) const { return layer < is_base_.size() && is_base_[layer]; }
  /// The target-stage instruction a layer counts for (-1: unknown).
  int InstructionOfLayer(size_t layer) const;
  /// Sets |f|'s instruction, line and history text from |layer|.
  void LocateAtLayer(size_t layer, Finding* f) const;
  /// Sets them from a Dockerfile instruction index.
  void LocateAtInstruction(int instruction, Finding* f) const;
  /// "line 8 (`RUN apt-get install ...`)" or "`RUN apt-get ...`" without a
  /// Dockerfile; the instruction text cut to |width|.
  std::string Describe(size_t layer, size_t width = 60) const;
  /// The target stage's instructions of |kinds| with their index, in order.
  std::vector<int> StageInstructions(std::initializer_list<lint::InstructionKind> kinds) const;

 private:
  const ExplainInput& in_;
  const HistoryMapping& mapping_;
  std::vector<size_t> base_layers_;
  std::vector<bool> is_base_;
};

/// Runs every detector and assembles the report. Errors: a --target the
/// Dockerfile does not have (kUsage).
Result<ExplainReport> Explain(const ExplainInput& input);

// The detectors, one file each (explain/detect_*.cc). Each appends its
// findings (possibly none).
void DetectToolchain(const ExplainContext& ctx, std::vector<Finding>* out);
void DetectBase(const ExplainContext& ctx, std::vector<Finding>* out);
void DetectDebugTools(const ExplainContext& ctx, std::vector<Finding>* out);
void DetectCaches(const ExplainContext& ctx, std::vector<Finding>* out);
void DetectDeadBytes(const ExplainContext& ctx, std::vector<Finding>* out);
void DetectRecommends(const ExplainContext& ctx, std::vector<Finding>* out);
void DetectBuildContext(const ExplainContext& ctx, std::vector<Finding>* out);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_EXPLAIN_H_
