// FlagSet: a verb's options as a table, parsed by one loop. The framework
// (cli/verb_runner.cc) declares the shared options (--help, --format and its
// shorthands, --platform/--verify/-j for image verbs); each verb adds its
// own in Verb::AddFlags, bound to its members. Nothing else walks argv.
//
//   flags.Bool("--reverse", nullptr, &reverse_);
//   flags.Value("--max-rows", "-n", [this](const std::string& v) { ... });
//
// Options may come before, between or after operands; "--" ends them
// (ArgParser). Every option accepts `--name v` and `--name=v`; a short one
// also `-n v` and `-nv` (STYLE.md §4).
#ifndef WHITTLE_CLI_FLAGS_H_
#define WHITTLE_CLI_FLAGS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace whittle {

/// The operands of one command line, split at "--".
struct Operands {
  std::vector<std::string> before_dashes;
  std::vector<std::string> after_dashes;
  bool saw_dashes = false;

  /// All operands in order (for verbs where "--" only protects names that
  /// start with '-').
  std::vector<std::string> All() const;
};

class FlagSet {
 public:
  /// Checks and stores an option's value; a bad value is a kUsage error
  /// whose message names the option ("-n needs a number >= 0, got 'x'").
  using ValueFn = std::function<Status(const std::string& value)>;

  /// A flag without a value: sets |*target| to true.
  void Bool(const char* name, const char* short_name, bool* target);
  /// A flag without a value that runs |action|.
  void Action(const char* name, const char* short_name, std::function<void()> action);
  /// An option whose value is stored in |*target| (the last one wins).
  void String(const char* name, const char* short_name, std::string* target);
  /// A repeatable option: every value is appended to |*target|.
  void Append(const char* name, const char* short_name, std::vector<std::string>* target);
  /// An option whose value |fn| checks and stores.
  void Value(const char* name, const char* short_name, ValueFn fn);
  /// A flag that makes the verb print |text()| to stdout and exit 0 at once
  /// (--help, --list-sources).
  void Info(const char* name, const char* short_name, std::function<std::string()> text);
  /// Gives the already declared option |name| the short form |short_name|
  /// (lint's `-f` for --format).
  void Alias(const char* short_name, const char* name);

  /// One declared option, as completions and the man page list it.
  struct Declared {
    const char* name;
    const char* short_name;  // may be null
    bool takes_value;
  };
  /// Every declared option, in declaration order.
  std::vector<Declared> List() const;

  /// What Parse() found.
  struct Parsed {
    Operands operands;
    /// Set when an Info flag was seen: its text; parsing stopped there.
    std::optional<std::string> info;
  };
  /// Parses |args| against the declared options. Errors (kUsage): an
  /// unknown option ("unknown option '--x'"), a missing value ("option -n
  /// needs a value"), or what a ValueFn returned.
  Result<Parsed> Parse(const std::vector<std::string>& args) const;

 private:
  enum class Kind { kFlag, kValue, kInfo };
  struct Entry {
    const char* name;
    const char* short_name;  // may be null
    Kind kind;
    std::function<void()> action;       // kFlag
    ValueFn value;                      // kValue
    std::function<std::string()> info;  // kInfo
  };
  std::vector<Entry> entries_;
};

/// The value of -n NUM (rows before folding into "[N Others]"): a whole
/// number >= 0, 0 = unlimited. Else "-n needs a number >= 0, got 'V'".
Status ParseMaxRows(const std::string& value, size_t* rows);

/// Parses a whole decimal number in [min, max]; false for anything else
/// ("", "1x", "-", out of range).
bool TryParseInt(const std::string& text, long min, long max, long* out);

}  // namespace whittle

#endif  // WHITTLE_CLI_FLAGS_H_
