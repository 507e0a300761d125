#include "sources/package_attribution.h"

#include <cstring>
#include <map>
#include <set>

#include "pkg/apk.h"
#include "pkg/db_paths.h"
#include "pkg/dpkg.h"
#include "pkg/go_buildinfo.h"
#include "pkg/node_packages.h"
#include "pkg/python_dist.h"
#include "pkg/rpmdb.h"
#include "scan/background_capture.h"
#include "util/strings.h"

namespace whittle {

namespace {

using pkg::DbFileKind;

// Go binaries smaller than this are not worth a look: the smallest Go
// hello world is over a megabyte.
constexpr uint64_t kMinGoBinary = 256 * 1024;
// Bytes read from the start of an executable to find its program headers
// and notes.
constexpr uint64_t kHeadBytes = 16 * 1024;

uint64_t ReadUint(const unsigned char* p, size_t n, bool big_endian) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t k = big_endian ? i : n - 1 - i;
    v = (v << 8) | p[k];
  }
  return v;
}

// True when the ELF program headers in |head| include a PT_NOTE segment with
// the Go linker's build-id note (owner "Go", type 4). Every binary the Go
// toolchain links carries it, so a C binary is rejected after reading its
// first kHeadBytes, without skipping through it to its data segment.
bool HasGoNote(std::string_view head) {
  const auto* b = reinterpret_cast<const unsigned char*>(head.data());
  const size_t n = head.size();
  if (n < 52 || std::memcmp(b, "\x7f" "ELF", 4) != 0) return false;
  const bool is64 = b[4] == 2;
  const bool be = b[5] == 2;
  if ((b[4] != 1 && b[4] != 2) || (b[5] != 1 && b[5] != 2)) return false;
  if (is64 && n < 64) return false;
  uint64_t phoff = is64 ? ReadUint(b + 0x20, 8, be) : ReadUint(b + 0x1c, 4, be);
  uint64_t phentsize = is64 ? ReadUint(b + 0x36, 2, be) : ReadUint(b + 0x2a, 2, be);
  uint64_t phnum = is64 ? ReadUint(b + 0x38, 2, be) : ReadUint(b + 0x2c, 2, be);
  if (phentsize < (is64 ? 56u : 32u) || phnum > 256) return false;
  for (uint64_t i = 0; i < phnum; ++i) {
    uint64_t ph = phoff + i * phentsize;
    if (ph > n || n - ph < phentsize) return false;
    if (ReadUint(b + ph, 4, be) != 4) continue;  // PT_NOTE
    uint64_t off = is64 ? ReadUint(b + ph + 8, 8, be) : ReadUint(b + ph + 4, 4, be);
    uint64_t size = is64 ? ReadUint(b + ph + 32, 8, be) : ReadUint(b + ph + 16, 4, be);
    uint64_t end = off > n ? n : std::min<uint64_t>(n, off + std::min<uint64_t>(size, n));
    uint64_t p = off;
    while (p + 12 <= end) {
      uint64_t namesz = ReadUint(b + p, 4, be), descsz = ReadUint(b + p + 4, 4, be), type = ReadUint(b + p + 8, 4, be);
      if (p + 12 + 3 <= n && (namesz == 3 || namesz == 4) && type == 4 && std::memcmp(b + p + 12, "Go\0", 3) == 0) {
        return true;
      }
      uint64_t step = 12 + ((namesz + 3) & ~uint64_t{3}) + ((descsz + 3) & ~uint64_t{3});
      if (namesz > n || descsz > n) break;
      p += step;
    }
  }
  return false;
}

Result<std::string> ExtractGoModule(const CaptureCandidate&, MemberBody& body) {
  std::string head;
  RETURN_IF_ERROR(body.ReadUpTo(kHeadBytes, &head));
  if (!HasGoNote(head)) return std::string();
  auto layout = pkg::ParseElfLayout(head);
  if (!layout) return std::string();
  uint64_t pos = head.size();
  for (const pkg::FileRange& w : pkg::GoBuildInfoWindows(*layout)) {
    if (w.size == 0) continue;
    std::string bytes;
    if (w.offset < pos) {  // the window starts inside what was read already
      if (w.offset + w.size <= pos) {
        bytes = head.substr(static_cast<size_t>(w.offset), static_cast<size_t>(w.size));
      } else {
        bytes = head.substr(static_cast<size_t>(w.offset));
        if (pos != head.size()) continue;  // head is gone; windows overlap oddly
        RETURN_IF_ERROR(body.ReadUpTo(w.offset + w.size - pos, &bytes));
        pos = w.offset + bytes.size();
      }
    } else {
      RETURN_IF_ERROR(body.Skip(w.offset - pos));
      pos = w.offset;
      RETURN_IF_ERROR(body.ReadUpTo(w.size, &bytes));
      pos += bytes.size();
    }
    auto info = pkg::ParseGoBuildInfo(bytes, w.offset, *layout);
    if (info) return info->module_label();
    if (info.error().code() != Errc::kNotFound) return info.error();
  }
  return std::string();
}

std::string_view Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "gcc-12.list" / "libc6:amd64.list" -> "gcc-12" / "libc6".
std::string DebNameFromList(std::string_view path) {
  std::string_view b = Basename(path);
  if (EndsWith(b, ".list")) b.remove_suffix(5);
  size_t colon = b.find(':');
  if (colon != std::string_view::npos) b = b.substr(0, colon);
  return std::string(b);
}

// status.d/NAME.md5sums or status.d/NAME/md5sums -> NAME.
std::string DebNameFromMd5sums(std::string_view path) {
  std::string_view b = Basename(path);
  if (b == "md5sums") {
    std::string_view dir = path.substr(0, path.size() - b.size() - 1);
    return DebNameFromList(Basename(dir));
  }
  if (EndsWith(b, ".md5sums")) b.remove_suffix(8);
  size_t colon = b.find(':');
  if (colon != std::string_view::npos) b = b.substr(0, colon);
  return std::string(b);
}

// One database file, parsed once however many snapshots include it.
struct ParsedDb {
  DbFileKind kind = DbFileKind::kNone;
  bool ok = false;
  pkg::Ecosystem eco = pkg::Ecosystem::kDeb;
  std::string name;                    // deb .list / md5sums, pip, npm
  std::vector<std::string> paths;      // deb .list / md5sums, pip
  std::vector<pkg::Package> packages;  // apk, rpm
  // The scan's PathId of each path above (kNoPath: no such entry in the
  // image), found once per file version: ids[0] for |paths|, ids[1 + i]
  // for packages[i].
  std::vector<std::vector<PathId>> ids;
  std::vector<pkg::DpkgPackage> dpkg;  // status, status.d
  std::vector<pkg::AptAutoInstalled> auto_installed;
};

ParsedDb Parse(std::string_view path, const std::string& body, std::vector<std::string>* warnings) {
  ParsedDb p;
  p.kind = pkg::ClassifyDbPath(path);
  auto warn = [&](const Status& st) {
    warnings->push_back(StrFormat("%.*s: %s (its package facts are not used)", static_cast<int>(path.size()),
                                  path.data(), st.message().c_str()));
  };
  switch (p.kind) {
    case DbFileKind::kNone:
    case DbFileKind::kRpmUnreadable:
      break;
    case DbFileKind::kDpkgStatus:
    case DbFileKind::kDpkgStatusD: {
      auto r = p.kind == DbFileKind::kDpkgStatus ? pkg::ParseDpkgStatus(body, path) : pkg::ParseDpkgStatusD(body, path);
      if (!r) {
        warn(r.error());
        return p;
      }
      p.dpkg = std::move(*r);
      break;
    }
    case DbFileKind::kDpkgList:
    case DbFileKind::kDpkgStatusDMd5sums: {
      auto r = p.kind == DbFileKind::kDpkgList ? pkg::ParseDpkgFileList(body, path) : pkg::ParseDpkgMd5sums(body, path);
      if (!r) {
        warn(r.error());
        return p;
      }
      p.paths = std::move(*r);
      p.name = p.kind == DbFileKind::kDpkgList ? DebNameFromList(path) : DebNameFromMd5sums(path);
      p.eco = pkg::Ecosystem::kDeb;
      break;
    }
    case DbFileKind::kAptExtendedStates: {
      auto r = pkg::ParseAptExtendedStates(body, path);
      if (!r) {
        warn(r.error());
        return p;
      }
      p.auto_installed = std::move(*r);
      break;
    }
    case DbFileKind::kApkInstalled: {
      auto r = pkg::ParseApkInstalled(body, path);
      if (!r) {
        warn(r.error());
        return p;
      }
      p.packages = std::move(*r);
      p.eco = pkg::Ecosystem::kApk;
      break;
    }
    case DbFileKind::kRpmSqlite: {
      auto r = pkg::ReadRpmSqlite(body, path);
      if (!r) {
        warn(r.error());
        return p;
      }
      p.packages = std::move(*r);
      p.eco = pkg::Ecosystem::kRpm;
      break;
    }
    case DbFileKind::kPythonRecord:
    case DbFileKind::kPythonEggFiles: {
      auto r = p.kind == DbFileKind::kPythonRecord ? pkg::ParseDistInfoRecord(path, body)
                                                    : pkg::ParseEggInstalledFiles(path, body);
      if (!r) {
        warn(r.error());
        return p;
      }
      p.name = r->normalized_name;
      p.paths = std::move(r->package.paths);
      p.eco = pkg::Ecosystem::kPip;
      break;
    }
    case DbFileKind::kNodePackageJson: {
      auto r = pkg::ParsePackageJson(body, path);
      if (!r) {
        warn(r.error());
        return p;
      }
      p.name = r->name;
      p.eco = pkg::Ecosystem::kNpm;
      break;
    }
  }
  p.ok = true;
  return p;
}

}  // namespace

void AddPackageCaptureRules(CaptureRules* rules) {
  rules->push_back({kPackageDbRule,
                    [](const CaptureCandidate& c) { return pkg::ClassifyDbPath(c.path) != DbFileKind::kNone; },
                    [](const CaptureCandidate& c, MemberBody& body) -> Result<std::string> {
                      DbFileKind kind = pkg::ClassifyDbPath(c.path);
                      // Its presence is the fact; its bytes are never read.
                      if (kind == DbFileKind::kRpmUnreadable) return std::string("unreadable");
                      return ExtractWhole(c, body, pkg::MaxDbBodyBytes(kind));
                    }});
  rules->push_back({kGoBuildInfoRule,
                    [](const CaptureCandidate& c) { return (c.mode & 0111) != 0 && c.stored_size >= kMinGoBinary; },
                    ExtractGoModule});
}

PackageAttribution::PackageAttribution(const ImageScan& scan, const CaptureRules& rules) {
  Build(scan, rules);
}

namespace {

// The index of the rule named |name| in |rules| (the last one), or -1.
int RuleIndex(const CaptureRules& rules, std::string_view name) {
  int found = -1;
  for (size_t r = 0; r < rules.size(); ++r) {
    if (rules[r].name == name) found = static_cast<int>(r);
  }
  return found;
}

}  // namespace

bool PackageAttribution::AnyDatabase(const ImageScan& scan, const CaptureRules& rules) {
  int db_rule = RuleIndex(rules, kPackageDbRule);
  if (db_rule < 0) return false;
  for (const LayerScan& layer : scan.layers) {
    // Bodies still queued (ScanOptions::defer_capture) count as they will
    // be read: a database a rule then rejects is the rare exception.
    if (layer.deferred_bodies != nullptr && !layer.deferred_bodies->read() &&
        layer.deferred_bodies->Queued(db_rule)) {
      return true;
    }
    for (const CapturedBody& c : CapturedBodies(layer)) {
      if (static_cast<int>(c.rule) == db_rule) return true;
    }
  }
  return false;
}

// Resolution runs in layer order, one snapshot at a time:
//
//   for each snapshot k (the stack right after a layer that changed it):
//     wanted = paths of the data entries of the layers that use k
//              + paths still unresolved from the layers below
//     index  = claims of the stacked databases, for |wanted| paths only
//     resolve those entries; what k does not know stays unresolved
//   the rest: go:MODULE, "[rpm db not read]" or [unowned]
//
// Indexing only the wanted paths gives the same answers as indexing all of
// them (an answer depends on the claims of the asked path only), and keeps
// the work near one pass over the database paths however many layers
// rewrite the databases.
void PackageAttribution::Build(const ImageScan& scan, const CaptureRules& rules) {
  const size_t nl = scan.layers.size();
  labels_.resize(nl);
  const int db_rule = RuleIndex(rules, kPackageDbRule), go_rule = RuleIndex(rules, kGoBuildInfoRule);
  any_database_ = AnyDatabase(scan, rules);
  // The database files of the stacked filesystem: path -> body.
  std::map<std::string, const std::string*, std::less<>> stack;
  std::unordered_map<const std::string*, ParsedDb> parsed;
  // Entries with data whose own snapshot has not answered yet (|pending|),
  // entries an earlier snapshot did not know (|unresolved|), and the go
  // labels found in bodies.
  struct Pending {
    uint32_t layer, entry;
  };
  std::vector<Pending> pending, unresolved;
  std::vector<std::unordered_map<uint32_t, std::string_view>> go(nl);
  std::vector<uint8_t> wanted(scan.paths->size() + 1, 0);
  bool rpm_unreadable = false;
  auto ids_of = [&](const std::vector<std::string>& paths) {
    std::vector<PathId> ids(paths.size());
    for (size_t i = 0; i < paths.size(); ++i) ids[i] = scan.paths->Find(paths[i]);
    return ids;
  };

  // Indexes the stacked databases for the paths of |todo| only and labels
  // the entries it knows; the others go (back) to |unresolved|.
  auto resolve = [&](const std::map<std::string, const std::string*, std::less<>>& state,
                     std::vector<Pending> todo) {
    if (todo.empty()) return;
    for (const Pending& p : todo) wanted[scan.layers[p.layer].entries[p.entry].path] = 1;
    auto index = std::make_unique<pkg::OwnershipIndex>();
    for (const auto& [path, body] : state) {
      auto it = parsed.find(body);
      if (it == parsed.end()) it = parsed.emplace(body, Parse(path, *body, &warnings_)).first;
      ParsedDb& p = it->second;
      if (p.kind == DbFileKind::kRpmUnreadable) rpm_unreadable = true;
      if (!p.ok) continue;
      if (p.ids.empty()) {
        p.ids.push_back(ids_of(p.paths));
        for (const pkg::Package& pk : p.packages) p.ids.push_back(ids_of(pk.paths));
      }
      auto keep_in = [&](const std::vector<PathId>& ids) {
        return [&ids, &wanted](size_t i) { return ids[i] != kNoPath && wanted[ids[i]] != 0; };
      };
      if (!p.paths.empty()) index->AddPathsIf(p.eco, p.name, p.paths, keep_in(p.ids[0]));
      for (size_t k = 0; k < p.packages.size(); ++k) {
        index->AddPathsIf(p.eco, p.packages[k].name, p.packages[k].paths, keep_in(p.ids[1 + k]));
      }
      if (p.kind == DbFileKind::kNodePackageJson) index->AddNodePackage(path, p.name);
    }
    for (const Pending& p : todo) {
      PathId id = scan.layers[p.layer].entries[p.entry].path;
      wanted[id] = 0;
      pkg::OwnerId owner = index->Find(scan.paths->Get(id));
      if (owner != pkg::kNoOwner) {
        labels_[p.layer][p.entry] = index->label(owner);
      } else {
        unresolved.push_back(p);
      }
    }
    indexes_.push_back(std::move(index));
  };
  // The current snapshot answers its own layers' entries first, then the
  // earlier entries no snapshot knew yet (the earliest later snapshot wins).
  bool have_state = false;
  auto flush = [&] {
    if (!have_state) {
      unresolved.insert(unresolved.end(), pending.begin(), pending.end());
    } else {
      std::vector<Pending> todo = std::move(pending);
      todo.insert(todo.end(), unresolved.begin(), unresolved.end());
      unresolved.clear();
      resolve(stack, std::move(todo));
    }
    pending.clear();
  };

  for (size_t li = 0; li < nl; ++li) {
    const LayerScan& layer = scan.layers[li];
    labels_[li].assign(layer.entries.size(), pkg::kUnownedLabel);
    std::vector<uint8_t> captured_db(layer.entries.size(), 0);
    for (const CapturedBody& c : CapturedBodies(layer)) {
      if (static_cast<int>(c.rule) == db_rule) captured_db[c.entry] = 1;
    }
    // The stack after this layer: deletions apply to the layers below, so
    // they come first; then this layer's own versions of database files.
    auto next = stack;
    bool changed = false;
    auto erase_tree = [&](std::string_view root, bool self) {
      if (self) changed |= next.erase(std::string(root)) > 0;
      std::string prefix = std::string(root) + "/";
      for (auto it = next.lower_bound(prefix); it != next.end() && StartsWith(it->first, prefix);) {
        it = next.erase(it);
        changed = true;
      }
    };
    for (size_t ei = 0; ei < layer.entries.size(); ++ei) {
      const LayerEntry& e = layer.entries[ei];
      if ((e.kind == EntryKind::kWhiteout || e.kind == EntryKind::kOpaque) && e.target == kNoPath) continue;
      if (e.kind == EntryKind::kWhiteout || e.kind == EntryKind::kOpaque) {
        erase_tree(scan.paths->Get(e.target), e.kind == EntryKind::kWhiteout);
      } else if (!captured_db[ei] && !next.empty()) {
        // Replaced by something not captured (empty, or unreadable).
        auto it = next.find(scan.paths->Get(e.path));
        if (it != next.end()) {
          next.erase(it);
          changed = true;
        }
      }
    }
    for (const CapturedBody& c : CapturedBodies(layer)) {
      std::string_view path = scan.paths->Get(layer.entries[c.entry].path);
      if (static_cast<int>(c.rule) == db_rule) {
        next[std::string(path)] = &c.payload;
        changed = true;
      } else if (static_cast<int>(c.rule) == go_rule) {
        strings_.push_back(pkg::PackageLabel(pkg::Ecosystem::kGo, c.payload));
        go[li][c.entry] = strings_.back();
      }
    }
    if (changed) {
      flush();  // the layers since the last change use the state before this one
      stack = std::move(next);
      have_state = true;
      ++snapshots_;
    }
    for (size_t ei = 0; ei < layer.entries.size(); ++ei) {
      if (layer.entries[ei].stored_size > 0) pending.push_back({static_cast<uint32_t>(li), static_cast<uint32_t>(ei)});
    }
  }
  flush();
  for (const Pending& p : unresolved) {
    auto it = go[p.layer].find(p.entry);
    if (it != go[p.layer].end()) {
      labels_[p.layer][p.entry] = it->second;
    } else if (rpm_unreadable) {
      labels_[p.layer][p.entry] = kRpmUnreadLabel;
    }
  }

  // The installed OS packages, from the final stack.
  std::map<std::string, bool> auto_marks;
  for (const auto& [path, body] : stack) {
    auto it = parsed.find(body);
    if (it == parsed.end() || !it->second.ok) continue;
    for (const auto& a : it->second.auto_installed) auto_marks[a.name] = true;
  }
  for (const auto& [path, body] : stack) {
    auto it = parsed.find(body);
    if (it == parsed.end() || !it->second.ok) continue;
    const ParsedDb& p = it->second;
    for (const pkg::DpkgPackage& d : p.dpkg) {
      InstalledPackage ip;
      ip.label = pkg::PackageLabel(pkg::Ecosystem::kDeb, d.name);
      ip.name = d.name;
      ip.version = d.version;
      ip.auto_installed = auto_marks.count(d.name) > 0;
      ip.essential = d.essential;
      ip.priority = d.priority;
      ip.depends = d.depends;
      ip.pre_depends = d.pre_depends;
      ip.recommends = d.recommends;
      installed_.push_back(std::move(ip));
    }
    for (const pkg::Package& pk : p.packages) {
      InstalledPackage ip;
      ip.label = pkg::PackageLabel(p.eco, pk.name);
      ip.name = pk.name;
      ip.version = pk.version;
      installed_.push_back(std::move(ip));
    }
  }
}

std::string_view PackageAttribution::OwnerLabel(size_t layer, size_t entry) const {
  return labels_[layer][entry];
}

}  // namespace whittle
