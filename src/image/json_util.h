// JSON helpers for manifests, configs and indexes: nlohmann-json without
// exceptions. Documents are parsed with allow_exceptions=false; every field
// is type-checked before access, and errors name the file and the field
// ("app.tar:manifest.json: [0].Layers[2]: expected a string, got number").
#ifndef WHITTLE_IMAGE_JSON_UTIL_H_
#define WHITTLE_IMAGE_JSON_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/status.h"

namespace whittle {

using Json = nlohmann::json;

/// Parses |text|; a syntax error is kCorrupt "WHERE: invalid JSON at byte N".
Result<Json> ParseJson(std::string_view text, std::string_view where);

/// "string", "number", "object"... for messages.
const char* JsonTypeName(const Json& j);

/// Context for typed field access: the file (|where|) and a field path
/// prefix (|field|, e.g. "[0]" or "layers[3]") used in messages.
class JsonFields {
 public:
  JsonFields(const Json& obj, std::string where, std::string field = "")
      : obj_(obj), where_(std::move(where)), field_(std::move(field)) {}

  /// The member |key| or nullptr when absent or null (obj_ not an object too).
  const Json* Find(const char* key) const;
  /// Field path for messages: "field.key" (or "key").
  std::string Path(const char* key) const;
  /// "WHERE: PATH: what".
  Status Fail(const char* key, const std::string& what) const;

  /// Absent/null -> |*out| untouched and ok unless |required|.
  Status String(const char* key, std::string* out, bool required = false) const;
  Status Int64(const char* key, int64_t* out, bool required = false) const;
  Status Bool(const char* key, bool* out) const;
  /// Sets |*out| to the array (nullptr when absent and not required).
  Status Array(const char* key, const Json** out, bool required = false) const;
  Status Object(const char* key, const Json** out, bool required = false) const;

  const std::string& where() const { return where_; }
  const std::string& field() const { return field_; }

 private:
  const Json& obj_;
  std::string where_;
  std::string field_;
};

}  // namespace whittle

#endif  // WHITTLE_IMAGE_JSON_UTIL_H_
