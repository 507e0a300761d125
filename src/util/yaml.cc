#include "util/yaml.h"

#include <yaml.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include "util/file_util.h"
#include "util/strings.h"

namespace whittle {
namespace {

using nlohmann::json;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsOctal(char c) { return c >= '0' && c <= '7'; }
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Parses digits (with '_' separators, at least one digit) in |base| into a
// magnitude. False on a bad character or overflow of uint64.
bool ParseMagnitude(std::string_view s, int base, uint64_t* out) {
  uint64_t v = 0;
  bool any = false;
  for (char c : s) {
    if (c == '_') continue;
    int d;
    if (IsDigit(c)) {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    if (d >= base) return false;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    any = true;
  }
  *out = v;
  return any;
}

bool TryInt(std::string_view s, json* out) {
  bool neg = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty()) return false;
  uint64_t mag = 0;
  int base = 10;
  std::string_view digits = body;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    base = 16;
    digits = body.substr(2);
    for (char c : digits) {
      if (!IsHex(c) && c != '_') return false;
    }
  } else if (body.size() > 2 && body[0] == '0' && body[1] == 'o') {
    base = 8;
    digits = body.substr(2);
  } else if (body.size() > 1 && body[0] == '0') {
    base = 8;  // YAML 1.1: a leading 0 means octal
    digits = body.substr(1);
    for (char c : digits) {
      if (!IsOctal(c) && c != '_') return false;
    }
  } else {
    if (!IsDigit(body[0])) return false;
  }
  if (!ParseMagnitude(digits, base, &mag)) return false;
  if (neg) {
    if (mag > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = mag == static_cast<uint64_t>(INT64_MAX) + 1 ? INT64_MIN : -static_cast<int64_t>(mag);
  } else {
    if (mag > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(mag);
  }
  return true;
}

bool TryFloat(std::string_view s, json* out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t mant_digits = 0;
  bool dot = false;
  bool exp = false;
  while (i < s.size() && (IsDigit(s[i]) || s[i] == '_')) {
    if (s[i] != '_') ++mant_digits;
    ++i;
  }
  if (i < s.size() && s[i] == '.') {
    dot = true;
    ++i;
    while (i < s.size() && (IsDigit(s[i]) || s[i] == '_')) {
      if (s[i] != '_') ++mant_digits;
      ++i;
    }
  }
  if (mant_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exp = true;
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) {
      ++exp_digits;
      ++i;
    }
    if (exp_digits == 0) return false;
  }
  if (i != s.size() || (!dot && !exp)) return false;
  std::string clean;
  for (char c : s) {
    if (c != '_') clean += c;
  }
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size() || errno == ERANGE) return false;
  *out = v;
  return true;
}

std::string Mark(std::string_view name, const yaml_mark_t& m) {
  return StrFormat("%.*s:%zu:%zu", static_cast<int>(name.size()), name.data(), m.line + 1,
                   m.column + 1);
}

size_t CountNodes(const json& v) {
  size_t n = 1;
  if (v.is_structured()) {
    for (const auto& child : v) n += CountNodes(child);
  }
  return n;
}

// One open mapping or sequence while the document is being built.
struct Frame {
  json value;
  std::string anchor;       // set when the collection carries &anchor
  bool have_key = false;    // mapping: a key was read, its value is next
  std::string key;
  bool key_is_merge = false;
  std::vector<json> merges;  // mapping: values of `<<` keys, applied at the end
};

class Builder {
 public:
  explicit Builder(std::string_view name) : name_(name) {}

  Result<json> Run(yaml_parser_t* parser) {
    for (;;) {
      yaml_event_t ev;
      if (!yaml_parser_parse(parser, &ev)) {
        const char* problem = parser->problem ? parser->problem : "YAML syntax error";
        std::string msg = Mark(name_, parser->problem_mark) + ": " + problem;
        if (parser->context) msg += StrFormat(" (%s at line %zu)", parser->context, parser->context_mark.line + 1);
        return Error(Errc::kCorrupt, msg);
      }
      Status st = Handle(ev);
      yaml_event_type_t type = ev.type;
      yaml_event_delete(&ev);
      if (!st.ok()) return st;
      if (type == YAML_DOCUMENT_END_EVENT || type == YAML_STREAM_END_EVENT) break;
    }
    return std::move(root_);
  }

 private:
  Status Handle(const yaml_event_t& ev) {
    switch (ev.type) {
      case YAML_SCALAR_EVENT: {
        std::string_view text(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
        if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().have_key) {
          Frame& f = stack_.back();
          f.key = std::string(text);
          f.key_is_merge = ev.data.scalar.plain_implicit && text == "<<";
          f.have_key = true;
          if (!f.key_is_merge && f.value.contains(f.key)) {
            return Error(Errc::kCorrupt, Mark(name_, ev.start_mark) + ": duplicate key '" +
                                             EscapeForMessage(f.key) + "'");
          }
          return Status::Ok();
        }
        const char* tag = reinterpret_cast<const char*>(ev.data.scalar.tag);
        bool force_str = tag != nullptr && std::strcmp(tag, "tag:yaml.org,2002:str") == 0;
        json v = (ev.data.scalar.plain_implicit && !force_str) ? ResolvePlainYamlScalar(text)
                                                               : json(std::string(text));
        if (ev.data.scalar.anchor) {
          anchors_[reinterpret_cast<const char*>(ev.data.scalar.anchor)] = {v, 1};
        }
        return Add(std::move(v), 1, ev.start_mark);
      }
      case YAML_ALIAS_EVENT: {
        std::string a = reinterpret_cast<const char*>(ev.data.alias.anchor);
        auto it = anchors_.find(a);
        if (it == anchors_.end()) {
          return Error(Errc::kCorrupt, Mark(name_, ev.start_mark) + ": unknown or recursive alias '*" +
                                           EscapeForMessage(a) + "'");
        }
        if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().have_key) {
          if (!it->second.value.is_string()) {
            return Error(Errc::kCorrupt, Mark(name_, ev.start_mark) + ": an alias to a non-string used as a key");
          }
          Frame& f = stack_.back();
          f.key = it->second.value.get<std::string>();
          f.key_is_merge = false;
          f.have_key = true;
          if (f.value.contains(f.key)) {
            return Error(Errc::kCorrupt, Mark(name_, ev.start_mark) + ": duplicate key '" +
                                             EscapeForMessage(f.key) + "'");
          }
          return Status::Ok();
        }
        return Add(it->second.value, it->second.nodes, ev.start_mark);
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().have_key) {
          return Error(Errc::kUnsupported, Mark(name_, ev.start_mark) + ": a mapping or sequence used as a key");
        }
        if (stack_.size() >= kMaxYamlDepth) {
          return Error(Errc::kTooLarge, Mark(name_, ev.start_mark) +
                                            StrFormat(": nesting deeper than %zu levels", kMaxYamlDepth));
        }
        Frame f;
        bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
        f.value = seq ? json::array() : json::object();
        const yaml_char_t* anchor = seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor;
        if (anchor) f.anchor = reinterpret_cast<const char*>(anchor);
        // An anchor being defined must not be reachable from inside itself.
        if (!f.anchor.empty()) anchors_.erase(f.anchor);
        stack_.push_back(std::move(f));
        return Status::Ok();
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        if (f.value.is_object()) {
          for (const json& m : f.merges) {
            for (auto it = m.begin(); it != m.end(); ++it) {
              if (!f.value.contains(it.key())) f.value[it.key()] = it.value();
            }
          }
        }
        size_t nodes = CountNodes(f.value);
        if (!f.anchor.empty()) anchors_[f.anchor] = {f.value, nodes};
        // The collection's own nodes were counted as they were added.
        return Add(std::move(f.value), 0, ev.end_mark);
      }
      default:
        return Status::Ok();  // stream/document start, nothing to build
    }
  }

  // Adds a finished value to the enclosing collection (or makes it the root).
  // |nodes| is how many new nodes it brings (for the expansion cap).
  Status Add(json v, size_t nodes, const yaml_mark_t& mark) {
    total_nodes_ += nodes;
    if (total_nodes_ > kMaxYamlNodes) {
      return Error(Errc::kTooLarge, Mark(name_, mark) + StrFormat(": document expands to more than %zu nodes",
                                                                  kMaxYamlNodes));
    }
    if (stack_.empty()) {
      root_ = std::move(v);
      return Status::Ok();
    }
    Frame& f = stack_.back();
    if (f.value.is_array()) {
      f.value.push_back(std::move(v));
      ++total_nodes_;  // the parent's slot
      return Status::Ok();
    }
    f.have_key = false;
    if (f.key_is_merge) {
      if (v.is_object()) {
        f.merges.push_back(std::move(v));
      } else if (v.is_array()) {
        for (auto& m : v) {
          if (!m.is_object()) {
            return Error(Errc::kCorrupt, Mark(name_, mark) + ": '<<' merges only mappings");
          }
          f.merges.push_back(std::move(m));
        }
      } else {
        return Error(Errc::kCorrupt, Mark(name_, mark) + ": '<<' merges only mappings");
      }
      return Status::Ok();
    }
    f.value[f.key] = std::move(v);
    ++total_nodes_;
    return Status::Ok();
  }

  struct Anchor {
    json value;
    size_t nodes;
  };
  std::string_view name_;
  std::vector<Frame> stack_;
  std::map<std::string, Anchor> anchors_;
  json root_;
  size_t total_nodes_ = 0;
};

}  // namespace

json ResolvePlainYamlScalar(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  static const char* const kTrue[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
  static const char* const kFalse[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
  for (const char* t : kTrue) {
    if (s == t) return true;
  }
  for (const char* f : kFalse) {
    if (s == f) return false;
  }
  json out;
  if (TryInt(s, &out)) return out;
  if (TryFloat(s, &out)) return out;
  return std::string(s);
}

Result<json> ParseYaml(std::string_view text, std::string_view name) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    return Error(Errc::kInternal, std::string(name) + ": cannot initialise the YAML parser");
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  Builder b(name);
  Result<json> r = b.Run(&parser);
  yaml_parser_delete(&parser);
  return r;
}

Result<json> ParseYamlFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, kMaxYamlFileBytes));
  return ParseYaml(text, path);
}

}  // namespace whittle
