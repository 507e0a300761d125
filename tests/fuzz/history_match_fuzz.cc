// Fuzz target for the history matcher (src/explain/history_match.h): parse a
// Dockerfile, build an image history, match both ways, and check the
// invariants explain relies on. Must never crash or hang. Replayed over
// seeds made from tests/data/explain plus deterministic mutations by
// explain_test (src/explain/history_match_fuzz_test.cc).
//
// Input: Dockerfile text, a line "#---", then one history entry per line:
// a first byte '1' for an empty_layer entry (anything else: a layer), then
// created_by, then optionally a TAB and the comment; "\n" inside created_by
// is written as the two characters backslash, n. A first input byte that
// is odd adds one layer too many (history and layers then do not pair).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "explain/history_match.h"
#include "lint/dockerfile_parser.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckMapping(const whittle::Image& image, const whittle::explain::HistoryMapping& m,
                  const whittle::lint::Dockerfile* df) {
  using whittle::explain::EntryOrigin;
  Check(m.entries.size() == image.history.size());
  Check(m.layer_entries.size() == image.layers.size());
  for (size_t l = 0; l < m.layer_entries.size(); ++l) {
    int h = m.layer_entries[l];
    Check(h >= -1 && h < static_cast<int>(m.entries.size()));
    if (h >= 0) Check(m.entries[static_cast<size_t>(h)].layer == static_cast<int>(l));
  }
  size_t n_ins = df == nullptr ? 0 : df->instructions.size();
  for (size_t i = 0; i < m.entries.size(); ++i) {
    const auto& e = m.entries[i];
    Check(e.history_index == i);
    Check(e.instruction >= -1 && e.instruction < static_cast<int>(n_ins));
    Check(e.target_instruction >= -1 && e.target_instruction < static_cast<int>(n_ins));
    if (df != nullptr && (e.origin == EntryOrigin::kStage || e.origin == EntryOrigin::kParentStage)) {
      Check(e.instruction >= 0);
    }
  }
  // Monotone: instructions take increasing entries, each at most once, and
  // the entry names the instruction back.
  int last = -1;
  size_t counted = 0;
  for (const auto& im : m.instructions) {
    Check(im.instruction < n_ins);
    if (im.history_index >= 0) {
      Check(im.history_index > last);
      last = im.history_index;
      Check(m.entries[static_cast<size_t>(im.history_index)].instruction == static_cast<int>(im.instruction));
    }
    if (im.expected_missing) ++counted;
  }
  const auto& s = m.summary;
  Check(s.exact + s.normalized + s.positional + s.missing + counted == m.instructions.size());
  Check(s.base_entries <= m.entries.size());
  Check(!s.notes.empty() || (df != nullptr && image.history.empty() && m.instructions.empty()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t sep = in.find("\n#---\n");
  std::string_view dockerfile = in.substr(0, sep);
  std::string_view rest = sep == std::string_view::npos ? std::string_view() : in.substr(sep + 6);

  whittle::Image image;
  size_t layers = 0;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.empty()) continue;
    whittle::HistoryEntry h;
    h.empty_layer = line[0] == '1';
    line.remove_prefix(1);
    size_t tab = line.find('\t');
    std::string_view cb = line.substr(0, tab);
    if (tab != std::string_view::npos) h.comment = std::string(line.substr(tab + 1));
    for (size_t i = 0; i < cb.size(); ++i) {
      if (cb[i] == '\\' && i + 1 < cb.size() && cb[i + 1] == 'n') {
        h.created_by.push_back('\n');
        ++i;
      } else {
        h.created_by.push_back(cb[i]);
      }
    }
    if (!h.empty_layer) ++layers;
    image.history.push_back(std::move(h));
  }
  if (size > 0 && (data[0] & 1) != 0) ++layers;
  image.layers.resize(layers);

  whittle::explain::HistoryMapping only = whittle::explain::MatchHistoryOnly(image);
  CheckMapping(image, only, nullptr);

  auto df = whittle::lint::ParseDockerfile(dockerfile, "Dockerfile");
  if (!df.has_value()) return 0;
  for (const char* target : {"", "0", "build"}) {
    whittle::explain::MatchOptions opt;
    opt.target = target;
    auto m = whittle::explain::MatchHistory(image, *df, opt);
    if (!m.has_value()) continue;
    Check(m->target_stage < df->stages.size());
    Check(!m->chain.empty() && m->chain.back() == m->target_stage);
    CheckMapping(image, *m, &*df);
  }
  return 0;
}
