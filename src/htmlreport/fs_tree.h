// FsTree: the final filesystem of an image as a size tree, cut to a node
// budget so that the page that draws it stays small and quick whatever the
// image holds (issue 12: a 200,000-file image must not freeze the page).
//
// What it is: every visible file with content bytes, placed at its path,
// each directory the sum of what is under it, each node carrying the kind
// and the layer that hold most of its bytes. What it is not: a listing.
// Directories and empty files carry no bytes and are not in it; symlinks
// neither (their targets are).
//
// The budget. A node is kept when its bytes reach a threshold T; siblings
// below T fold into one "[N smaller files]" node (one alone stays itself,
// with its own subtree cut away). T is the smallest size for which kept
// nodes plus folds fit |max_nodes|, so a small image is drawn whole and a
// large one loses only its smallest files:
//
//   /usr (90 MiB)                    /usr (90 MiB)
//    ├─ lib (80 MiB)         T=1MiB   ├─ lib (80 MiB)
//    ├─ a.txt (10 KiB)       ----->   └─ [2 smaller files] (30 KiB)
//    └─ b.txt (20 KiB)
//
// Because a node is never larger than its parent, the kept nodes form a
// tree rooted at "/", and every byte is still counted: the root's bytes
// are the sum of the files, kept or folded.
#ifndef WHITTLE_HTMLREPORT_FS_TREE_H_
#define WHITTLE_HTMLREPORT_FS_TREE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace whittle::htmlreport {

struct TreeNode {
  std::string name;     // a path component; "/" for the root; "[N smaller files]" for a fold
  uint64_t bytes = 0;   // content bytes of the subtree
  uint64_t files = 0;   // files in the subtree (a file: 1)
  uint32_t kind = 0;    // index into the builder's kinds: the one holding most bytes
  uint32_t layer = 0;   // 0-based layer holding most bytes
  bool dir = false;     // a directory (its children may all be cut away)
  bool fold = false;    // "[N smaller files]"
  std::vector<TreeNode> children;  // largest first, then by name; a fold last
};

struct FsTree {
  TreeNode root;
  size_t nodes = 0;            // nodes emitted, the root included
  uint64_t threshold = 0;      // T: 0 when the whole tree fits
  uint64_t folded_files = 0;   // files not drawn as themselves
  size_t all_nodes = 0;        // nodes of the uncut tree, the root included
};

/// Collects files, then cuts the tree. Memory grows with the number of
/// distinct path components, never with bytes.
class FsTreeBuilder {
 public:
  /// |kinds| and |layers| bound the indexes AddFile accepts.
  FsTreeBuilder(size_t kinds, size_t layers);
  FsTreeBuilder(const FsTreeBuilder&) = delete;
  FsTreeBuilder& operator=(const FsTreeBuilder&) = delete;

  /// Adds a visible file. |path| is absolute and normalised ("/usr/bin/x");
  /// a path added twice adds its bytes twice (the caller passes each live
  /// file once). Out-of-range |kind|/|layer| are clamped to the last one.
  void AddFile(std::string_view path, uint64_t bytes, uint32_t kind, uint32_t layer);

  /// The tree cut to at most |max_nodes| nodes (at least 2: the root and
  /// one fold). Deterministic: the order files were added in does not matter.
  FsTree Finish(size_t max_nodes) const;

 private:
  struct Node {
    uint64_t bytes = 0;
    uint64_t files = 0;
    uint64_t own_bytes = 0;  // bytes of the file at this very path (0: a directory)
    uint32_t kind = 0;       // of the file at this path
    uint32_t layer = 0;
    std::map<std::string, uint32_t, std::less<>> children;
  };
  struct Agg;
  size_t CountAt(uint64_t t) const;
  Agg Emit(uint32_t id, const std::string& name, uint64_t t, bool expand, TreeNode* out, FsTree* tree) const;

  size_t kinds_, layers_;
  std::deque<Node> nodes_;  // nodes_[0] is "/"
};

}  // namespace whittle::htmlreport

#endif  // WHITTLE_HTMLREPORT_FS_TREE_H_
