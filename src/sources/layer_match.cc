#include "sources/layer_match.h"

#include "scan/history_labels.h"

namespace whittle {

namespace {

// Cleaned instruction text per layer ("" when the history does not match).
std::vector<std::string> LayerTexts(const Image& image) {
  std::vector<std::string> out(image.layers.size());
  std::vector<int> match = MatchHistoryToLayers(image);
  for (size_t i = 0; i < out.size() && i < match.size(); ++i) {
    if (match[i] >= 0) out[i] = CleanCreatedBy(image.history[static_cast<size_t>(match[i])].created_by);
  }
  return out;
}

std::string DiffIdOf(const Image& image, size_t i) {
  if (!image.layers[i].diff_id.empty()) return image.layers[i].diff_id;
  return i < image.diff_ids.size() ? image.diff_ids[i] : std::string();
}

}  // namespace

LayerMatchResult MatchLayers(const Image& old_image, const Image& new_image) {
  const size_t n_old = old_image.layers.size(), n_new = new_image.layers.size();
  LayerMatchResult r;
  r.old_labels = LayerLabels(old_image);
  r.old_labels.resize(n_old);
  r.new_index.assign(n_old, -1);
  r.how.assign(n_old, LayerMatch::kNone);
  std::vector<std::string> new_labels = LayerLabels(new_image);
  new_labels.resize(n_new);
  std::vector<bool> taken(n_new, false);

  auto take = [&](size_t o, size_t n, LayerMatch how) {
    r.new_index[o] = static_cast<int>(n);
    r.how[o] = how;
    r.old_labels[o] = new_labels[n];
    taken[n] = true;
  };
  // Pass 1: identical tars. Scanning NEW from the last taken position keeps
  // repeated identical layers (empty tars) paired in order.
  for (size_t o = 0; o < n_old; ++o) {
    std::string id = DiffIdOf(old_image, o);
    if (id.empty()) continue;
    for (size_t n = 0; n < n_new; ++n) {
      if (!taken[n] && DiffIdOf(new_image, n) == id) {
        take(o, n, LayerMatch::kDiffId);
        break;
      }
    }
  }
  // Pass 2: the same instruction, rebuilt.
  std::vector<std::string> old_text = LayerTexts(old_image), new_text = LayerTexts(new_image);
  for (size_t o = 0; o < n_old; ++o) {
    if (r.how[o] != LayerMatch::kNone || old_text[o].empty()) continue;
    for (size_t n = 0; n < n_new; ++n) {
      if (!taken[n] && new_text[n] == old_text[o]) {
        take(o, n, LayerMatch::kInstruction);
        break;
      }
    }
  }
  return r;
}

}  // namespace whittle
