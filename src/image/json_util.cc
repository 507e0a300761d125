#include "image/json_util.h"

#include "util/strings.h"

namespace whittle {
namespace {

// A SAX handler that accepts everything and records where parsing failed;
// used only to locate the error after the DOM parse was discarded.
struct ErrorLocator {
  size_t position = 0;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t) { return true; }
  bool number_unsigned(Json::number_unsigned_t) { return true; }
  bool number_float(Json::number_float_t, const std::string&) { return true; }
  bool string(std::string&) { return true; }
  bool binary(Json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(std::string&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception&) {
    position = pos;
    return false;
  }
};

}  // namespace

Result<Json> ParseJson(std::string_view text, std::string_view where) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) return j;
  ErrorLocator loc;
  Json::sax_parse(text.begin(), text.end(), &loc, nlohmann::detail::input_format_t::json,
                  /*strict=*/true);
  // nlohmann counts the offending character as read: its 1-based position.
  size_t byte = loc.position > 0 ? loc.position - 1 : 0;
  return Error(Errc::kCorrupt, StrFormat("%.*s: invalid JSON at byte %zu",
                                         static_cast<int>(where.size()), where.data(), byte));
}

const char* JsonTypeName(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number";
    default:
      return "value";
  }
}

const Json* JsonFields::Find(const char* key) const {
  if (!obj_.is_object()) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string JsonFields::Path(const char* key) const {
  return field_.empty() ? std::string(key) : field_ + "." + key;
}

Status JsonFields::Fail(const char* key, const std::string& what) const {
  return Error(Errc::kCorrupt,
               StrFormat("%s: %s: %s", where_.c_str(), Path(key).c_str(), what.c_str()));
}

#define WHITTLE_JSON_FIELD_PROLOGUE_(pred, type_name)                                    \
  const Json* v = Find(key);                                                             \
  if (v == nullptr) return required ? Fail(key, "missing") : Status::Ok();               \
  if (!(pred)) {                                                                         \
    return Fail(key, StrFormat("expected %s, got %s", type_name, JsonTypeName(*v)));     \
  }

Status JsonFields::String(const char* key, std::string* out, bool required) const {
  WHITTLE_JSON_FIELD_PROLOGUE_(v->is_string(), "a string")
  *out = v->get_ref<const std::string&>();
  return Status::Ok();
}

Status JsonFields::Int64(const char* key, int64_t* out, bool required) const {
  WHITTLE_JSON_FIELD_PROLOGUE_(v->is_number_integer(), "an integer")
  if (v->is_number_unsigned()) {
    auto u = v->get<Json::number_unsigned_t>();
    if (u > static_cast<Json::number_unsigned_t>(INT64_MAX)) return Fail(key, "out of range");
    *out = static_cast<int64_t>(u);
  } else {
    *out = v->get<Json::number_integer_t>();
  }
  return Status::Ok();
}

Status JsonFields::Bool(const char* key, bool* out) const {
  const bool required = false;
  WHITTLE_JSON_FIELD_PROLOGUE_(v->is_boolean(), "a boolean")
  *out = v->get<bool>();
  return Status::Ok();
}

Status JsonFields::Array(const char* key, const Json** out, bool required) const {
  *out = nullptr;
  WHITTLE_JSON_FIELD_PROLOGUE_(v->is_array(), "an array")
  *out = v;
  return Status::Ok();
}

Status JsonFields::Object(const char* key, const Json** out, bool required) const {
  *out = nullptr;
  WHITTLE_JSON_FIELD_PROLOGUE_(v->is_object(), "an object")
  *out = v;
  return Status::Ok();
}

#undef WHITTLE_JSON_FIELD_PROLOGUE_

}  // namespace whittle
