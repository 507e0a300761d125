#include "explain/history_match.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

#include "scan/history_labels.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

using lint::InstructionKind;

// Alignment weights (see the header comment).
constexpr int kWeightExact = 10;
constexpr int kWeightNormalized = 8;
constexpr int kWeightPositionalClose = 3;
constexpr int kWeightPositional = 2;
constexpr int kCostExtraEntry = 5;
constexpr int kCostMissing = 3;
constexpr int kCostMissingOnbuild = 1;
constexpr int kNoMatch = std::numeric_limits<int>::min();

// At most this many lines or entries are listed in one note.
constexpr size_t kMaxListed = 8;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsHexId(std::string_view s) {
  if (s.size() < 12 || s.size() > 71) return false;
  if (StartsWith(s, "sha256:")) s.remove_prefix(7);
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

int Weight(const EntryScore& s) {
  switch (s.confidence) {
    case MatchConfidence::kExact:
      return kWeightExact;
    case MatchConfidence::kNormalized:
      return kWeightNormalized;
    case MatchConfidence::kPositional:
      return s.close ? kWeightPositionalClose : kWeightPositional;
    default:
      return kNoMatch;
  }
}

// The earlier stage that |s|'s FROM names, or null (an image, or scratch).
// A bare number in FROM is an image name, not a stage index.
const lint::Stage* ParentStage(const lint::Dockerfile& df, const lint::Stage& s) {
  if (s.image_expanded.empty()) return nullptr;
  std::string want = Lower(s.image_expanded);
  for (const lint::Stage& p : df.stages) {
    if (p.index >= s.index) break;
    if (!p.name_lower.empty() && p.name_lower == want) return &p;
  }
  return nullptr;
}

std::string StageName(const lint::Dockerfile& df, size_t stage) {
  const lint::Stage& s = df.stages[stage];
  if (!s.name.empty()) return StrFormat("stage '%s'", s.name.c_str());
  return StrFormat("stage %zu", stage);
}

std::string Plural(size_t n, const char* one, const char* many) { return StrFormat("%zu %s", n, n == 1 ? one : many); }

// "line 5 RUN, line 19 COPY and 2 more".
std::string ListLines(const lint::Dockerfile& df, const std::vector<size_t>& instructions) {
  std::string out;
  for (size_t k = 0; k < instructions.size() && k < kMaxListed; ++k) {
    const lint::Instruction& ins = df.instructions[instructions[k]];
    if (!out.empty()) out += ", ";
    out += StrFormat("line %d %s", ins.start_line(), ins.keyword.c_str());
  }
  if (instructions.size() > kMaxListed) out += StrFormat(" and %zu more", instructions.size() - kMaxListed);
  return out;
}

Producer MajorityProducer(const std::vector<EntryMatch>& entries, size_t begin, size_t end) {
  size_t counts[5] = {0, 0, 0, 0, 0};
  for (size_t i = begin; i < end && i < entries.size(); ++i) ++counts[static_cast<size_t>(entries[i].parsed.producer)];
  size_t best = 0;
  for (size_t p = 1; p < 5; ++p) {
    if (counts[p] > counts[best] || (best == 0 && counts[p] > 0)) best = p;
  }
  return static_cast<Producer>(best);
}

std::vector<EntryMatch> ParseEntries(const Image& image) {
  std::vector<EntryMatch> entries(image.history.size());
  for (size_t i = 0; i < image.history.size(); ++i) {
    entries[i].history_index = i;
    entries[i].parsed = ParseCreatedBy(image.history[i]);
    entries[i].label = CleanCreatedBy(image.history[i].created_by);
  }
  return entries;
}

// Fills layer numbers and the layer -> entry table.
void MapLayers(const Image& image, HistoryMapping* m) {
  m->layer_entries = MatchHistoryToLayers(image);
  for (size_t l = 0; l < m->layer_entries.size(); ++l) {
    int h = m->layer_entries[l];
    if (h >= 0) m->entries[static_cast<size_t>(h)].layer = static_cast<int>(l);
  }
}

// Notes shared by both modes: history missing or not pairing with layers.
void AddLayerNotes(const Image& image, const HistoryMapping& m, std::vector<std::string>* notes) {
  if (image.history.empty()) {
    notes->push_back(StrFormat("The image has no history: its %s cannot be tied to instructions.",
                               Plural(image.layers.size(), "layer", "layers").c_str()));
    return;
  }
  bool mapped = std::any_of(m.layer_entries.begin(), m.layer_entries.end(), [](int h) { return h >= 0; });
  if (!mapped && !image.layers.empty()) {
    size_t non_empty = 0;
    for (const HistoryEntry& h : image.history) non_empty += h.empty_layer ? 0 : 1;
    notes->push_back(StrFormat(
        "The history has %zu non-empty entries for %s: layers cannot be tied to entries, only the history is mapped.",
        non_empty, Plural(image.layers.size(), "layer", "layers").c_str()));
  }
}

struct ChainInstruction {
  size_t instruction;
  size_t stage;
};

}  // namespace

const char* OriginName(EntryOrigin origin) {
  switch (origin) {
    case EntryOrigin::kBaseImage:
      return "base image";
    case EntryOrigin::kParentStage:
      return "parent stage";
    case EntryOrigin::kStage:
      return "stage";
    case EntryOrigin::kUnmatched:
      return "unmatched";
  }
  return "unmatched";
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kMatches:
      return "matches";
    case Verdict::kMostlyMatches:
      return "mostly matches";
    case Verdict::kDoesNotMatch:
      return "does not match";
    case Verdict::kHistoryOnly:
      return "history only";
  }
  return "history only";
}

const EntryMatch* HistoryMapping::ForLayer(size_t layer) const {
  if (layer >= layer_entries.size() || layer_entries[layer] < 0) return nullptr;
  return &entries[static_cast<size_t>(layer_entries[layer])];
}

std::vector<size_t> HistoryMapping::UnmatchedInstructions() const {
  std::vector<size_t> out;
  for (const InstructionMatch& im : instructions) {
    if (im.history_index < 0 && !im.expected_missing) out.push_back(im.instruction);
  }
  return out;
}

std::vector<size_t> HistoryMapping::LayersFor(size_t instruction) const {
  std::vector<size_t> out;
  for (size_t l = 0; l < layer_entries.size(); ++l) {
    const EntryMatch* e = ForLayer(l);
    if (e != nullptr && e->target_instruction == static_cast<int>(instruction)) out.push_back(l);
  }
  return out;
}

BaseHint FindBaseHint(const std::vector<HistoryEntry>& history) {
  // buildah comments every entry of a build "FROM <parent>": the image it
  // started from, named as the Dockerfile names it on the build's first
  // entry and by intermediate id afterwards. Trust the last named one only
  // when every later entry is buildah's too (else the image was finished
  // by another builder and the comment sits inside its base).
  BaseHint hint;
  for (size_t i = history.size(); i-- > 0;) {
    const std::string& c = history[i].comment;
    if (!StartsWith(c, "FROM ")) return hint;
    std::string_view ref = TrimWhitespace(std::string_view(c).substr(5));
    if (ref.empty() || IsHexId(ref)) continue;
    hint.found = true;
    hint.first_build_entry = i;
    hint.reason = StrFormat("buildah's comment \"%s\" on history entry #%zu marks where the build started",
                            EscapeForMessage(c, 80).c_str(), i + 1);
    return hint;
  }
  return hint;
}

HistoryMapping MatchHistoryOnly(const Image& image) {
  HistoryMapping m;
  m.entries = ParseEntries(image);
  m.base_hint = FindBaseHint(image.history);
  size_t build_begin = m.base_hint.found ? m.base_hint.first_build_entry : 0;
  size_t unknown = 0;
  for (EntryMatch& e : m.entries) {
    bool base = e.history_index < build_begin;
    e.origin = base ? EntryOrigin::kBaseImage : EntryOrigin::kStage;
    e.confidence = MatchConfidence::kHistoryOnly;
    if (e.parsed.kind == InstructionKind::kUnknown) {
      ++unknown;
      e.reason = "no Dockerfile, and the entry is in no known builder form";
    } else {
      e.reason = StrFormat("no Dockerfile: %s read from the history entry (%s form)", e.parsed.keyword.c_str(),
                           ProducerName(e.parsed.producer));
    }
    if (base) e.reason += "; before the start of the build";
  }
  m.producer = MajorityProducer(m.entries, build_begin, m.entries.size());
  MapLayers(image, &m);

  MatchSummary& s = m.summary;
  s.verdict = Verdict::kHistoryOnly;
  s.base_entries = build_begin;
  for (const EntryMatch& e : m.entries) {
    if (e.origin == EntryOrigin::kBaseImage && e.layer >= 0) ++s.base_layers;
  }
  s.notes.push_back("No Dockerfile: instructions are read from the image history alone, without line numbers.");
  if (m.base_hint.found) {
    s.notes.push_back(StrFormat("%s came with the base image: %s.",
                                Plural(s.base_entries, "history entry", "history entries").c_str(),
                                m.base_hint.reason.c_str()));
  } else if (!image.history.empty()) {
    s.notes.push_back(
        "Where the base image ends cannot be told from this history alone: every entry is counted as the build's.");
  }
  if (unknown > 0) {
    s.notes.push_back(
        StrFormat("%s in no known builder form (docker commit, an import, another tool): their kind is unknown.",
                  Plural(unknown, "entry is", "entries are").c_str()));
  }
  AddLayerNotes(image, m, &s.notes);
  return m;
}

Result<HistoryMapping> MatchHistory(const Image& image, const lint::Dockerfile& df, const MatchOptions& options) {
  if (df.stages.empty()) {
    return Error(Errc::kUsage,
                 StrFormat("%s: no FROM instruction: no stage to match the image with", df.filename.c_str()));
  }
  size_t target = df.stages.size() - 1;
  if (!options.target.empty()) {
    const lint::Stage* t = df.FindStage(options.target);
    if (t == nullptr) {
      return Error(Errc::kUsage,
                   StrFormat("%s: target stage '%s' not found", df.filename.c_str(), options.target.c_str()));
    }
    target = t->index;
  }

  HistoryMapping m;
  m.has_dockerfile = true;
  m.target_stage = target;
  for (const lint::Stage* s = &df.stages[target]; s != nullptr; s = ParentStage(df, *s)) m.chain.push_back(s->index);
  std::reverse(m.chain.begin(), m.chain.end());
  const lint::Stage& root = df.stages[m.chain.front()];
  const lint::Stage& tstage = df.stages[target];

  size_t chain_size = 0;
  for (size_t si : m.chain) {
    const lint::Stage& st = df.stages[si];
    if (st.end_instruction > st.from_instruction) chain_size += st.end_instruction - st.from_instruction - 1;
  }
  if (chain_size > kMaxChainInstructions) {
    return Error(Errc::kTooLarge, StrFormat("%s: %zu instructions in the target stage and its parents; at most %zu "
                                            "are matched",
                                            df.filename.c_str(), chain_size, kMaxChainInstructions));
  }

  // The chain's instructions and their forms, walking the build state
  // from the root stage's FROM (a child stage inherits ENV, WORKDIR and
  // SHELL, not ARG values).
  std::vector<ChainInstruction> chain;
  std::vector<InstructionForms> forms;
  BuildState state;
  state.global_args = &df.global_args;
  state.escape = df.directives.escape;
  if (Lower(root.image_expanded) == "scratch") state.workdir = "/";
  for (size_t si : m.chain) {
    const lint::Stage& st = df.stages[si];
    state.args.clear();
    for (size_t i = st.from_instruction + 1; i < st.end_instruction && i < df.instructions.size(); ++i) {
      const lint::Instruction& ins = df.instructions[i];
      if (ins.kind == InstructionKind::kUnknown || ins.kind == InstructionKind::kFrom) continue;
      chain.push_back({i, si});
      forms.emplace_back(ins, state);
      state.Apply(ins);
    }
  }

  m.entries = ParseEntries(image);
  m.base_hint = FindBaseHint(image.history);
  const size_t n_all = m.entries.size();
  const size_t n_ins = chain.size();
  // The builder of the last entries (the build is at the end), used to
  // tell which instructions it records.
  m.producer = MajorityProducer(m.entries, n_all - std::min(n_all, std::max<size_t>(n_ins, 1)), n_all);

  // Cap the table: align only the last entries of a very long history.
  size_t offset = 0;
  if (n_ins > 0 && n_all * n_ins > kMaxAlignCells) offset = n_all - std::max<size_t>(1, kMaxAlignCells / n_ins);
  const size_t n = n_all - offset;
  size_t free_until = n;  // entries [0, free_until) of the window may be base for free
  if (m.base_hint.found)
    free_until = m.base_hint.first_build_entry > offset ? m.base_hint.first_build_entry - offset : 0;

  auto missing_cost = [&](size_t j) {
    return df.instructions[chain[j].instruction].kind == InstructionKind::kOnbuild ? kCostMissingOnbuild : kCostMissing;
  };
  // score[i][j]: EntryScore weight of entry offset+i against instruction j.
  const size_t cols = n_ins + 1;
  std::vector<int> weight(n * n_ins, kNoMatch);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n_ins; ++j) weight[i * n_ins + j] = Weight(forms[j].Compare(m.entries[offset + i].parsed));
  }
  // D[i][j]: best score of entries [0,i) against instructions [0,j).
  // step: 0 = start, 1 = diagonal (match), 2 = up (entry unmatched or
  // base), 3 = left (instruction missing).
  std::vector<int> dp((n + 1) * cols, 0);
  std::vector<uint8_t> step((n + 1) * cols, 0);
  for (size_t j = 1; j <= n_ins; ++j) {
    dp[j] = dp[j - 1] - missing_cost(j - 1);
    step[j] = 3;
  }
  for (size_t i = 1; i <= n; ++i) {
    dp[i * cols] = i <= free_until ? 0 : dp[(i - 1) * cols] - kCostExtraEntry;
    step[i * cols] = 2;
    for (size_t j = 1; j <= n_ins; ++j) {
      int best = dp[(i - 1) * cols + j] - kCostExtraEntry;
      uint8_t how = 2;
      int left = dp[i * cols + j - 1] - missing_cost(j - 1);
      if (left > best) {
        best = left;
        how = 3;
      }
      int w = weight[(i - 1) * n_ins + (j - 1)];
      if (w != kNoMatch && dp[(i - 1) * cols + j - 1] + w >= best) {
        best = dp[(i - 1) * cols + j - 1] + w;
        how = 1;
      }
      dp[i * cols + j] = best;
      step[i * cols + j] = how;
    }
  }

  // Trace back: pair[j] = window entry index or -1; in_build[i] = the entry
  // is past the free base prefix (a gap at column 0 beyond free_until, or any
  // gap at j > 0).
  std::vector<int> pair(n_ins, -1);
  std::vector<int> entry_of(n, -1);  // instruction index j, -1 none
  std::vector<bool> base(n, false);
  size_t i = n, j = n_ins;
  while (i > 0 || j > 0) {
    uint8_t how = step[i * cols + j];
    if (how == 1) {
      pair[j - 1] = static_cast<int>(i - 1);
      entry_of[i - 1] = static_cast<int>(j - 1);
      --i;
      --j;
    } else if (how == 2) {
      base[i - 1] = j == 0 && i <= free_until;
      --i;
    } else {
      --j;
    }
  }

  // Confidence of the base boundary: as sure as the first match after it.
  MatchConfidence first_conf = MatchConfidence::kNone;
  int first_line = 0;
  for (size_t k = 0; k < n_ins; ++k) {
    if (pair[k] >= 0) {
      EntryScore s = forms[k].Compare(m.entries[offset + static_cast<size_t>(pair[k])].parsed);
      first_conf = s.confidence;
      first_line = df.instructions[chain[k].instruction].start_line();
      break;
    }
  }

  const int root_from = static_cast<int>(root.from_instruction);
  const int target_from = static_cast<int>(tstage.from_instruction);
  const int root_line = df.instructions[root.from_instruction].start_line();
  const int target_line = df.instructions[tstage.from_instruction].start_line();
  for (size_t k = 0; k < n_all; ++k) {
    EntryMatch& e = m.entries[k];
    bool in_window = k >= offset;
    size_t w = k - offset;
    if (!in_window || base[w]) {
      e.origin = EntryOrigin::kBaseImage;
      e.instruction = root_from;
      e.target_instruction = target_from;
      if (n_ins == 0) {
        e.confidence = MatchConfidence::kExact;
        e.reason = "the stage has no instructions after FROM: every entry came with it";
      } else if (first_line > 0) {
        e.confidence = first_conf;
        e.reason = StrFormat("before the first matched instruction (line %d): from the base image of FROM line %d",
                             first_line, root_line);
      } else {
        e.confidence = MatchConfidence::kNone;
        e.reason = "no instruction matched: counted as the base image's";
      }
      continue;
    }
    if (entry_of[w] < 0) {
      e.origin = EntryOrigin::kUnmatched;
      e.confidence = MatchConfidence::kNone;
      e.reason = "inside the build, but no instruction matched it";
      continue;
    }
    size_t jj = static_cast<size_t>(entry_of[w]);
    EntryScore s = forms[jj].Compare(e.parsed);
    e.instruction = static_cast<int>(chain[jj].instruction);
    e.confidence = s.confidence;
    if (chain[jj].stage == target) {
      e.origin = EntryOrigin::kStage;
      e.target_instruction = e.instruction;
      e.reason = s.reason;
    } else {
      e.origin = EntryOrigin::kParentStage;
      e.target_instruction = target_from;
      e.reason = StrFormat("%s; %s, inherited through FROM line %d", s.reason.c_str(),
                           StageName(df, chain[jj].stage).c_str(), target_line);
    }
  }

  for (size_t k = 0; k < n_ins; ++k) {
    InstructionMatch im;
    im.instruction = chain[k].instruction;
    im.stage = chain[k].stage;
    im.in_target = chain[k].stage == target;
    const lint::Instruction& ins = df.instructions[im.instruction];
    if (pair[k] >= 0) {
      im.history_index = static_cast<int>(offset) + pair[k];
      EntryScore s = forms[k].Compare(m.entries[static_cast<size_t>(im.history_index)].parsed);
      im.confidence = s.confidence;
      im.reason = s.reason;
    } else if (ins.kind == InstructionKind::kOnbuild && m.producer == Producer::kBuildKit) {
      im.expected_missing = true;
      im.reason = "BuildKit records no history for ONBUILD";
    } else {
      im.reason = "no history entry matched it in order";
    }
    m.instructions.push_back(std::move(im));
  }

  MapLayers(image, &m);

  // Summary.
  MatchSummary& s = m.summary;
  std::vector<size_t> missing, positional, expected;
  for (const InstructionMatch& im : m.instructions) {
    if (im.expected_missing) {
      expected.push_back(im.instruction);
    } else if (im.history_index < 0) {
      missing.push_back(im.instruction);
    } else if (im.confidence == MatchConfidence::kExact) {
      ++s.exact;
    } else if (im.confidence == MatchConfidence::kNormalized) {
      ++s.normalized;
    } else {
      positional.push_back(im.instruction);
    }
  }
  s.positional = positional.size();
  s.missing = missing.size();
  std::vector<size_t> extra;
  size_t from_parent = 0, parent_layers = 0, base_only = 0;
  for (const EntryMatch& e : m.entries) {
    if (e.origin == EntryOrigin::kUnmatched) extra.push_back(e.history_index);
    if (e.origin == EntryOrigin::kBaseImage || e.origin == EntryOrigin::kParentStage) {
      ++s.base_entries;
      if (e.layer >= 0) ++s.base_layers;
    }
    if (e.origin == EntryOrigin::kParentStage) {
      ++from_parent;
      if (e.layer >= 0) ++parent_layers;
    }
    if (e.origin == EntryOrigin::kBaseImage) ++base_only;
  }
  s.extra = extra.size();
  const size_t total = n_ins - expected.size();
  const size_t by_text = s.exact + s.normalized;
  if (s.positional == 0 && s.missing == 0 && s.extra == 0) {
    s.verdict = Verdict::kMatches;
  } else if (by_text * 2 < total) {
    s.verdict = Verdict::kDoesNotMatch;
  } else {
    s.verdict = Verdict::kMostlyMatches;
  }

  std::string scope = m.chain.size() > 1
                          ? StrFormat("%s and the stages its FROM chains to", StageName(df, target).c_str())
                          : StageName(df, target);
  if (s.verdict == Verdict::kMatches) {
    std::string how = StrFormat("%zu by their text", s.exact);
    if (s.normalized > 0) {
      how += StrFormat(", %zu once normalised (content hashes, expanded variables, quoting)", s.normalized);
    }
    s.notes.push_back(
        StrFormat("Every instruction of %s matched a history entry, in order: %s.", scope.c_str(), how.c_str()));
  } else if (s.verdict == Verdict::kMostlyMatches) {
    s.notes.push_back(StrFormat("%zu of %zu instructions of %s matched a history entry by their text.", by_text, total,
                                scope.c_str()));
  } else {
    s.notes.push_back(StrFormat(
        "Only %zu of %zu instructions of %s matched a history entry by their text: the image was probably not "
        "built from this Dockerfile (or not from this target stage).",
        by_text, total, scope.c_str()));
  }
  if (!missing.empty()) {
    s.notes.push_back(
        StrFormat("%s did not match any history entry (%s): was the image built from another "
                  "Dockerfile, or another --target?",
                  Plural(missing.size(), "instruction", "instructions").c_str(), ListLines(df, missing).c_str()));
  }
  if (!positional.empty()) {
    s.notes.push_back(
        StrFormat("%s matched only by position, their text differs (%s): the Dockerfile may have "
                  "changed since the image was built.",
                  Plural(positional.size(), "instruction", "instructions").c_str(), ListLines(df, positional).c_str()));
  }
  if (!extra.empty()) {
    std::string list;
    for (size_t k = 0; k < extra.size() && k < kMaxListed; ++k) {
      if (!list.empty()) list += ", ";
      list += StrFormat("#%zu %s", extra[k] + 1, ElideEnd(m.entries[extra[k]].label, 40).c_str());
    }
    if (extra.size() > kMaxListed) list += StrFormat(" and %zu more", extra.size() - kMaxListed);
    s.notes.push_back(
        StrFormat("%s inside the build matched no instruction (%s): was the image built from "
                  "another version of this Dockerfile?",
                  Plural(extra.size(), "history entry", "history entries").c_str(), list.c_str()));
  }
  for (size_t ins : expected) {
    s.notes.push_back(
        StrFormat("Line %d (ONBUILD) has no history entry, as expected: BuildKit records none for ONBUILD.",
                  df.instructions[ins].start_line()));
  }
  if (s.base_entries > 0) {
    std::string detail;
    if (from_parent > 0) {
      detail = StrFormat(": %s from the parent stages (%s)", Plural(from_parent, "entry", "entries").c_str(),
                         Plural(parent_layers, "layer", "layers").c_str());
      if (base_only > 0) {
        detail += StrFormat(", %s from the base image %s", Plural(base_only, "entry", "entries").c_str(),
                            root.image_expanded.c_str());
      }
    } else {
      detail = StrFormat(": the base image %s", root.image_expanded.c_str());
    }
    s.notes.push_back(StrFormat(
        "%s (%s) came with FROM %s (line %d)%s.", Plural(s.base_entries, "history entry", "history entries").c_str(),
        Plural(s.base_layers, "layer", "layers").c_str(), tstage.image_expanded.c_str(), target_line, detail.c_str()));
  }
  if (s.verdict == Verdict::kDoesNotMatch && s.base_entries > 0 && !m.base_hint.found) {
    s.notes.push_back(
        "Where the base image ends is a guess when the Dockerfile does not match: every entry before the first "
        "matched instruction is counted as base.");
  }
  if (offset > 0) {
    s.notes.push_back(
        StrFormat("The history has %zu entries: only the last %zu were aligned, the rest counted as base.", n_all, n));
  }
  AddLayerNotes(image, m, &s.notes);
  return m;
}

}  // namespace whittle::explain
