// Helpers shared by the io tests: a per-test temp directory, running the
// real compression CLIs, and deterministic test data.
#ifndef WHITTLE_IO_TEST_UTIL_H_
#define WHITTLE_IO_TEST_UTIL_H_

#include <cstdint>
#include <string>

namespace whittle::testing {

/// A fresh directory under $TMPDIR, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Runs |command| with /bin/sh; returns its exit status (-1 if it could not run).
int Run(const std::string& command);
/// Runs |command| and returns its stdout (empty on failure).
std::string RunAndCapture(const std::string& command);

void WriteFile(const std::string& path, const std::string& data);
std::string ReadFile(const std::string& path);

/// Deterministic, moderately compressible data (text lines mixed with
/// random runs), like a layer tar's contents.
std::string MakeTestData(size_t size, uint32_t seed);
/// Incompressible bytes.
std::string MakeRandomBytes(size_t size, uint32_t seed);

/// Compresses |data| with a shell pipeline such as "gzip -6 -c" reading
/// stdin; the result is read back from a file in |dir|.
std::string CompressWith(const TempDir& dir, const std::string& data, const std::string& command);

/// sha256sum's answer for |data|, as "sha256:<hex>".
std::string Sha256sumOf(const TempDir& dir, const std::string& data);

}  // namespace whittle::testing

#endif  // WHITTLE_IO_TEST_UTIL_H_
