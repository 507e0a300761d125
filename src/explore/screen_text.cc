#include "explore/screen_text.h"

#include "util/strings.h"

namespace whittle {

std::vector<ExploreLayer> ExploreLayers(const ImageScan& scan, const ImageFates& fates,
                                        const std::vector<std::string>& labels) {
  std::vector<ExploreLayer> out(scan.layers.size());
  for (size_t li = 0; li < scan.layers.size(); ++li) {
    ExploreLayer& l = out[li];
    l.label = li < labels.size() ? labels[li] : StrFormat("[layer %zu]", li + 1);
    l.size = scan.layers[li].content_size;
    const auto& entries = scan.layers[li].entries;
    for (size_t k = 0; k < entries.size(); ++k) {
      if (fates[li][k].dead()) l.reclaimable += entries[k].size;  // as waste/waste_summary.cc counts
    }
  }
  return out;
}

std::string FitText(std::string_view s, size_t width) {
  std::string out;
  out.reserve(width);
  for (char c : s) {
    if (out.size() == width) break;
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  out.append(width - out.size(), ' ');
  return out;
}

std::string TitleLine(std::string_view ref, std::string_view status, size_t width) {
  constexpr std::string_view kHead = " whittle explore ", kGap = "  ", kCut = "...";
  const size_t fixed = kHead.size() + kGap.size() + status.size();
  std::string shown(ref);
  if (fixed + ref.size() > width) {
    const size_t room = width > fixed + kCut.size() ? width - fixed - kCut.size() : 0;
    shown = room == 0 ? std::string(kCut) : std::string(kCut) + std::string(ref.substr(ref.size() - room));
  }
  return FitText(std::string(kHead) + shown + std::string(kGap) + std::string(status), width);
}

std::string LayersHeader(size_t width) {
  return FitText(StrFormat("%-6s %9s %9s  %s", "LAYER", "SIZE", "RECLAIM", "INSTRUCTION"), width);
}

std::string LayerLine(const ExploreLayer& layer, size_t width) {
  // The label is "#N INSTRUCTION" (or "[layer N]"): the number gets its own column.
  std::string_view label = layer.label;
  std::string number;
  if (!label.empty() && label[0] == '#') {
    size_t sp = label.find(' ');
    number = std::string(label.substr(0, sp));
    label = sp == std::string_view::npos ? std::string_view() : label.substr(sp + 1);
  }
  std::string reclaim = layer.reclaimable == 0 ? "-" : FormatSize(layer.reclaimable);
  return FitText(StrFormat("%-6s %9s %9s  ", number.c_str(), FormatSize(layer.size).c_str(), reclaim.c_str()) +
                     std::string(label),
                 width);
}

std::string TreeHeader(size_t width, size_t packages) {
  std::string s = StrFormat("%c %9s  ", 'M', "SIZE");
  if (packages > 0) s += FitText("PACKAGE", packages) + " ";
  return FitText(s + "PATH", width);
}

char MarkChar(Mark mark) {
  switch (mark) {
    case Mark::kAdded: return 'A';
    case Mark::kModified: return 'M';
    case Mark::kRemoved: return 'D';
    case Mark::kNone: return ' ';
  }
  return ' ';
}

std::string TreeLine(const TreeView& view, const TreeRow& row, std::string_view owner, size_t packages,
                     size_t width) {
  const LayerTree& t = view.tree();
  NodeId n = row.node;
  std::string s = StrFormat("%c %9s  ", MarkChar(t.mark(n)), FormatSize(view.shown_bytes(n)).c_str());
  if (packages > 0) s += FitText(owner == "[unowned]" ? "" : owner, packages) + " ";
  s.append(2 * static_cast<size_t>(row.depth), ' ');
  bool dir = t.is_dir(n);
  if (dir) {
    s += view.expanded(n) ? "- " : "+ ";
  } else {
    s += "  ";
  }
  s += t.name(n);
  const LayerEntry* e = t.member(n);
  if (dir) {
    s += "/";
  } else if (e != nullptr && (e->kind == EntryKind::kSymlink || e->kind == EntryKind::kHardLink) &&
             e->target != kNoPath) {
    s += e->kind == EntryKind::kSymlink ? " -> " : " => ";
    s += t.scan().paths->Get(e->target);
  }
  return FitText(s, width);
}

std::string ModeString(uint32_t mode, EntryKind kind) {
  char type = '-';
  switch (kind) {
    case EntryKind::kDir: type = 'd'; break;
    case EntryKind::kSymlink: type = 'l'; break;
    case EntryKind::kHardLink: type = 'h'; break;
    case EntryKind::kDevice: type = 'c'; break;
    case EntryKind::kFifo: type = 'p'; break;
    default: break;
  }
  std::string s(10, '-');
  s[0] = type;
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) {
    if (mode & (1u << (8 - i))) s[1 + i] = rwx[i];
  }
  if (mode & 04000) s[3] = (mode & 0100) ? 's' : 'S';
  if (mode & 02000) s[6] = (mode & 0010) ? 's' : 'S';
  if (mode & 01000) s[9] = (mode & 0001) ? 't' : 'T';
  return s;
}

std::string OwnerString(const EntryOwner* owner) {
  if (owner == nullptr) return "?:?";
  std::string s = StrFormat("%llu:%llu", static_cast<unsigned long long>(owner->uid),
                            static_cast<unsigned long long>(owner->gid));
  if (owner->uname.empty() && owner->gname.empty()) return s;
  s += " (";
  s += owner->uname.empty() ? StrFormat("%llu", static_cast<unsigned long long>(owner->uid)) : owner->uname;
  s += ':';
  s += owner->gname.empty() ? StrFormat("%llu", static_cast<unsigned long long>(owner->gid)) : owner->gname;
  s += ')';
  return s;
}

std::string DetailsLine(const LayerTree& tree, NodeId n, const std::vector<ExploreLayer>& layers,
                        std::string_view kind, size_t width) {
  const LayerEntry* e = tree.member(n);
  const EntryRef* r = tree.entry(n);
  std::string s;
  if (e == nullptr) {
    s = StrFormat("%-10s %-9s %s  (no entry of its own: a directory implied by its contents)", "d?????????", "",
                  std::string(tree.path(n)).c_str());
    return FitText(s, width);
  }
  s = ModeString(e->mode, e->kind) + "  ";
  s += OwnerString(tree.scan().layers[r->layer].owner(*e)) + "  ";
  s += tree.path(n);
  if ((e->kind == EntryKind::kSymlink || e->kind == EntryKind::kHardLink) && e->target != kNoPath) {
    s += e->kind == EntryKind::kSymlink ? " -> " : " => ";
    s += tree.scan().paths->Get(e->target);
  }
  if (e->kind == EntryKind::kFile) s += "  " + FormatSizeWithUnit(e->size);
  std::string_view where = layers[r->layer].label;
  s += "  stored in " + std::string(where.substr(0, where.find(' ')));
  const EntryFate* f = tree.fate(n);
  if (f != nullptr && f->dead() && f->killer_layer < layers.size()) {
    std::string_view killer = layers[f->killer_layer].label;
    s += StrFormat(" (%s in %s)", std::string(FateName(f->fate)).c_str(),
                   std::string(killer.substr(0, killer.find(' '))).c_str());
  }
  if (!kind.empty()) s += "  kind " + std::string(kind);
  return FitText(s, width);
}

}  // namespace whittle
