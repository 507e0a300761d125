// ClassifyEntries: one walk over the layers from the top down.
//
// A table of covers, one per path (CoverTable below), records what the layers
// above (and the later members of the same tar) cover:
//   exact  - a path that an upper member writes again, or a whiteout deletes:
//            whatever a lower layer stored at exactly that path is dead;
//   below  - a subtree whose lower contents are all dead: a whiteout's target,
//            an opaque directory, a path an upper non-directory replaced.
// Each cover keeps the LOWEST layer that set it (the walk goes downwards, so
// the newest write is the lowest layer), which is the layer that first made a
// lower member invisible when the image is stacked bottom-up. A member is
// classified by the lowest cover on its path: `below` of each ancestor,
// `exact` of its own node.
//
//   layer 3  .wh.a            -> a: exact+below = {3, deleted}
//   layer 2  /a/f             -> classify: ancestor a below {3} -> deleted by 3
//   layer 1  /a/f, /a/g       -> /a/f exact {2} vs a below {3}: overwritten by 2
//
// Whiteouts and opaque markers of a layer are added after its own members are
// classified: they apply to lower layers only (image-spec layer.md).
#include "waste/entry_fate.h"

#include <vector>

#include "util/big_array.h"
#include "waste/path_nodes.h"

namespace whittle {

std::string_view FateName(Fate fate) {
  switch (fate) {
    case Fate::kLive: return "live";
    case Fate::kOverwritten: return "overwritten";
    case Fate::kDeleted: return "deleted";
    case Fate::kHiddenByOpaque: return "hidden-by-opaque";
    case Fate::kMarker: return "marker";
  }
  return "live";
}

namespace {

struct Cover {
  uint32_t layer = kNoLayer;
  Fate reason = Fate::kLive;
  PathId root = kNoPath;
  // Sets this cover unless an equal-or-lower layer already holds it. Within
  // one layer a later call wins (whiteouts are added after members).
  void Set(uint32_t l, Fate r, PathId p) {
    if (l <= layer) {
      layer = l;
      reason = r;
      root = p;
    }
  }
};

struct CoverNode {
  Cover exact;
  Cover below;
};

// The covers of every path, by its node (waste/path_nodes.h): the scanner
// interned each member's path and each whiteout's and opaque marker's
// target, so finding a member's cover needs no hashing of its components.
class CoverTable {
 public:
  explicit CoverTable(PathNodes& nodes) : nodes_(nodes) { covers_.resize(nodes_.size()); }

  uint32_t Node(PathId id) const { return nodes_.Node(id); }
  CoverNode& at(uint32_t node) { return covers_[node]; }

  // The lowest cover that kills a member at |node| (into |*best|): the
  // `below` of each ancestor, root first, then its own `exact` (on equal
  // layers the first one met wins, as a walk down from the root finds).
  void Lookup(uint32_t node, Cover* best) {
    if (node != nodes_.root()) {
      ancestors_.clear();
      for (uint32_t a = nodes_.Parent(node);; a = nodes_.Parent(a)) {
        ancestors_.push_back(a);
        if (a == nodes_.root()) break;
      }
      // Directories no member names got nodes on the way.
      if (covers_.size() < nodes_.size()) covers_.resize(nodes_.size());
      for (size_t i = ancestors_.size(); i-- > 0;) Consider(covers_[ancestors_[i]].below, best);
    }
    Consider(covers_[node].exact, best);
  }

 private:
  static void Consider(const Cover& c, Cover* best) {
    if (c.layer < best->layer) *best = c;
  }

  PathNodes& nodes_;
  BigVector<CoverNode> covers_;  // by node
  std::vector<uint32_t> ancestors_;
};

// Hard links: a live link keeps the data of the member it points to visible.
// |n_paths| bounds the layer's path ids (PathInterner::size()).
void ApplyHardLinks(const LayerScan& layer, size_t n_paths, LayerFates* fates) {
  // Most layers have no hard link: then nothing to do, and no table of
  // every file's path to build.
  bool links = false;
  for (const LayerEntry& e : layer.entries) links = links || e.kind == EntryKind::kHardLink;
  if (!links) return;
  // path -> index of the entry holding its data, kNone when none. Path ids
  // are dense: a flat table, not a hash map with a node per file (a base
  // layer with hard links holds tens of thousands of files).
  constexpr uint32_t kNone = 0xffffffffu;
  std::vector<uint32_t> holder(n_paths, kNone);
  auto set = [&](PathId p, uint32_t v) {
    if (p < holder.size()) holder[p] = v;
  };
  std::vector<bool> kept(layer.entries.size(), false);
  bool any = false;
  for (size_t k = 0; k < layer.entries.size(); ++k) {
    const LayerEntry& e = layer.entries[k];
    if (e.kind == EntryKind::kFile) {
      set(e.path, static_cast<uint32_t>(k));
    } else if (e.kind == EntryKind::kHardLink) {
      const uint32_t h = e.target < holder.size() ? holder[e.target] : kNone;
      if (h == kNone) {
        set(e.path, kNone);
        continue;
      }
      set(e.path, h);
      if (!(*fates)[k].dead()) {
        kept[h] = true;
        any = true;
      }
    } else {
      set(e.path, kNone);
    }
  }
  if (!any) return;
  for (size_t k = 0; k < kept.size(); ++k) {
    EntryFate& f = (*fates)[k];
    if (kept[k] && f.dead()) {
      f = EntryFate{};
      f.kept_by_link = true;
    }
  }
}

}  // namespace

ImageFates ClassifyEntries(const ImageScan& scan) {
  PathNodes nodes(*scan.paths);
  return ClassifyEntries(scan, nodes);
}

ImageFates ClassifyEntries(const ImageScan& scan, PathNodes& nodes) {
  ImageFates out(scan.layers.size());
  const PathInterner& paths = *scan.paths;
  CoverTable covers(nodes);
  for (size_t li = scan.layers.size(); li-- > 0;) {
    const LayerScan& layer = scan.layers[li];
    const uint32_t l = static_cast<uint32_t>(li);
    LayerFates& fates = out[li];
    fates.resize(layer.entries.size());
    // Members, last in tar order first: a later member at the same path
    // overwrites an earlier one of the same tar.
    for (size_t k = layer.entries.size(); k-- > 0;) {
      const LayerEntry& e = layer.entries[k];
      EntryFate& f = fates[k];
      if (e.kind == EntryKind::kWhiteout || e.kind == EntryKind::kOpaque) {
        f.fate = Fate::kMarker;
        continue;
      }
      if (e.path == kNoPath) continue;
      const uint32_t at = covers.Node(e.path);
      Cover c;
      covers.Lookup(at, &c);
      if (c.layer != kNoLayer) {
        f.fate = c.reason;
        f.killer_layer = c.layer;
        f.kill_root = c.root;
      }
      CoverNode& node = covers.at(at);
      node.exact.Set(l, Fate::kOverwritten, e.path);
      // A non-directory replaces a lower directory with all its contents.
      if (e.kind != EntryKind::kDir) node.below.Set(l, Fate::kOverwritten, e.path);
    }
    // Then this layer's markers, for the layers below.
    for (const LayerEntry& e : layer.entries) {
      if (e.target == kNoPath) continue;
      if (e.kind == EntryKind::kWhiteout) {
        CoverNode& node = covers.at(covers.Node(e.target));
        node.exact.Set(l, Fate::kDeleted, e.target);
        node.below.Set(l, Fate::kDeleted, e.target);
      } else if (e.kind == EntryKind::kOpaque) {
        CoverNode& node = covers.at(covers.Node(e.target));
        node.below.Set(l, Fate::kHiddenByOpaque, e.target);
      }
    }
    ApplyHardLinks(layer, paths.size(), &fates);
  }
  return out;
}

std::vector<std::vector<std::string_view>> ClassifyEntryLabels(const ImageScan& scan) {
  ImageFates fates = ClassifyEntries(scan);
  std::vector<std::vector<std::string_view>> labels(fates.size());
  for (size_t layer = 0; layer < fates.size(); ++layer) {
    labels[layer].reserve(fates[layer].size());
    for (const EntryFate& f : fates[layer]) labels[layer].push_back(FateName(f.fate));
  }
  return labels;
}

}  // namespace whittle
