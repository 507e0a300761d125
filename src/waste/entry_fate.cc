// ClassifyEntries: one walk over the layers from the top down.
//
// The trie records what the layers above (and the later members of the same
// tar) cover:
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

#include "util/big_array.h"
#include "waste/component_trie.h"

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

class CoverTrie {
 public:
  CoverTrie() : covers_(1) {}
  // Room for |n| nodes: no doubling (and no copy) on the way there.
  void Reserve(size_t n) {
    trie_.Reserve(n);
    covers_.reserve(n);
  }

  uint32_t NodeFor(std::string_view path) {
    const std::vector<uint32_t>& nodes = Walk(path);
    return nodes.empty() ? ComponentTrie::kRoot : nodes.back();
  }
  CoverNode& at(uint32_t node) { return covers_[node]; }

  // Prefetches the slot of |next| (a member a few ahead in the walk) when
  // it is a sibling of the path walked last: then its parent's node is
  // known (the common case: a tar lists a directory's members together).
  bool PrefetchPays() const { return trie_.PrefetchPays(); }
  void PrefetchSibling(std::string_view last, std::string_view next) const {
    trie_.PrefetchSibling(nodes_, last, next);
  }

  // The lowest cover that kills a member at |path| (into |*best|), and the
  // node of |path|, created with its missing ancestors. One walk does both:
  // nodes created on the way carry no cover, so they cannot change |*best|.
  uint32_t LookupAndAdd(std::string_view path, Cover* best) {
    const std::vector<uint32_t>& nodes = Walk(path);
    uint32_t node = ComponentTrie::kRoot;
    for (uint32_t child : nodes) {
      Consider(covers_[node].below, best);
      node = child;
    }
    Consider(covers_[node].exact, best);
    return node;
  }

 private:
  // The node of each component of |path|, created when missing. A tar lists
  // a directory's members together, so a path usually shares its leading
  // components with the one walked before: their nodes are reused and only
  // the rest is probed (on a Debian base layer about one probe per member
  // instead of one per component; nodes are never removed, so a remembered
  // id stays right, and its name is the trie's).
  const std::vector<uint32_t>& Walk(std::string_view path) {
    SplitPathComponents(path, &parts_);
    size_t common = 0;
    while (common < parts_.size() && common < nodes_.size() && parts_[common] == trie_.name(nodes_[common])) ++common;
    nodes_.resize(parts_.size());  // nodes_[0, common) are the previous walk's, still right
    uint32_t node = common == 0 ? ComponentTrie::kRoot : nodes_[common - 1];
    for (size_t i = common; i < parts_.size(); ++i) {
      bool created = false;
      node = trie_.FindOrAdd(node, parts_[i], &created);
      if (created) covers_.emplace_back();
      nodes_[i] = node;
    }
    return nodes_;
  }

  static void Consider(const Cover& c, Cover* best) {
    if (c.layer < best->layer) *best = c;
  }
  ComponentTrie trie_;
  BigVector<CoverNode> covers_;
  std::vector<std::string_view> parts_;
  std::vector<uint32_t> nodes_;  // the node of each of the last walk's components
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
  ImageFates out(scan.layers.size());
  CoverTrie covers;
  const PathInterner& paths = *scan.paths;
  size_t entries = 0;
  for (const LayerScan& layer : scan.layers) entries += layer.entries.size();
  covers.Reserve(entries + 1);  // about one node per member: parents are members too
  const bool prefetch = covers.PrefetchPays();  // decided once: Reserve sized the table for the walk
  constexpr size_t kAhead = ComponentTrie::kPrefetchAhead;
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
      std::string_view path = paths.Get(e.path);
      Cover c;
      uint32_t at = covers.LookupAndAdd(path, &c);
      if (prefetch && k >= kAhead && layer.entries[k - kAhead].path != kNoPath) {
        covers.PrefetchSibling(path, paths.Get(layer.entries[k - kAhead].path));
      }
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
        CoverNode& node = covers.at(covers.NodeFor(paths.Get(e.target)));
        node.exact.Set(l, Fate::kDeleted, e.target);
        node.below.Set(l, Fate::kDeleted, e.target);
      } else if (e.kind == EntryKind::kOpaque) {
        CoverNode& node = covers.at(covers.NodeFor(paths.Get(e.target)));
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
