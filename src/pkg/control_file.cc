#include "pkg/control_file.h"

#include "util/strings.h"

namespace whittle::pkg {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  return s;
}

}  // namespace

std::string_view ControlStanza::Get(std::string_view name) const {
  for (const ControlField& f : fields) {
    if (EqualsIgnoreCase(f.name, name)) return f.raw_value;
  }
  return {};
}

bool ControlStanza::Has(std::string_view name) const {
  for (const ControlField& f : fields) {
    if (EqualsIgnoreCase(f.name, name)) return true;
  }
  return false;
}

std::string ControlStanza::Folded(std::string_view name) const {
  std::string_view raw = Get(name);
  std::string out;
  out.reserve(raw.size());
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('\n', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view part = TrimRight(TrimLeft(raw.substr(i, j - i)));
    if (!part.empty()) {
      if (!out.empty()) out.push_back(' ');
      out.append(part);
    }
    i = j + 1;
  }
  return out;
}

Status ForEachControlStanza(std::string_view body, std::string_view file,
                            const std::function<Status(const ControlStanza&)>& fn) {
  ControlStanza stanza;
  // The field whose value may still grow with continuation lines: its value
  // starts at |value_begin| and, so far, ends at |value_end| (offsets in body).
  bool open_field = false;
  size_t value_begin = 0, value_end = 0;
  auto close_field = [&]() {
    if (!open_field) return;
    stanza.fields.back().raw_value = TrimRight(body.substr(value_begin, value_end - value_begin));
    open_field = false;
  };
  auto flush = [&]() -> Status {
    close_field();
    if (stanza.fields.empty()) return Status::Ok();
    Status st = fn(stanza);
    stanza.fields.clear();
    return st;
  };

  size_t line_no = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    ++line_no;
    size_t eol = body.find('\n', pos);
    size_t next = eol == std::string_view::npos ? body.size() : eol + 1;
    size_t end = eol == std::string_view::npos ? body.size() : eol;
    std::string_view line = body.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (TrimLeft(line).empty()) {  // blank: ends the stanza
      RETURN_IF_ERROR(flush());
    } else if (line[0] == '#') {
      // comment
    } else if (IsBlank(line[0])) {  // continuation
      if (!open_field) {
        return Error(Errc::kCorrupt,
                     StrFormat("%s:%zu: continuation line without a field", std::string(file).c_str(), line_no));
      }
      value_end = pos + line.size();
    } else {
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return Error(Errc::kCorrupt, StrFormat("%s:%zu: expected 'Field: value', got %s", std::string(file).c_str(),
                                               line_no, EscapeForMessage(line, 60).c_str()));
      }
      std::string_view name = line.substr(0, colon);
      for (char c : name) {
        if (IsBlank(c)) {
          return Error(Errc::kCorrupt, StrFormat("%s:%zu: blank in field name %s", std::string(file).c_str(), line_no,
                                                 EscapeForMessage(name, 60).c_str()));
        }
      }
      close_field();
      if (stanza.fields.size() >= kMaxFieldsPerStanza) {
        return Error(Errc::kTooLarge, StrFormat("%s:%zu: more than %zu fields in one stanza", std::string(file).c_str(),
                                                line_no, kMaxFieldsPerStanza));
      }
      if (stanza.fields.empty()) stanza.line = line_no;
      stanza.fields.push_back(ControlField{name, {}, line_no});
      size_t v = colon + 1;
      while (v < line.size() && IsBlank(line[v])) ++v;
      value_begin = pos + v;
      value_end = pos + line.size();
      open_field = true;
    }
    pos = next;
  }
  return flush();
}

}  // namespace whittle::pkg
