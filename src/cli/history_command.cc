// whittle history: `docker history` from files, with the tar and blob sizes
// docker does not show (issue 2).
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/image_loader.h"
#include "scan/history_labels.h"
#include "util/strings.h"

namespace whittle {

namespace {

const char kHistoryUsage[] =
    "usage: whittle history [OPTION]... IMAGE\n"
    "\n"
    "One row per config history entry, oldest first: the layer it made (#N, or - for\n"
    "entries that made no layer), when, by what instruction, and the layer's sizes:\n"
    "SIZE (file contents, what `docker history` shows), TAR (the layer tar with\n"
    "headers and padding), BLOB (bytes as stored or pulled) and FILES (regular files,\n"
    "symlinks and hard links).\n"
    "\n"
    "  --reverse           newest first, as docker prints it\n"
    "  --no-trunc          never cut CREATED BY (it is cut only on a terminal)\n"
    "  --format F          tty or json (--json)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of skipped blobs and diff_ids\n";

struct Row {
  int layer = -1;  // 0-based layer index, -1 for empty entries
  std::string created;
  std::string created_by;
  bool empty = false;
};

// "2024-05-01T10:11:12.123456789Z" -> "2024-05-01T10:11:12Z".
std::string ShortTime(const std::string& t) {
  size_t dot = t.find('.');
  if (dot == std::string::npos || dot < 19) return t;
  size_t end = dot + 1;
  while (end < t.size() && t[end] >= '0' && t[end] <= '9') ++end;
  return t.substr(0, dot) + t.substr(end);
}

std::string PadRight(const std::string& s, size_t w) {
  size_t n = Utf8Width(s);
  return n >= w ? s : s + std::string(w - n, ' ');
}

std::string PadLeft(const std::string& s, size_t w) {
  size_t n = Utf8Width(s);
  return n >= w ? s : std::string(w - n, ' ') + s;
}

}  // namespace

int RunHistory(const Args& args) {
  ArgParser p(args);
  std::string image_ref, value;
  bool reverse = false, no_trunc = false;
  OutputFormat format = OutputFormat::kTty;
  LoadOptions load;
  Status load_error;
  auto usage_error = [](const std::string& msg) {
    PrintError(msg + " (see 'whittle history --help')");
    return 2;
  };
  while (!p.Done()) {
    if (p.TryFlag("--help", "-h")) {
      std::fputs(kHistoryUsage, stdout);
      return 0;
    } else if (p.TryFlag("--reverse")) {
      reverse = true;
    } else if (p.TryFlag("--no-trunc")) {
      no_trunc = true;
    } else if (p.TryOption("--format", nullptr, &value)) {
      auto f = ParseOutputFormat(value);
      if (!f || (*f != OutputFormat::kTty && *f != OutputFormat::kJson)) {
        return usage_error("history --format takes tty or json");
      }
      format = *f;
    } else if (p.TryFlag("--json")) {
      format = OutputFormat::kJson;
    } else if (TryParseLoadOption(p, &load, &load_error)) {
      if (!load_error.ok()) return usage_error(load_error.message());
    } else if (p.TryPositional(&value)) {
      if (!image_ref.empty()) return usage_error("history takes one IMAGE");
      image_ref = value;
    } else {
      return usage_error(p.UnexpectedMessage());
    }
    if (!p.error().ok()) return usage_error(p.error().message());
  }
  if (image_ref.empty()) return usage_error("history needs an IMAGE");

  auto loaded = LoadImage(image_ref, load);
  if (!loaded) {
    PrintError(loaded.error());
    return 2;
  }
  const Image& image = loaded->image;
  const ImageScan& scan = loaded->scan;

  std::vector<Row> rows;
  std::vector<int> match = MatchHistoryToLayers(image);
  bool matched = match.empty() || match[0] >= 0;
  if (matched) {
    size_t next_layer = 0;
    for (const auto& h : image.history) {
      Row r;
      r.created = h.created;
      r.created_by = h.created_by;
      r.empty = h.empty_layer;
      if (!h.empty_layer) r.layer = static_cast<int>(next_layer++);
      rows.push_back(std::move(r));
    }
  } else {
    if (!image.history.empty()) {
      PrintWarning(image_ref + ": the config history does not match the layers; showing layers only");
    }
    for (size_t i = 0; i < image.layers.size(); ++i) {
      Row r;
      r.layer = static_cast<int>(i);
      r.created_by = StrFormat("[layer %zu]", i + 1);
      rows.push_back(std::move(r));
    }
  }
  if (reverse) std::reverse(rows.begin(), rows.end());

  if (format == OutputFormat::kJson) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
      // Empty-layer entries keep the same keys: null layer/digests, zero sizes.
      const bool has_layer = r.layer >= 0;
      const LayerScan* l = has_layer ? &scan.layers[static_cast<size_t>(r.layer)] : nullptr;
      const LayerRef* ref = has_layer ? &image.layers[static_cast<size_t>(r.layer)] : nullptr;
      auto digest_or_null = [](const std::string* d) {
        return d == nullptr || d->empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(*d);
      };
      nlohmann::ordered_json o;
      o["layer"] = has_layer ? nlohmann::ordered_json(r.layer + 1) : nlohmann::ordered_json();
      o["created"] = r.created;
      o["createdBy"] = r.created_by;
      o["emptyLayer"] = !has_layer;
      o["size"] = l ? l->content_size : 0;
      o["tarSize"] = l ? l->tar_size : 0;
      o["blobSize"] = l ? l->blob_size : 0;
      o["files"] = l ? l->files : 0;
      o["digest"] = digest_or_null(ref ? &ref->blob.digest : nullptr);
      o["diffId"] = digest_or_null(ref ? &ref->diff_id : nullptr);
      arr.push_back(std::move(o));
    }
    std::string text = arr.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }

  // Table: LAYER CREATED CREATED BY SIZE TAR BLOB FILES. CREATED BY is padded
  // to the widest value (or cut to fit the terminal) so the columns align.
  struct Cells { std::string layer, created, by, size, tar, blob, files; };
  std::vector<Cells> cells;
  cells.push_back({"LAYER", "CREATED", "CREATED BY", "SIZE", "TAR", "BLOB", "FILES"});
  for (const auto& r : rows) {
    Cells c;
    c.created = r.created.empty() ? "-" : ShortTime(r.created);
    c.by = CollapseWhitespace(r.created_by);
    if (r.layer >= 0) {
      const LayerScan& l = scan.layers[static_cast<size_t>(r.layer)];
      c.layer = "#" + std::to_string(r.layer + 1);
      c.size = FormatSize(l.content_size);
      c.tar = FormatSize(l.tar_size);
      c.blob = FormatSize(l.blob_size);
      c.files = std::to_string(l.files);
    } else {
      c.layer = "-";
      c.size = c.tar = c.blob = "0";
      c.files = "-";
    }
    cells.push_back(std::move(c));
  }
  size_t w_layer = 0, w_created = 0, w_by = 0, w_size = 0, w_tar = 0, w_blob = 0, w_files = 0;
  for (const auto& c : cells) {
    w_layer = std::max(w_layer, Utf8Width(c.layer));
    w_created = std::max(w_created, Utf8Width(c.created));
    w_by = std::max(w_by, Utf8Width(c.by));
    w_size = std::max(w_size, Utf8Width(c.size));
    w_tar = std::max(w_tar, Utf8Width(c.tar));
    w_blob = std::max(w_blob, Utf8Width(c.blob));
    w_files = std::max(w_files, Utf8Width(c.files));
  }
  int term = TerminalWidth();
  if (!no_trunc && term > 0) {
    size_t fixed = w_layer + w_created + w_size + w_tar + w_blob + w_files + 6 * 3;
    size_t avail = static_cast<size_t>(term) > fixed + 12 ? static_cast<size_t>(term) - fixed : 12;
    if (w_by > avail) {
      w_by = avail;
      for (auto& c : cells) c.by = ElideEnd(c.by, avail);
    }
  }
  std::string out;
  for (const auto& c : cells) {
    std::string line = PadRight(c.layer, w_layer) + "   " + PadRight(c.created, w_created) + "   " +
                       PadRight(c.by, w_by) + "   " + PadLeft(c.size, w_size) + "   " +
                       PadLeft(c.tar, w_tar) + "   " + PadLeft(c.blob, w_blob) + "   " +
                       PadLeft(c.files, w_files);
    out += line + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace whittle
