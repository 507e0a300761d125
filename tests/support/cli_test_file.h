// The golden CLI test format (tests/cli/*.test, described in
// tests/README.md): a setup section that describes an image and files in
// text, then commands, each followed by its expected output, like a
// terminal transcript.
//
//   # Files deleted by a later layer are reclaimable.
//   image docker-archive gzip
//   layer "/bin/sh -c apt-get install -y gcc"
//     dir /usr/bin
//     file /usr/bin/gcc 1000
//   layer "/bin/sh -c rm /usr/bin/gcc"
//     whiteout /usr/bin/gcc
//   $ whittle waste --json IMAGE
//   {...expected stdout...}
//   --- stderr
//   whittle: warning: ...
//   [exit 1]
//
// This file only parses and prints the format; tests/cli/golden_driver.cc
// builds the image, runs the commands and compares. Test-only.
#ifndef WHITTLE_TESTS_SUPPORT_CLI_TEST_FILE_H_
#define WHITTLE_TESTS_SUPPORT_CLI_TEST_FILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/image_builder.h"

namespace whittle::testing {

/// One command and what it must print.
struct CliCase {
  int line = 0;                   // of the "$ " line, for messages
  std::string command;            // the text after "$ ", as written
  std::vector<std::string> argv;  // |command| split like a shell would (quotes, no expansion)
  std::string want_stdout;
  std::string want_stderr;
  int want_exit = 0;
};

struct CliTestFile {
  /// The setup section verbatim (everything before the first "$ " line),
  /// kept so an update rewrites only the expectations.
  std::string setup;
  std::optional<ImageDescription> image;
  /// `write NAME <<END` files, in order: (name, content).
  std::vector<std::pair<std::string, std::string>> writes;
  /// `truncate NAME BYTES`, applied after everything was written.
  std::vector<std::pair<std::string, uint64_t>> truncates;
  std::vector<CliCase> cases;
};

/// The name the built image gets in the test's directory ("image.tar" for
/// the archives, "image" for an OCI layout); the word IMAGE in a command
/// stands for it.
std::string ImageFileName(const ImageDescription& image);

/// Parses a .test file. Returns "" or "LINE: what is wrong".
std::string ParseCliTestFile(std::string_view text, CliTestFile* out);

/// One case as the format writes it: "$ COMMAND", stdout, "--- stderr" and
/// stderr when not empty, "[exit N]" when N is not 0. Returns "" in |*err|
/// or why the output cannot be written unambiguously (a line of it looks
/// like a marker).
std::string FormatCliCase(const std::string& command, const std::string& out, const std::string& err, int exit_code,
                          std::string* error);

/// Splits a command line like a shell without expansions: whitespace
/// separates words, '...' is literal, "..." takes \" \\ \n \t escapes.
/// Returns false on an unterminated quote.
bool SplitWords(std::string_view line, std::vector<std::string>* words);

}  // namespace whittle::testing

#endif  // WHITTLE_TESTS_SUPPORT_CLI_TEST_FILE_H_
