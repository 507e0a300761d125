#include "support/cli_test_file.h"

#include <cstdlib>
#include <cstring>

namespace whittle::testing {
namespace {

constexpr std::string_view kStderrMarker = "--- stderr";
constexpr std::string_view kNoEol = "\\ no newline at end";

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

bool IsExitLine(std::string_view l, int* code) {
  if (l.size() < 8 || l.substr(0, 6) != "[exit " || l.back() != ']') return false;
  std::string digits(l.substr(6, l.size() - 7));
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  *code = std::atoi(digits.c_str());
  return true;
}

bool ParseUint(std::string_view s, uint64_t* out, int base = 10) {
  if (s.empty()) return false;
  std::string tmp(s);
  char* end = nullptr;
  unsigned long long v = std::strtoull(tmp.c_str(), &end, base);
  if (*end != '\0' || tmp[0] == '-') return false;
  *out = v;
  return true;
}

// "key=value" words after the positional ones.
struct Options {
  std::vector<std::pair<std::string, std::string>> kv;
  const std::string* Get(std::string_view key) const {
    for (const auto& [k, v] : kv) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

bool SplitOptions(const std::vector<std::string>& words, size_t from, Options* out, std::string* err) {
  for (size_t i = from; i < words.size(); ++i) {
    size_t eq = words[i].find('=');
    if (eq == std::string::npos || eq == 0) {
      *err = "expected key=value, got '" + words[i] + "'";
      return false;
    }
    out->kv.emplace_back(words[i].substr(0, eq), words[i].substr(eq + 1));
  }
  return true;
}

bool CheckKeys(const Options& o, std::initializer_list<const char*> allowed, std::string* err) {
  for (const auto& [k, v] : o.kv) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) {
      *err = "unknown option '" + k + "'";
      return false;
    }
  }
  return true;
}

// "/usr/bin/gcc" -> "usr/bin/gcc", as layer tars store names.
std::string TarName(const std::string& path) {
  size_t b = path.find_first_not_of('/');
  return b == std::string::npos ? std::string(".") : path.substr(b);
}

bool ParseMember(const std::vector<std::string>& w, TarMember* m, std::string* err) {
  const std::string& kind = w[0];
  auto need = [&](size_t n) {
    if (w.size() < n) *err = kind + " needs " + std::to_string(n - 1) + " arguments";
    return w.size() >= n;
  };
  Options o;
  uint64_t mode = 0;
  if (kind == "file") {
    if (!need(2)) return false;
    size_t opts_from = 2;
    uint64_t size = 0;
    bool sized = w.size() > 2 && ParseUint(w[2], &size);
    if (sized) opts_from = 3;
    if (!SplitOptions(w, opts_from, &o, err) || !CheckKeys(o, {"content", "text", "mode", "damage"}, err)) return false;
    std::string data;
    if (const std::string* text = o.Get("text")) {
      if (sized) {
        *err = "file takes a SIZE or text=, not both";
        return false;
      }
      data = *text;
    } else if (sized) {
      const std::string* seed = o.Get("content");
      data = FillerContent(seed ? *seed : w[1], size);
    } else {
      *err = "file needs a SIZE or text=\"...\"";
      return false;
    }
    *m = File(TarName(w[1]), data);
  } else if (kind == "dir") {
    if (!need(2) || !SplitOptions(w, 2, &o, err) || !CheckKeys(o, {"mode", "damage"}, err)) return false;
    std::string name = TarName(w[1]);
    if (name.back() != '/') name += '/';
    *m = Dir(name == "./" ? "./" : name);
  } else if (kind == "symlink") {
    if (!need(3) || !SplitOptions(w, 3, &o, err) || !CheckKeys(o, {}, err)) return false;
    *m = Symlink(TarName(w[1]), w[2]);
  } else if (kind == "hardlink") {
    if (!need(3) || !SplitOptions(w, 3, &o, err) || !CheckKeys(o, {}, err)) return false;
    *m = HardLink(TarName(w[1]), TarName(w[2]));
  } else if (kind == "whiteout") {
    if (!need(2) || !SplitOptions(w, 2, &o, err) || !CheckKeys(o, {}, err)) return false;
    std::string name = TarName(w[1]);
    size_t slash = name.rfind('/');
    *m = slash == std::string::npos ? Whiteout("", name) : Whiteout(name.substr(0, slash), name.substr(slash + 1));
  } else if (kind == "opaque") {
    if (!need(2) || !SplitOptions(w, 2, &o, err) || !CheckKeys(o, {}, err)) return false;
    std::string name = TarName(w[1]);
    *m = Opaque(name == "." ? "" : name);
  } else {
    *err = "unknown line '" + kind + "'";
    return false;
  }
  if (const std::string* dv = o.Get("damage")) {
    if (*dv != "checksum") {
      *err = "unknown damage '" + *dv + "' (checksum)";
      return false;
    }
    m->bad_checksum = true;
  }
  if (const std::string* mv = o.Get("mode")) {
    if (!ParseUint(*mv, &mode, 8) || mode > 07777) {
      *err = "bad mode '" + *mv + "'";
      return false;
    }
    m->mode = static_cast<uint32_t>(mode);
  }
  return true;
}

bool ParseImageLine(const std::vector<std::string>& w, ImageDescription* d, std::string* err) {
  if (w.size() < 2) {
    *err = "image needs a container: docker-archive, oci-layout or oci-archive";
    return false;
  }
  if (w[1] == "docker-archive")
    d->container = ImageContainer::kDockerArchive;
  else if (w[1] == "oci-layout")
    d->container = ImageContainer::kOciLayout;
  else if (w[1] == "oci-archive")
    d->container = ImageContainer::kOciArchive;
  else {
    *err = "unknown container '" + w[1] + "'";
    return false;
  }
  size_t next = 2;
  if (w.size() > 2 && w[2].find('=') == std::string::npos) {
    if (w[2] == "none")
      d->compression = LayerCompression::kNone;
    else if (w[2] == "gzip")
      d->compression = LayerCompression::kGzip;
    else if (w[2] == "zstd")
      d->compression = LayerCompression::kZstd;
    else {
      *err = "unknown compression '" + w[2] + "' (none, gzip, zstd)";
      return false;
    }
    next = 3;
  }
  Options o;
  if (!SplitOptions(w, next, &o, err) || !CheckKeys(o, {"tag", "tar"}, err)) return false;
  if (const std::string* t = o.Get("tag")) d->tag = *t;
  if (const std::string* t = o.Get("tar")) {
    if (*t == "pax")
      d->tar_format = TarFormat::kPax;
    else if (*t == "gnu")
      d->tar_format = TarFormat::kGnu;
    else if (*t == "ustar")
      d->tar_format = TarFormat::kUstar;
    else {
      *err = "unknown tar format '" + *t + "' (pax, gnu, ustar)";
      return false;
    }
  }
  return true;
}

bool ParsePlatformLine(const std::vector<std::string>& w, PlatformImage* p, std::string* err) {
  if (w.size() != 2) {
    *err = "platform takes OS/ARCH[/VARIANT]";
    return false;
  }
  const std::string& s = w[1];
  size_t a = s.find('/');
  if (a == std::string::npos || a == 0) {
    *err = "platform takes OS/ARCH[/VARIANT]";
    return false;
  }
  size_t b = s.find('/', a + 1);
  p->os = s.substr(0, a);
  p->architecture = s.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  if (b != std::string::npos) p->variant = s.substr(b + 1);
  return true;
}

bool ParseStepLine(const std::vector<std::string>& w, HistoryStep* s, std::string* err) {
  if (w.size() < 2) {
    *err = w[0] + " needs the instruction (created_by) as one quoted word";
    return false;
  }
  s->created_by = w[1];
  s->empty_layer = w[0] == "empty";
  Options o;
  if (!SplitOptions(w, 2, &o, err) || !CheckKeys(o, {"created", "comment"}, err)) return false;
  if (const std::string* c = o.Get("created")) s->created = *c;
  if (const std::string* c = o.Get("comment")) s->comment = *c;
  return true;
}

// Appends |text| and, when it does not end in a newline, the marker line.
void AppendStream(std::string* out, const std::string& text) {
  if (text.empty()) return;
  *out += text;
  if (text.back() != '\n') {
    *out += '\n';
    *out += kNoEol;
    *out += '\n';
  }
}

// Joins |lines| [b, e) back into text, honouring a final no-newline marker.
std::string JoinStream(const std::vector<std::string_view>& lines, size_t b, size_t e) {
  bool no_eol = e > b && lines[e - 1] == kNoEol;
  if (no_eol) --e;
  std::string s;
  for (size_t i = b; i < e; ++i) {
    s += lines[i];
    s += '\n';
  }
  if (no_eol && !s.empty()) s.pop_back();
  return s;
}

}  // namespace

bool SplitWords(std::string_view line, std::vector<std::string>* words) {
  words->clear();
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    std::string w;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      char c = line[i];
      if (c == '\'') {
        size_t end = line.find('\'', i + 1);
        if (end == std::string_view::npos) return false;
        w.append(line.substr(i + 1, end - i - 1));
        i = end + 1;
      } else if (c == '"') {
        ++i;
        bool closed = false;
        while (i < line.size()) {
          char d = line[i++];
          if (d == '"') {
            closed = true;
            break;
          }
          if (d == '\\' && i < line.size()) {
            char e = line[i++];
            switch (e) {
              case 'n':
                w += '\n';
                break;
              case 't':
                w += '\t';
                break;
              default:
                w += e;
                break;  // \" \\ and anything else literally
            }
            continue;
          }
          w += d;
        }
        if (!closed) return false;
      } else {
        w += c;
        ++i;
      }
    }
    words->push_back(std::move(w));
  }
  return true;
}

std::string ImageFileName(const ImageDescription& image) {
  return image.container == ImageContainer::kOciLayout ? "image" : "image.tar";
}

std::string ParseCliTestFile(std::string_view text, CliTestFile* out) {
  *out = CliTestFile();
  std::vector<std::string_view> lines = Lines(text);
  auto fail = [](size_t i, const std::string& what) { return std::to_string(i + 1) + ": " + what; };
  size_t i = 0;
  PlatformImage* platform = nullptr;  // the one layers go to
  HistoryStep* layer = nullptr;       // the one members go to
  bool explicit_platforms = false;
  std::vector<std::string> w;
  for (; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (l.substr(0, 2) == "$ ") break;
    size_t first = l.find_first_not_of(" \t");
    if (first == std::string_view::npos || l[first] == '#') continue;
    if (!SplitWords(l, &w)) return fail(i, "unterminated quote");
    std::string err;
    const std::string& kw = w[0];
    if (kw == "image") {
      if (out->image) return fail(i, "one image per file");
      out->image.emplace();
      if (!ParseImageLine(w, &*out->image, &err)) return fail(i, err);
      platform = nullptr;
      layer = nullptr;
    } else if (kw == "platform") {
      if (!out->image) return fail(i, "platform before image");
      if (!explicit_platforms && !out->image->platforms.empty()) return fail(i, "platform after layers");
      explicit_platforms = true;
      out->image->platforms.emplace_back();
      platform = &out->image->platforms.back();
      layer = nullptr;
      if (!ParsePlatformLine(w, platform, &err)) return fail(i, err);
    } else if (kw == "layer" || kw == "empty") {
      if (!out->image) return fail(i, kw + " before image");
      if (platform == nullptr) {
        out->image->platforms.emplace_back();
        platform = &out->image->platforms.back();
      }
      platform->steps.emplace_back();
      HistoryStep* s = &platform->steps.back();
      if (!ParseStepLine(w, s, &err)) return fail(i, err);
      layer = s->empty_layer ? nullptr : s;
    } else if (kw == "write") {
      if (w.size() != 3 || w[2].substr(0, 2) != "<<" || w[2].size() < 3) return fail(i, "write takes NAME <<END");
      std::string end = w[2].substr(2);
      std::string content;
      size_t j = i + 1;
      while (j < lines.size() && lines[j] != end) {
        content += lines[j];
        content += '\n';
        ++j;
      }
      if (j >= lines.size()) return fail(i, "no line '" + end + "' ends the write");
      out->writes.emplace_back(w[1], content);
      i = j;
    } else if (kw == "truncate") {
      uint64_t n = 0;
      if (w.size() != 3 || !ParseUint(w[2], &n)) return fail(i, "truncate takes NAME BYTES");
      out->truncates.emplace_back(w[1], n);
    } else {
      if (layer == nullptr) return fail(i, "'" + kw + "' outside a layer");
      TarMember m;
      if (!ParseMember(w, &m, &err)) return fail(i, err);
      layer->members.push_back(std::move(m));
    }
  }
  size_t setup_end = 0;
  for (size_t k = 0; k < i; ++k) setup_end += lines[k].size() + 1;
  out->setup = std::string(text.substr(0, std::min(setup_end, text.size())));
  if (!out->setup.empty() && out->setup.back() != '\n') out->setup += '\n';
  if (out->image && out->image->platforms.empty()) return fail(i, "the image has no layers");

  while (i < lines.size()) {
    CliCase c;
    c.line = static_cast<int>(i + 1);
    c.command = std::string(lines[i].substr(2));
    if (!SplitWords(c.command, &c.argv) || c.argv.empty()) return fail(i, "bad command line");
    size_t b = i + 1, e = b;
    while (e < lines.size() && lines[e].substr(0, 2) != "$ ") ++e;
    size_t body_end = e;
    if (body_end > b && IsExitLine(lines[body_end - 1], &c.want_exit)) --body_end;
    size_t marker = body_end;
    for (size_t k = b; k < body_end; ++k) {
      if (lines[k] == kStderrMarker) {
        marker = k;
        break;
      }
    }
    c.want_stdout = JoinStream(lines, b, marker);
    if (marker < body_end) c.want_stderr = JoinStream(lines, marker + 1, body_end);
    out->cases.push_back(std::move(c));
    i = e;
  }
  if (out->cases.empty()) return fail(i, "no '$ ' command");
  return "";
}

std::string FormatCliCase(const std::string& command, const std::string& out, const std::string& err, int exit_code,
                          std::string* error) {
  error->clear();
  for (const std::string* s : {&out, &err}) {
    for (std::string_view l : Lines(*s)) {
      int code;
      if (l.substr(0, 2) == "$ " || l == kStderrMarker || l == kNoEol || IsExitLine(l, &code)) {
        *error = "an output line looks like a marker of the .test format: " + std::string(l);
      }
    }
  }
  std::string text = "$ " + command + "\n";
  AppendStream(&text, out);
  if (!err.empty()) {
    text += kStderrMarker;
    text += '\n';
    AppendStream(&text, err);
  }
  if (exit_code != 0) text += "[exit " + std::to_string(exit_code) + "]\n";
  return text;
}

}  // namespace whittle::testing
