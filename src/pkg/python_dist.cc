#include "pkg/python_dist.h"

#include <vector>

#include "util/strings.h"

namespace whittle::pkg {

namespace {

std::string_view DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

Status CheckSize(std::string_view body, const std::string& file) {
  if (body.size() > kMaxTextDbBytes) {
    return Error(Errc::kTooLarge, StrFormat("%s: %zu bytes, more than the %llu-byte cap", file.c_str(), body.size(),
                                            static_cast<unsigned long long>(kMaxTextDbBytes)));
  }
  return Status::Ok();
}

// Joins |rel| to |base| (absolute), normalises; false when it climbs above "/".
bool JoinInto(std::string_view base, std::string_view rel, std::string* out) {
  bool escaped = false;
  *out = JoinPath(base, rel, &escaped);
  return !escaped && *out != "/";
}

// Sets dist->package name/version from "NAME-VER.dist-info" style names.
Status InitFromDir(std::string_view file_path, std::string_view file_name, std::string_view suffix, PythonDist* dist) {
  const std::string f(file_path);
  std::string_view dir = DirName(file_path);
  std::string_view dir_name = BaseName(dir);
  if (file_path.empty() || file_path[0] != '/' || BaseName(file_path) != file_name || !EndsWith(dir_name, suffix) ||
      dir_name.size() == suffix.size()) {
    return Error(Errc::kUsage, StrFormat("%s: not a .../NAME%s/%s path", f.c_str(), std::string(suffix).c_str(),
                                         std::string(file_name).c_str()));
  }
  std::string_view stem = dir_name.substr(0, dir_name.size() - suffix.size());
  size_t dash = stem.find('-');
  dist->package.name = std::string(stem.substr(0, dash));
  if (dash != std::string_view::npos) {
    std::string_view rest = stem.substr(dash + 1);
    // egg-info: "NAME-VER-pyX.Y"; drop the python tag.
    size_t py = rest.find("-py");
    dist->package.version = std::string(rest.substr(0, py));
  }
  if (dist->package.name.empty()) {
    return Error(Errc::kCorrupt, StrFormat("%s: empty distribution name", f.c_str()));
  }
  dist->normalized_name = NormalizePythonName(dist->package.name);
  dist->dist_dir = std::string(dir);
  return Status::Ok();
}

// Splits one CSV record starting at |*pos|; advances past its line end.
// Quoted fields may span lines. Returns false with |err| on bad quoting.
bool ReadCsvRecord(std::string_view s, size_t* pos, std::vector<std::string>* fields, size_t* line, std::string* err) {
  fields->clear();
  fields->emplace_back();
  size_t i = *pos;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"' && fields->back().empty()) {
      // Quoted field: up to the closing quote; "" is a quote.
      ++i;
      while (true) {
        if (i >= s.size()) {
          *err = "unterminated quoted field";
          return false;
        }
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            fields->back().push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (s[i] == '\n') ++*line;
        fields->back().push_back(s[i++]);
      }
      if (i < s.size() && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
        *err = "text after a closing quote";
        return false;
      }
      continue;
    }
    if (c == ',') {
      fields->emplace_back();
      ++i;
      continue;
    }
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    if (s[i] == '\n') {
      ++i;
      break;
    }
    fields->back().push_back(s[i++]);
  }
  *pos = i;
  return true;
}

}  // namespace

std::string NormalizePythonName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out.push_back('-');
    sep = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

Result<PythonDist> ParseDistInfoRecord(std::string_view record_path, std::string_view body) {
  const std::string f(record_path);
  RETURN_IF_ERROR(CheckSize(body, f));
  PythonDist dist;
  RETURN_IF_ERROR(InitFromDir(record_path, "RECORD", ".dist-info", &dist));
  std::string_view site = DirName(dist.dist_dir);
  std::vector<std::string> fields;
  size_t pos = 0, line = 0;
  while (pos < body.size()) {
    ++line;
    size_t row_line = line;
    std::string err;
    if (!ReadCsvRecord(body, &pos, &fields, &line, &err)) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: %s", f.c_str(), row_line, err.c_str()));
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != 3) {
      return Error(Errc::kCorrupt,
                   StrFormat("%s:%zu: expected 'path,hash,size', got %zu fields", f.c_str(), row_line, fields.size()));
    }
    const std::string& rel = fields[0];
    if (rel.empty() || rel.find('\0') != std::string::npos) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: empty or NUL-holding path", f.c_str(), row_line));
    }
    std::string p;
    if (!JoinInto(site, rel, &p)) {
      ++dist.dropped_paths;
      continue;
    }
    dist.package.paths.push_back(std::move(p));
  }
  return dist;
}

Result<PythonDist> ParseEggInstalledFiles(std::string_view files_path, std::string_view body) {
  const std::string f(files_path);
  RETURN_IF_ERROR(CheckSize(body, f));
  PythonDist dist;
  RETURN_IF_ERROR(InitFromDir(files_path, "installed-files.txt", ".egg-info", &dist));
  size_t pos = 0, line = 0;
  while (pos < body.size()) {
    ++line;
    size_t eol = body.find('\n', pos);
    size_t end = eol == std::string_view::npos ? body.size() : eol;
    std::string_view rel = body.substr(pos, end - pos);
    pos = eol == std::string_view::npos ? body.size() : eol + 1;
    if (!rel.empty() && rel.back() == '\r') rel.remove_suffix(1);
    if (rel.empty()) continue;
    if (rel.find('\0') != std::string_view::npos) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: NUL in path", f.c_str(), line));
    }
    std::string p;
    if (!JoinInto(dist.dist_dir, rel, &p)) {
      ++dist.dropped_paths;
      continue;
    }
    dist.package.paths.push_back(std::move(p));
  }
  return dist;
}

Result<PythonNameVersion> ParsePythonMetadata(std::string_view body, std::string_view file) {
  const std::string f(file);
  RETURN_IF_ERROR(CheckSize(body, f));
  PythonNameVersion out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t eol = body.find('\n', pos);
    size_t end = eol == std::string_view::npos ? body.size() : eol;
    std::string_view line = body.substr(pos, end - pos);
    pos = eol == std::string_view::npos ? body.size() : eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of headers; the description follows
    if (StartsWith(line, "Name:") && out.name.empty()) out.name = std::string(TrimWhitespace(line.substr(5)));
    if (StartsWith(line, "Version:") && out.version.empty()) {
      out.version = std::string(TrimWhitespace(line.substr(8)));
    }
  }
  if (out.name.empty()) return Error(Errc::kCorrupt, StrFormat("%s: no Name: header", f.c_str()));
  return out;
}

}  // namespace whittle::pkg
