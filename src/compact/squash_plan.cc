#include "compact/squash_plan.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace whittle {

namespace {

// Calls f(ancestor) for every proper ancestor of |path| ("/a/b/c" -> "/a/b",
// "/a", "/"); stops when f returns true and returns true then.
template <typename F>
bool AnyAncestor(std::string_view path, F f) {
  size_t end = path.size();
  while (end > 0) {
    size_t slash = path.rfind('/', end - 1);
    if (slash == std::string_view::npos) break;
    std::string_view anc = slash == 0 ? std::string_view("/") : path.substr(0, slash);
    if (f(anc)) return true;
    if (slash == 0) break;
    end = slash;
  }
  return false;
}

}  // namespace

SquashPlan PlanSquash(const std::vector<const LayerIndex*>& upper, const FsTree& base) {
  SquashPlan plan;
  const int layers = static_cast<int>(upper.size());
  plan.keep.resize(upper.size());
  plan.headers_from.resize(upper.size());
  for (int l = 0; l < layers; ++l) {
    plan.keep[l].assign(upper[l]->members.size(), false);
    plan.headers_from[l].assign(upper[l]->members.size(), SquashPlan::Ref{});
  }

  // Walk from the top down. |written|: paths a later member writes (true =
  // a directory). |deleted|/|opaque|: the highest layer whose whiteout /
  // opaque marker names the path (only acts on lower layers).
  // For a path whose latest write is a kept directory: that entry (|last|)
  // and the earliest kept entry standing for it (|first|).
  struct Written {
    bool is_dir = false;
    SquashPlan::Ref last, first;
  };
  std::unordered_map<std::string, Written> written;
  std::unordered_map<std::string, int> deleted, opaque;
  std::unordered_set<std::string> whiteouts_kept, opaques_kept;
  auto lookup = [](const std::unordered_map<std::string, int>& m, std::string_view p) {
    auto it = m.find(std::string(p));
    return it == m.end() ? -1 : it->second;
  };
  for (int l = layers - 1; l >= 0; --l) {
    const auto& members = upper[l]->members;
    for (size_t i = members.size(); i-- > 0;) {
      const MemberRecord& m = members[i];
      if (m.is_whiteout()) continue;
      const bool is_dir = m.type == TarEntryType::kDirectory;
      bool dead = false;
      auto w = written.find(m.path);
      if (w != written.end()) dead = !(is_dir && w->second.is_dir);
      if (!dead) dead = lookup(deleted, m.path) > l;
      if (!dead) {
        dead = AnyAncestor(m.path, [&](std::string_view a) {
          auto wa = written.find(std::string(a));
          if (wa != written.end() && !wa->second.is_dir) return true;
          return lookup(deleted, a) > l || lookup(opaque, a) > l;
        });
      }
      plan.keep[l][i] = !dead;
      const SquashPlan::Ref here{l, i};
      if (w == written.end()) {
        Written entry;
        entry.is_dir = is_dir;
        if (is_dir && !dead) entry.last = entry.first = here;
        written.emplace(m.path, entry);
      } else if (!dead && w->second.first.layer >= 0) {
        // A directory written again later: this entry stands for all of
        // them, with the last one's headers.
        plan.keep[w->second.first.layer][w->second.first.index] = false;
        plan.headers_from[w->second.first.layer][w->second.first.index] = SquashPlan::Ref{};
        plan.headers_from[l][i] = w->second.last;
        w->second.first = here;
        ++plan.merged_dirs;
      }
    }
    for (size_t i = 0; i < members.size(); ++i) {
      const MemberRecord& m = members[i];
      if (m.whiteout == WhiteoutKind::kFile) {
        int& d = deleted[m.whiteout_target];
        d = std::max(d, l);
        if (base.Has(m.whiteout_target) && whiteouts_kept.insert(m.whiteout_target).second) plan.keep[l][i] = true;
      } else if (m.whiteout == WhiteoutKind::kOpaque) {
        int& o = opaque[m.whiteout_target];
        o = std::max(o, l);
        if (base.HasChildren(m.whiteout_target) && opaques_kept.insert(m.whiteout_target).second) {
          plan.keep[l][i] = true;
        }
      }
    }
  }
  // Hard links: the member a kept link resolves to, at the link's place in
  // the stream, must be in the output too.
  struct Pos {
    int layer;
    size_t index;
  };
  std::unordered_map<std::string, Pos> last_writer;
  std::vector<std::vector<int>> link_to_layer(upper.size());
  std::vector<std::vector<size_t>> link_to_index(upper.size());
  for (int l = 0; l < layers; ++l) {
    link_to_layer[l].assign(upper[l]->members.size(), -1);
    link_to_index[l].assign(upper[l]->members.size(), 0);
  }
  std::vector<Pos> work;
  for (int l = 0; l < layers; ++l) {
    const auto& members = upper[l]->members;
    for (size_t i = 0; i < members.size(); ++i) {
      const MemberRecord& m = members[i];
      if (m.is_whiteout()) continue;
      if (m.type == TarEntryType::kHardLink) {
        auto t = last_writer.find(m.link_target);
        if (t != last_writer.end()) {
          link_to_layer[l][i] = t->second.layer;
          link_to_index[l][i] = t->second.index;
          if (plan.keep[l][i]) work.push_back(t->second);
        }
      }
      last_writer[m.path] = Pos{l, i};
    }
  }
  while (!work.empty()) {
    Pos p = work.back();
    work.pop_back();
    if (plan.keep[p.layer][p.index]) continue;
    plan.keep[p.layer][p.index] = true;
    ++plan.kept_for_links;
    if (link_to_layer[p.layer][p.index] >= 0) {
      work.push_back(Pos{link_to_layer[p.layer][p.index], link_to_index[p.layer][p.index]});
    }
  }
  for (int l = 0; l < layers; ++l) {
    for (size_t i = 0; i < upper[l]->members.size(); ++i) {
      ++plan.members_total;
      if (plan.keep[l][i]) {
        ++plan.members_kept;
      } else {
        plan.dropped_tar_bytes += upper[l]->members[i].tar_bytes;
      }
    }
  }
  return plan;
}

}  // namespace whittle
