#include "compact/fs_tree.h"

#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {

namespace {

char TypeChar(TarEntryType t) {
  switch (t) {
    case TarEntryType::kRegular:
      return 'f';
    case TarEntryType::kDirectory:
      return 'd';
    case TarEntryType::kSymlink:
      return 'l';
    case TarEntryType::kCharDevice:
      return 'c';
    case TarEntryType::kBlockDevice:
      return 'b';
    case TarEntryType::kFifo:
      return 'p';
    case TarEntryType::kHardLink:
      return 'h';
    case TarEntryType::kOther:
      return '?';
  }
  return '?';
}

std::string Hex(const std::array<uint8_t, 32>& h, size_t bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < bytes; ++i) {
    s += kHex[h[i] >> 4];
    s += kHex[h[i] & 15];
  }
  return s;
}

}  // namespace

std::string DescribeNode(const FsNode& n) {
  static const char* kNames[] = {"file", "dir", "symlink", "device", "fifo", "other", "dangling hard link"};
  const char* name = n.type == 'f'                      ? kNames[0]
                     : n.type == 'd'                    ? kNames[1]
                     : n.type == 'l'                    ? kNames[2]
                     : (n.type == 'c' || n.type == 'b') ? kNames[3]
                     : n.type == 'p'                    ? kNames[4]
                     : n.type == 'h'                    ? kNames[6]
                                                        : kNames[5];
  std::string s = StrFormat("%s %04o %llu:%llu", name, n.mode, static_cast<unsigned long long>(n.uid),
                            static_cast<unsigned long long>(n.gid));
  if (!n.link.empty()) s += " -> " + n.link;
  if (n.type == 'f') s += " sha256:" + Hex(n.content, 6) + "…";
  if (!n.xattrs.empty()) s += " xattrs";
  return s;
}

void FsTree::EraseSubtree(const std::string& path, bool include_self) {
  if (include_self) nodes_.erase(path);
  if (path == "/") {
    auto keep = nodes_.find("/");
    FsNode root;
    bool had = keep != nodes_.end();
    if (had) root = keep->second;
    nodes_.clear();
    if (had && !include_self) nodes_["/"] = root;
    return;
  }
  std::string lo = path + "/";
  std::string hi = path + "0";  // '0' sorts right after '/'
  nodes_.erase(nodes_.lower_bound(lo), nodes_.lower_bound(hi));
}

bool FsTree::HasChildren(const std::string& dir) const {
  if (dir == "/") {
    for (const auto& [p, n] : nodes_) {
      if (p != "/") return true;
    }
    return false;
  }
  auto it = nodes_.lower_bound(dir + "/");
  return it != nodes_.end() && it->first < dir + "0";
}

void FsTree::Apply(const LayerIndex& layer) {
  for (const MemberRecord& m : layer.members) {
    if (m.whiteout == WhiteoutKind::kFile) EraseSubtree(m.whiteout_target, true);
    if (m.whiteout == WhiteoutKind::kOpaque) EraseSubtree(m.whiteout_target, false);
  }
  for (const MemberRecord& m : layer.members) {
    if (m.is_whiteout()) continue;
    FsNode n;
    n.type = TypeChar(m.type);
    n.mode = m.mode;
    n.uid = m.uid;
    n.gid = m.gid;
    n.xattrs = m.xattrs;
    if (m.type == TarEntryType::kSymlink) n.link = m.link_target;
    if (m.type == TarEntryType::kRegular) n.content = m.content;
    if (m.type == TarEntryType::kHardLink) {
      auto t = nodes_.find(m.link_target);
      if (t != nodes_.end() && t->second.type != 'd') {
        n = t->second;  // same inode: the target's metadata and content
      } else {
        n.link = m.link_target;
      }
    }
    auto it = nodes_.find(m.path);
    if (n.type == 'd' && it != nodes_.end() && it->second.type == 'd') {
      it->second = n;  // children stay
      continue;
    }
    EraseSubtree(m.path, true);
    nodes_[m.path] = n;
  }
}

std::string FsTree::Hash() const {
  Sha256 h;
  for (const auto& [p, n] : nodes_) {
    std::string rec = p;
    rec += '\0';
    rec += StrFormat("%c %o %llu %llu", n.type, n.mode, static_cast<unsigned long long>(n.uid),
                     static_cast<unsigned long long>(n.gid));
    rec += '\0';
    rec += n.link;
    rec += '\0';
    rec += n.xattrs;
    rec += '\0';
    rec.append(reinterpret_cast<const char*>(n.content.data()), n.content.size());
    h.Update(rec.data(), rec.size());
  }
  return h.FinishDigest();
}

std::vector<std::string> FsTree::Differences(const FsTree& other, size_t max) const {
  std::vector<std::string> out;
  auto a = nodes_.begin();
  auto b = other.nodes_.begin();
  while ((a != nodes_.end() || b != other.nodes_.end()) && out.size() < max) {
    if (b == other.nodes_.end() || (a != nodes_.end() && a->first < b->first)) {
      out.push_back(a->first + ": missing from the output (input: " + DescribeNode(a->second) + ")");
      ++a;
    } else if (a == nodes_.end() || b->first < a->first) {
      out.push_back(b->first + ": only in the output (" + DescribeNode(b->second) + ")");
      ++b;
    } else {
      if (!(a->second == b->second)) {
        out.push_back(a->first + ": input " + DescribeNode(a->second) + ", output " + DescribeNode(b->second));
      }
      ++a;
      ++b;
    }
  }
  return out;
}

}  // namespace whittle
