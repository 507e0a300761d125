// YAML -> JSON: reads the small YAML configuration files whittle accepts
// (.whittle.yaml, .hadolint.yaml, dive's .dive-ci) into an nlohmann::json
// value, so every consumer walks one tree type.
//
// This is a loader for configuration, not a general YAML library: it keeps
// only what JSON can represent. libyaml (YAML 1.1) does the parsing.
//
// Mapping rules:
// - mappings -> objects, sequences -> arrays; keys must be scalars and are
//   always strings (`1: x` gives key "1"). A duplicate key is an error.
// - Scalar typing, the YAML 1.1 "core" resolution that libyaml's users
//   (PyYAML, Go yaml.v2) apply, restricted to PLAIN (unquoted, untagged)
//   scalars; every quoted or block (| >) scalar stays a string:
//     null   ""  ~  null Null NULL
//     bool   true True TRUE false False FALSE yes Yes YES no No NO
//            on On ON off Off OFF   (YAML 1.1; single-letter y/n are NOT
//            booleans, as in PyYAML)
//     int    [-+]?(0|[1-9][0-9_]*)  0x[0-9a-fA-F_]+  0o[0-7_]+  0[0-7_]+
//            (1.1 octal); a value outside int64 stays a string
//     float  [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)? with at least
//            one digit, or [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+;
//            .inf/.nan stay strings (JSON has no such numbers)
//   Anything else ("20Mb", "0.95x", "1.2.3") is a string. The explicit tag
//   !!str forces a string; other tags are ignored (the plain rule applies).
// - Anchors and aliases are resolved by copying the anchored value; an
//   alias to an unknown (or still-open, i.e. recursive) anchor is an error,
//   and expansion is capped at kMaxYamlNodes nodes ("billion laughs").
//   Merge keys (`<<: *base`, `<<: [*a, *b]`) are applied: explicit keys win.
// - A stream with several documents yields the FIRST document; later
//   documents are not read. An empty stream yields null.
// Errors are one line: "NAME:LINE:COL: message" (1-based).
#ifndef WHITTLE_UTIL_YAML_H_
#define WHITTLE_UTIL_YAML_H_

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/status.h"

namespace whittle {

/// Most nodes one document may produce, aliases expanded.
inline constexpr size_t kMaxYamlNodes = 1'000'000;
/// Deepest nesting of mappings/sequences accepted.
inline constexpr size_t kMaxYamlDepth = 256;
/// Largest file ParseYamlFile reads.
inline constexpr size_t kMaxYamlFileBytes = 16u << 20;

/// Parses |text|; |name| (a file name) prefixes error messages.
/// Returns kCorrupt for syntax errors, kTooLarge past the caps above.
Result<nlohmann::json> ParseYaml(std::string_view text, std::string_view name);

/// Reads and parses the file at |path|. kNotFound when it does not exist,
/// kIo when it cannot be read, kTooLarge past kMaxYamlFileBytes.
Result<nlohmann::json> ParseYamlFile(const std::string& path);

/// Resolves one plain scalar by the rules above (exposed for tests and for
/// callers that read scalars from elsewhere, e.g. command-line overrides).
nlohmann::json ResolvePlainYamlScalar(std::string_view s);

}  // namespace whittle

#endif  // WHITTLE_UTIL_YAML_H_
