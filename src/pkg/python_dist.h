// Installed Python distributions, from the two file lists pip and
// setuptools leave behind:
//
//   SITE/NAME-VER.dist-info/RECORD   (PEP 376/627, written by pip for every
//       wheel it installs) CSV rows "path,hash,size"; a relative path is
//       relative to SITE, the directory holding the .dist-info (console
//       scripts appear as "../../../bin/foo"); RECORD lists itself.
//   SITE/NAME-VER-pyX.Y.egg-info/installed-files.txt  (setuptools /
//       `pip install` of an sdist without wheel) one path per line,
//       relative to the .egg-info directory ("../foo/__init__.py").
//
// The distribution's name and version come from the directory name
// (PEP 427/376 escape '-' in names to '_', so the first '-' splits name
// from version); METADATA's "Name:"/"Version:" headers can replace them
// (ParsePythonMetadata) when the caller has that body too. Labels use the
// PEP 503 normalised name (lower case, runs of '-', '_', '.' -> '-'), so
// "PyYAML", "typing_extensions" and "zope.interface" label as
// pip:pyyaml, pip:typing-extensions, pip:zope-interface whichever tool wrote
// the directory.
#ifndef WHITTLE_PKG_PYTHON_DIST_H_
#define WHITTLE_PKG_PYTHON_DIST_H_

#include <string>
#include <string_view>

#include "pkg/package.h"
#include "util/status.h"

namespace whittle::pkg {

struct PythonDist {
  /// name: as in the directory (or METADATA); version may be "".
  /// paths: absolute, normalised; entries that would climb above "/" are
  /// dropped and counted in |dropped_paths|.
  Package package;
  std::string normalized_name;  // PEP 503: the label name
  std::string dist_dir;         // the absolute .dist-info / .egg-info directory
  size_t dropped_paths = 0;
};

/// PEP 503 normalisation: "Foo__Bar.baz" -> "foo-bar-baz".
std::string NormalizePythonName(std::string_view name);

/// Parses a RECORD body. |record_path| is the file's absolute path
/// (".../NAME-VER.dist-info/RECORD"); errors if it is not of that shape.
/// CSV per RFC 4180 as Python's csv module writes it (quotes with "" for a
/// quote, LF or CRLF line ends). Errors (path:line:): a row without exactly
/// 3 fields, an empty path, an unterminated quote, a NUL, an oversized body.
Result<PythonDist> ParseDistInfoRecord(std::string_view record_path, std::string_view body);

/// Parses an installed-files.txt body; |files_path| must be
/// ".../NAME[-VER[-pyX.Y]].egg-info/installed-files.txt".
Result<PythonDist> ParseEggInstalledFiles(std::string_view files_path, std::string_view body);

struct PythonNameVersion {
  std::string name;
  std::string version;
};
/// Reads "Name:" and "Version:" from a METADATA / PKG-INFO body (RFC 822
/// headers up to the first blank line). Errors when Name is missing.
Result<PythonNameVersion> ParsePythonMetadata(std::string_view body, std::string_view file);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_PYTHON_DIST_H_
