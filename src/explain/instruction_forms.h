// InstructionForms: the forms builders record one Dockerfile instruction
// in, and how well a history entry (CreatedBy) matches them.
//
// The comparison is per kind, because each builder rewrites each kind its
// own way (see created_by.h for the producers):
//
//   RUN          the command, compared with the end of the recorded text so
//                that any shell words and "|N K=V" build-arg prefix may
//                precede it; exec form joined by spaces; heredocs as BuildKit
//                runs them (the body, "/dev/pipes/NAME" for a #! script, or
//                the line plus bodies); whitespace runs collapsed on both sides
//   COPY / ADD   sources and destination (BuildKit, kaniko record them); the
//                destination alone when the sources are content hashes
//                (classic builder, buildah)
//   ENV / LABEL  key=value pairs with quotes removed (BuildKit, classic) or
//                the text as written (buildah)
//   CMD / ENTRYPOINT / HEALTHCHECK / VOLUME / SHELL   the argument vector,
//                whether printed as JSON, Go %q (`["a" "b"]`) or Go %v (`[a b]`)
//   EXPOSE       the set of port/protocol pairs (`map[8080/tcp:{}]` or `8080`)
//   WORKDIR      as written, or resolved against the previous WORKDIR
//   others       the text as written
//
// Variables: BuildKit and the classic builder record ENV/LABEL values, COPY
// destinations and WORKDIR expanded; buildah and RUN commands keep "$VAR".
// A match that needed expanding with the Dockerfile's ARG defaults is
// kNormalized, since a --build-arg may have changed the value.
//
// What it is not: the alignment of a whole history (history_match.h).
#ifndef WHITTLE_EXPLAIN_INSTRUCTION_FORMS_H_
#define WHITTLE_EXPLAIN_INSTRUCTION_FORMS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "explain/created_by.h"
#include "lint/ast.h"

namespace whittle::explain {

/// How sure a match between a history entry and an instruction is, weakest
/// first (the order is used: `a < b` means a is less sure).
enum class MatchConfidence {
  kNone,         // no instruction
  kHistoryOnly,  // no Dockerfile: kind and text come from the history alone
  kPositional,   // same kind at the aligned position, but the text differs
  kNormalized,   // same after lossy normalisation: content hashes (destination
                 // only), variables expanded with the Dockerfile's defaults
  kExact,        // the text the builder writes for this instruction
};

/// "none", "history-only", "positional", "normalized", "exact".
const char* ConfidenceName(MatchConfidence confidence);

/// What the build knows just before an instruction runs, as far as the
/// Dockerfile tells. Walk a stage with Apply() from its FROM on.
struct BuildState {
  /// The shell that wraps shell-form RUN/CMD/ENTRYPOINT (SHELL changes it).
  std::vector<std::string> shell = {"/bin/sh", "-c"};
  /// The working directory, absolute; "" when unknown (an image base may set
  /// one that the Dockerfile does not show). "/" for FROM scratch.
  std::string workdir;
  /// ENV values (inherited by a stage built FROM this one) and ARG values
  /// of this stage (not inherited), later entries win.
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::pair<std::string, std::string>> args;
  /// ARGs before the first FROM (a bare `ARG NAME` in a stage takes their
  /// default). Must outlive the state; null for none.
  const std::vector<lint::KeyValue>* global_args = nullptr;
  char escape = '\\';

  /// The state after |ins| (ENV, ARG, WORKDIR, SHELL; others change nothing
  /// that builders record). FROM is not handled here: the caller starts a
  /// stage with a fresh state or its parent stage's (args cleared).
  void Apply(const lint::Instruction& ins);
  /// |word| with $VAR / ${VAR} from env then args; |*complete| (optional)
  /// is false when a variable was unset or the construct unsupported.
  std::string Expand(std::string_view word, bool* complete = nullptr) const;
};

/// The result of comparing one history entry with one instruction.
struct EntryScore {
  MatchConfidence confidence = MatchConfidence::kNone;
  /// For kPositional: the part that names the target agrees (COPY/ADD
  /// destination, ENV/LABEL/ARG keys), so the pairing is likelier right.
  bool close = false;
  std::string reason;  // plain words: "same command after the shell and build-arg prefix"
};

/// The forms of one instruction, computed once from the instruction and the
/// build state before it; then compared with many history entries.
class InstructionForms {
 public:
  /// |ins| must outlive this object.
  InstructionForms(const lint::Instruction& ins, const BuildState& before);

  /// How |entry| matches this instruction. kNone when the kinds differ
  /// (except a classic exec-form RUN, recorded without any wrapper).
  EntryScore Compare(const CreatedBy& entry) const;

  const lint::Instruction& instruction() const { return *ins_; }
  lint::InstructionKind kind() const { return ins_->kind; }

 private:
  EntryScore CompareRun(const CreatedBy& e) const;
  EntryScore CompareCopy(const CreatedBy& e) const;
  EntryScore ComparePairs(const CreatedBy& e) const;
  EntryScore CompareArg(const CreatedBy& e) const;
  EntryScore CompareVector(const CreatedBy& e) const;
  EntryScore CompareHealthcheck(const CreatedBy& e) const;
  EntryScore CompareExpose(const CreatedBy& e) const;
  EntryScore CompareWorkdir(const CreatedBy& e) const;
  EntryScore CompareText(const CreatedBy& e) const;

  const lint::Instruction* ins_;
  /// The text after the keyword as written (flags included), collapsed.
  std::string written_;
  /// RUN: candidate commands (collapsed); exec form joined by spaces.
  std::vector<std::string> commands_;
  /// Shell words joined ("/bin/sh -c") in effect for this instruction.
  std::string shell_;
  /// Exact and normalised renderings (kind-specific, collapsed).
  std::vector<std::string> exact_;
  std::vector<std::string> normalized_;
  /// CMD/ENTRYPOINT/VOLUME/SHELL/HEALTHCHECK: the argument vector.
  std::vector<std::string> vector_;
  /// COPY/ADD: sources (as written and expanded) and destinations (cleaned).
  std::vector<std::string> sources_;
  std::vector<std::string> sources_expanded_;
  std::vector<std::string> dests_exact_;
  std::vector<std::string> dests_normalized_;
  /// ENV/LABEL/ARG: the keys in order.
  std::vector<std::string> keys_;
  /// EXPOSE: sorted "port/proto" set.
  std::vector<std::string> ports_;
  /// WORKDIR: the state's directory before it ("" unknown) and the
  /// argument with variables expanded.
  std::string workdir_before_;
  std::string workdir_expanded_;
};

/// EXPOSE arguments as a sorted set of "port/proto" (proto defaults to tcp,
/// small ranges "8000-8002" expanded): {"8080", "53/UDP"} ->
/// {"53/udp", "8080/tcp"}.
std::vector<std::string> NormalizePorts(const std::vector<std::string>& words);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_INSTRUCTION_FORMS_H_
