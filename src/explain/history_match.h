// MatchHistory: which Dockerfile instruction made each history entry and
// each layer of an image. The join that `whittle explain` builds on: a
// finding carries a Dockerfile line because this says which layers that
// line made.
//
// The image's config history is the base image's history followed by one
// entry per instruction of the build (BuildKit, the classic builder, buildah
// and kaniko all append in instruction order; FROM itself writes none).
// When the target stage's FROM names an earlier stage, that stage's history
// comes first, and so on up the chain:
//
//   Dockerfile                         image history (oldest first)
//   FROM python:3.12 AS tools   (2)    ┐ python:3.12's own entries    base image
//   RUN pip install x           (3)    │ RUN pip install x  -> line 3  parent stage
//   FROM tools AS app           (5)    │
//   COPY . /app                 (6)    │ COPY . /app        -> line 6  target stage
//   CMD ["app"]                 (7)    ┘ CMD ["app"]        -> line 7  target stage
//
// From the target stage's point of view everything before its own first
// instruction came with its FROM (line 5): the base image's entries and
// the parent stages' ones. Entries of a parent stage still name their own
// line, so a finding can point at line 3 while counting its bytes as
// "from FROM tools".
//
// Alignment: the instructions of the chain (root stage first, FROM lines
// left out) are aligned with the history entries by dynamic programming,
// like a sequence alignment (Needleman-Wunsch with a free leading gap):
// order is kept, an entry matches at most one instruction, and a missing
// or extra entry costs one gap instead of shifting every later match.
//
//   history       ADD   CMD  | LABEL  RUN a  RUN x  COPY        CMD ["x"]
//   instructions             | LABEL  RUN a         COPY        CMD ["y"]
//                 base, free | exact  exact  extra  normalised  positional
//
// The entries before the first matched instruction are the base (no cost);
// after it every unmatched entry or instruction costs a gap.
//
// Weights: exact 10, normalised 8, positional 3 (close) or 2, an extra
// entry -5, a missing instruction -3 (-1 for ONBUILD, which BuildKit never
// records). Positional pairs (same kind, other text) beat two gaps, so an
// edited RUN still maps to its line, with the low confidence saying so.
//
// Base boundary: the free base prefix lets an unrelated Dockerfile match
// only the last few entries and call the rest "base"; the summary then says
// that the split is a guess. One mark in the history shows where a build
// started whatever the Dockerfile says: buildah comments every entry
// "FROM <parent>" and names the base image (not a 12-hex intermediate id) on
// a build's first entry. When every entry after that one is buildah's, the
// prefix is free only up to it (FindBaseHint). BuildKit's comment is no such
// mark: official base images are BuildKit builds on roots made by other
// tools, so the first BuildKit entry often sits inside the base.
//
// Use:
//
//   auto m = MatchHistory(image, dockerfile, {.target = "runtime"});
//   if (!m) return m.error();
//   for (size_t l = 0; l < image.layers.size(); ++l) {
//     const EntryMatch* e = m->ForLayer(l);  // null: layers not mapped
//     ... dockerfile.instructions[e->target_instruction].start_line() ...
//   }
//   for (size_t layer : m->LayersFor(stage.from_instruction)) ...  // the base
//   for (const std::string& note : m->summary.notes) ...          // how sure
//
// Without a Dockerfile, MatchHistoryOnly gives each entry its kind and text
// from created_by alone (confidence kHistoryOnly) and splits base from build
// at the base hint when there is one.
//
// Limits: at most kMaxAlignCells entry x instruction pairs are aligned; a
// longer history is aligned on its last entries only (the build is at the
// end), the earlier ones are counted as base. A chain of more than
// kMaxChainInstructions instructions is refused.
#ifndef WHITTLE_EXPLAIN_HISTORY_MATCH_H_
#define WHITTLE_EXPLAIN_HISTORY_MATCH_H_

#include <cstddef>
#include <string>
#include <vector>

#include "explain/created_by.h"
#include "explain/instruction_forms.h"
#include "image/image.h"
#include "lint/ast.h"
#include "util/status.h"

namespace whittle::explain {

/// Largest alignment table (history entries x chain instructions).
inline constexpr size_t kMaxAlignCells = size_t{1} << 20;
/// Most instructions in the target stage's chain (real Dockerfiles have a
/// few hundred at most).
inline constexpr size_t kMaxChainInstructions = 10000;

/// Where a history entry came from, from the target stage's point of view.
enum class EntryOrigin {
  kBaseImage,    // before the chain's first instruction: the root stage's base image
  kParentStage,  // an instruction of an earlier stage the target's FROM chains to
  kStage,        // an instruction of the target stage
  kUnmatched,    // inside the build, but no instruction matched it
};

/// "base image", "parent stage", "stage", "unmatched".
const char* OriginName(EntryOrigin origin);

/// One image.history entry and the instruction that made it.
struct EntryMatch {
  size_t history_index = 0;
  int layer = -1;  // index into image.layers; -1 for an empty_layer entry or unmapped layers
  CreatedBy parsed;
  /// The history's own label text, as `profile` prints it ("RUN apt-get
  /// update", hashes elided; scan/history_labels.h CleanCreatedBy).
  std::string label;
  EntryOrigin origin = EntryOrigin::kBaseImage;
  /// The instruction it came from (index into Dockerfile::instructions):
  /// for kStage/kParentStage the matched instruction; for kBaseImage the
  /// root stage's FROM; -1 for kUnmatched and without a Dockerfile.
  int instruction = -1;
  /// The target stage instruction it counts for: itself (kStage), or the
  /// target stage's FROM (kBaseImage, kParentStage); -1 otherwise.
  int target_instruction = -1;
  MatchConfidence confidence = MatchConfidence::kNone;
  std::string reason;  // why it matched (or why it is base / unmatched), plain words
};

/// One instruction of the target stage's chain and the entry it made.
struct InstructionMatch {
  size_t instruction = 0;  // index into Dockerfile::instructions
  size_t stage = 0;        // index into Dockerfile::stages
  bool in_target = false;  // false: a parent stage reached through FROM
  int history_index = -1;  // -1: no entry matched
  MatchConfidence confidence = MatchConfidence::kNone;
  /// No entry, and none was expected: BuildKit records no history for ONBUILD.
  bool expected_missing = false;
  std::string reason;
};

/// Where the history itself says a build started (see the header comment).
struct BaseHint {
  bool found = false;
  size_t first_build_entry = 0;  // entries before it are base
  std::string reason;            // "buildah's comment \"FROM localhost/x:1\" on history entry #4 marks ..."
};

/// How sure the whole mapping is.
enum class Verdict {
  kMatches,        // every instruction and every build entry matched exactly or normalised
  kMostlyMatches,  // most did; some are positional, missing or extra (see notes)
  kDoesNotMatch,   // fewer than half of the instructions matched by text
  kHistoryOnly,    // no Dockerfile
};

/// "matches", "mostly matches", "does not match", "history only".
const char* VerdictName(Verdict verdict);

struct MatchSummary {
  Verdict verdict = Verdict::kHistoryOnly;
  size_t exact = 0;       // instructions matched exactly
  size_t normalized = 0;  // ... after normalisation
  size_t positional = 0;  // ... by position only
  size_t missing = 0;     // instructions with no entry (expected ones excluded)
  size_t extra = 0;       // entries inside the build that matched nothing
  size_t base_entries = 0;
  size_t base_layers = 0;
  /// Plain-language notes, most important first, e.g. "3 instructions did
  /// not match any history entry (lines 5, 6, 19): was the image built from
  /// another Dockerfile, or another --target?".
  std::vector<std::string> notes;
};

struct HistoryMapping {
  bool has_dockerfile = false;
  size_t target_stage = 0;                 // index into Dockerfile::stages
  std::vector<size_t> chain;               // stage indices, root stage first, target last
  Producer producer = Producer::kUnknown;  // the builder of most build entries
  BaseHint base_hint;
  std::vector<EntryMatch> entries;             // one per image.history entry, in order
  std::vector<int> layer_entries;              // per image layer: its history index, or -1
  std::vector<InstructionMatch> instructions;  // the chain's instructions (FROM excluded), in order
  MatchSummary summary;

  /// The entry that made layer |layer|, or null when layers are not mapped
  /// (history and layers do not pair up) or |layer| is out of range.
  const EntryMatch* ForLayer(size_t layer) const;
  /// Dockerfile instruction indices of the chain with no entry (expected
  /// ones such as ONBUILD under BuildKit excluded), in order.
  std::vector<size_t> UnmatchedInstructions() const;
  /// The layers that count for Dockerfile instruction |instruction|
  /// (EntryMatch::target_instruction == it), in order: the layer of a RUN,
  /// COPY, ADD or BuildKit WORKDIR; every base and parent-stage layer for
  /// the target stage's FROM; none for other or unmatched instructions, or
  /// when layers are not mapped.
  std::vector<size_t> LayersFor(size_t instruction) const;
};

struct MatchOptions {
  /// The stage the image was built from: a stage name (case-insensitive)
  /// or index, as `--target`; "" = the last stage.
  std::string target;
};

/// Maps |image|'s history and layers to |dockerfile|'s target stage.
/// Reads only image.history and the number of image.layers. Errors name
/// dockerfile.filename: Errc::kUsage when the target stage does not exist
/// or the Dockerfile has no FROM; Errc::kTooLarge past
/// kMaxChainInstructions.
Result<HistoryMapping> MatchHistory(const Image& image, const lint::Dockerfile& dockerfile,
                                    const MatchOptions& options);

/// The mapping from the history alone: kinds and text from created_by,
/// confidence kHistoryOnly, no instructions. Base and build are split at
/// the BaseHint when there is one (else every entry counts as kStage).
HistoryMapping MatchHistoryOnly(const Image& image);

/// Where the history says the last build started: the last entry whose
/// buildah comment names an image ("FROM localhost/x:1", not an id), when
/// every later entry is buildah's too. Not found otherwise.
BaseHint FindBaseHint(const std::vector<HistoryEntry>& history);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_HISTORY_MATCH_H_
