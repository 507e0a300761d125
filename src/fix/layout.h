// Layout: how a Dockerfile writes its continued RUN lines, so the lines a
// rewrite adds look like the file's own.
//
//   lead_operator = true, indent = " ":
//     RUN apt-get update <escape>
//      && apt-get install -y curl
//   lead_operator = false, indent = "    ":
//     RUN apt-get update && <escape>
//         apt-get install -y curl
//
// A new continuation copies the RUN's own style, else the first continued
// RUN in the file, else four spaces with a leading `&&`.
#ifndef WHITTLE_FIX_LAYOUT_H_
#define WHITTLE_FIX_LAYOUT_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "lint/ast.h"

namespace whittle::fix {

struct ContinuationStyle {
  std::string indent = "    ";  // blanks at the start of a continuation line
  bool lead_operator = true;     // `&&` starts the new line (else ends the old one)
};

/// The style of |ins|'s own continuation lines; nullopt when it has none.
std::optional<ContinuationStyle> StyleOf(std::string_view text, const lint::Instruction& ins, char escape);

/// The style for a new continuation line: the first of |preferred| that has
/// continuation lines, else the first continued RUN in |df|, else the default.
ContinuationStyle PickStyle(std::string_view text, const lint::Dockerfile& df,
                            std::initializer_list<const lint::Instruction*> preferred);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_LAYOUT_H_
