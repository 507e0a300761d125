// Variable expansion for Dockerfile values; see expand.h.
#include "lint/expand.h"

namespace whittle::lint {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Nested ${a:-${b:-...}} words are expanded recursively; the depth is capped
// so a hostile value cannot exhaust the stack.
constexpr int kMaxDepth = 16;

class Expander {
 public:
  Expander(const VarLookup& lookup, char escape) : lookup_(lookup), escape_(escape) {}

  std::string Expand(std::string_view w, int depth) {
    std::string out;
    size_t i = 0;
    while (i < w.size()) {
      char c = w[i];
      if (c == escape_ && i + 1 < w.size()) {
        if (w[i + 1] == '$') {
          out.push_back('$');
        } else {
          out.push_back(c);
          out.push_back(w[i + 1]);
        }
        i += 2;
        continue;
      }
      if (c != '$' || i + 1 >= w.size()) {
        out.push_back(c);
        ++i;
        continue;
      }
      char n = w[i + 1];
      if (n == '{') {
        i = Braced(w, i + 2, depth, &out);
        continue;
      }
      if (IsNameStart(n)) {
        size_t e = i + 1;
        while (e < w.size() && IsNameChar(w[e])) ++e;
        Append(w.substr(i + 1, e - i - 1), &out);
        i = e;
        continue;
      }
      if (n >= '0' && n <= '9') {  // positional: never set in a Dockerfile
        i += 2;
        continue;
      }
      out.push_back('$');
      ++i;
    }
    return out;
  }

  bool complete() const { return complete_; }

 private:
  void Append(std::string_view name, std::string* out) {
    if (auto v = lookup_ ? lookup_(name) : std::nullopt) out->append(*v);
  }

  // Parses `${...}` starting after the brace; returns the index after '}'.
  size_t Braced(std::string_view w, size_t i, int depth, std::string* out) {
    size_t name_begin = i;
    while (i < w.size() && IsNameChar(w[i])) ++i;
    std::string_view name = w.substr(name_begin, i - name_begin);
    // Find the matching close brace, honouring nested ${...}.
    size_t close = i;
    int level = 1;
    while (close < w.size()) {
      if (w[close] == '$' && close + 1 < w.size() && w[close + 1] == '{') {
        ++level;
        close += 2;
        continue;
      }
      if (w[close] == '}' && --level == 0) break;
      ++close;
    }
    if (close >= w.size() || name.empty()) {  // unterminated or ${} / ${#...}
      complete_ = false;
      return w.size();
    }
    std::string_view op_and_word = w.substr(i, close - i);
    // (A plain string_view + flag: g++ 12 warns spuriously on optional here.)
    std::string_view value;
    bool has_value = false;
    if (lookup_) {
      if (auto v = lookup_(name)) {
        value = *v;
        has_value = true;
      }
    }
    if (op_and_word.empty()) {
      out->append(value);
      return close + 1;
    }
    bool colon = op_and_word[0] == ':';
    std::string_view op = op_and_word.substr(colon ? 1 : 0, 1);
    std::string_view word = op_and_word.substr(colon ? 2 : 1);
    if (colon && op_and_word.size() < 2) op = "";
    bool set = has_value && (!colon || !value.empty());
    if (op == "-") {
      if (set) {
        out->append(value);
      } else if (depth < kMaxDepth) {
        out->append(Expand(word, depth + 1));
      } else {
        complete_ = false;
      }
    } else if (op == "+") {
      if (set) {
        if (depth < kMaxDepth) {
          out->append(Expand(word, depth + 1));
        } else {
          complete_ = false;
        }
      }
    } else if (op == "?") {
      if (set) {
        out->append(value);
      } else {
        complete_ = false;  // the build would fail here
      }
    } else {
      complete_ = false;  // #, %, / and friends: not supported
    }
    return close + 1;
  }

  const VarLookup& lookup_;
  char escape_;
  bool complete_ = true;
};

}  // namespace

std::string ExpandVariables(std::string_view word, const VarLookup& lookup, char escape,
                            bool* complete) {
  if (word.find('$') == std::string_view::npos) {
    if (complete) *complete = true;
    return std::string(word);
  }
  Expander e(lookup, escape);
  std::string out = e.Expand(word, 0);
  if (complete) *complete = e.complete();
  return out;
}

VarLookup LookupFromKeyValues(const std::vector<KeyValue>& pairs) {
  return [&pairs](std::string_view name) -> std::optional<std::string_view> {
    for (size_t i = pairs.size(); i-- > 0;) {
      if (pairs[i].key == name) {
        if (!pairs[i].has_value) return std::nullopt;
        return std::string_view(pairs[i].value);
      }
    }
    return std::nullopt;
  };
}

}  // namespace whittle::lint
