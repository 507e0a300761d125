// FsTree: the final filesystem an image's layers unpack to, as far as
// compact's verification needs it: for every path its type, permission
// bits, owner, link target, xattrs and content hash (not mtimes). Layers
// apply as the image spec says: a layer's whiteouts and opaque markers act
// on the layers below it first, then its members are laid down in tar order
// (a non-directory replaces whatever was at its path, subtree included; a
// directory over a directory keeps the children; a hard link copies its
// target's node).
#ifndef WHITTLE_COMPACT_FS_TREE_H_
#define WHITTLE_COMPACT_FS_TREE_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compact/layer_index.h"

namespace whittle {

struct FsNode {
  char type = 'f';  // f regular, d dir, l symlink, c/b device, p fifo, ? other, h dangling hard link
  uint32_t mode = 0;
  uint64_t uid = 0, gid = 0;
  std::string link;  // symlink target; dangling hard link's target
  std::string xattrs;
  std::array<uint8_t, 32> content{};
  bool operator==(const FsNode&) const = default;
};

class FsTree {
 public:
  /// Applies one layer on top of the tree.
  void Apply(const LayerIndex& layer);
  /// True when something lies strictly below directory |dir|.
  bool HasChildren(const std::string& dir) const;
  bool Has(const std::string& path) const { return nodes_.count(path) != 0; }
  /// "sha256:<hex>" over every path and node, in path order.
  std::string Hash() const;
  /// Up to |max| lines "PATH: what differs" where *this (input) and |other|
  /// (output) disagree, in path order.
  std::vector<std::string> Differences(const FsTree& other, size_t max) const;
  size_t size() const { return nodes_.size(); }

 private:
  void EraseSubtree(const std::string& path, bool include_self);
  std::map<std::string, FsNode> nodes_;
};

/// One line describing |n| ("file 0644 0:0 sha256:ab12…").
std::string DescribeNode(const FsNode& n);

}  // namespace whittle

#endif  // WHITTLE_COMPACT_FS_TREE_H_
