#include "scan/history_labels.h"

#include <cctype>

#include "util/strings.h"

namespace whittle {

namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Removes a BuildKit build-arg prefix "|N K=V K=V " (N tokens).
std::string_view StripBuildArgs(std::string_view s) {
  if (s.empty() || s[0] != '|') return s;
  size_t i = 1;
  size_t n = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    n = n * 10 + static_cast<size_t>(s[i] - '0');
    ++i;
    if (n > 100000) return s;
  }
  if (i == 1) return s;
  for (size_t k = 0; k <= n; ++k) {  // the "|N" token itself, then N K=V tokens
    while (i < s.size() && s[i] != ' ') ++i;
    while (i < s.size() && s[i] == ' ') ++i;
    if (k < n && i >= s.size()) return s;
  }
  return s.substr(i);
}

// "dir:<64 hex>" / "file:<64 hex>" / "multi:<64 hex>" -> "dir:…".
std::string ElideHashes(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ':' && i + 65 <= s.size()) {
      bool hex = true;
      for (size_t k = 1; k <= 64 && hex; ++k) hex = IsHex(s[i + k]);
      bool end_ok = i + 65 == s.size() || !IsHex(s[i + 65]);
      size_t b = i;
      while (b > 0 && std::isalpha(static_cast<unsigned char>(s[b - 1]))) --b;
      std::string_view kind(s.data() + b, i - b);
      if (hex && end_ok && (kind == "dir" || kind == "file" || kind == "multi")) {
        out += ":\xE2\x80\xA6";  // ':' + U+2026
        i += 65;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

}  // namespace

std::string CleanCreatedBy(std::string_view created_by) {
  std::string_view s = TrimWhitespace(created_by);
  if (EndsWith(s, "# buildkit")) s = TrimWhitespace(s.substr(0, s.size() - 10));
  bool run_prefix = false;
  if (StartsWith(s, "RUN ")) {
    run_prefix = true;
    s = TrimWhitespace(s.substr(4));
  }
  s = StripBuildArgs(s);
  std::string out;
  for (std::string_view shell : {"/bin/sh -c ", "/bin/bash -c ", "/bin/sh -o pipefail -c ",
                                 "/bin/bash -o pipefail -c "}) {
    if (StartsWith(s, shell)) {
      std::string_view rest = TrimWhitespace(s.substr(shell.size()));
      if (StartsWith(rest, "#(nop)")) {
        out = std::string(TrimWhitespace(rest.substr(6)));
      } else {
        out = "RUN " + std::string(rest);
      }
      break;
    }
  }
  if (out.empty()) {
    if (StartsWith(s, "#(nop)")) {
      out = std::string(TrimWhitespace(s.substr(6)));
    } else {
      out = run_prefix ? "RUN " + std::string(s) : std::string(s);
    }
  }
  return ElideHashes(CollapseWhitespace(out));
}

std::vector<int> MatchHistoryToLayers(const Image& image) {
  std::vector<int> match(image.layers.size(), -1);
  std::vector<int> non_empty;
  for (size_t i = 0; i < image.history.size(); ++i) {
    if (!image.history[i].empty_layer) non_empty.push_back(static_cast<int>(i));
  }
  if (non_empty.size() != image.layers.size()) return match;
  for (size_t i = 0; i < match.size(); ++i) match[i] = non_empty[i];
  return match;
}

std::vector<std::string> LayerLabels(const Image& image) {
  std::vector<int> match = MatchHistoryToLayers(image);
  std::vector<std::string> labels;
  labels.reserve(match.size());
  for (size_t i = 0; i < match.size(); ++i) {
    if (match[i] < 0) {
      labels.push_back(StrFormat("[layer %zu]", i + 1));
    } else {
      std::string instr = CleanCreatedBy(image.history[static_cast<size_t>(match[i])].created_by);
      labels.push_back(StrFormat("#%zu %s", i + 1, instr.c_str()));
    }
  }
  return labels;
}

}  // namespace whittle
