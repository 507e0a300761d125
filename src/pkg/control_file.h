// Control files: the deb822 ("RFC822-ish") stanza format of dpkg's status
// file, distroless status.d entries, .deb control files and apt's
// extended_states. A stanza is a run of "Field: value" lines; a line that
// starts with a space or tab continues the previous field; blank lines
// separate stanzas. Field names compare case-insensitively (deb822(5)).
//
// This is a tokenizer, not a dpkg model: dpkg.h gives the fields meaning.
// Values are views into the body (zero-copy); a continued value is the raw
// span including its line breaks, and Folded() joins it into one line.
#ifndef WHITTLE_PKG_CONTROL_FILE_H_
#define WHITTLE_PKG_CONTROL_FILE_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace whittle::pkg {

struct ControlField {
  std::string_view name;
  /// From after "Name:" and its leading blanks to the end of the last
  /// continuation line (trailing blanks and the final line break dropped).
  std::string_view raw_value;
  size_t line = 0;  // 1-based line of "Name:"
};

struct ControlStanza {
  size_t line = 0;  // 1-based line of the first field
  std::vector<ControlField> fields;

  /// The raw value of the first field named |name| (case-insensitive), or
  /// "" when absent (use Has() to tell an empty value from a missing one).
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  /// Get() with continuation lines joined: every line break and the blanks
  /// around it become one space ("a,\n b" -> "a, b").
  std::string Folded(std::string_view name) const;
};

/// Caps on one control file (bodies are capped by the callers).
inline constexpr size_t kMaxFieldsPerStanza = 4096;

/// Calls |fn| for every stanza of |body| in order; stops at and returns the
/// first error of |fn|. Errors on malformed input, as "file:line: what":
/// a continuation line before any field, a line without ':' or with an
/// empty field name, or a stanza with more than kMaxFieldsPerStanza fields.
/// Lines starting with '#' are comments (allowed in deb822) and skipped. A
/// trailing '\r' on a line is ignored.
Status ForEachControlStanza(std::string_view body, std::string_view file,
                            const std::function<Status(const ControlStanza&)>& fn);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_CONTROL_FILE_H_
