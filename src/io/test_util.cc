#include "io/test_util.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

namespace whittle::testing {

TempDir::TempDir() {
  const char* tmp = getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/whittle-io-test-XXXXXX";
  char* made = mkdtemp(templ.data());
  path_ = made ? made : "";
}

TempDir::~TempDir() {
  if (!path_.empty()) Run("rm -rf '" + path_ + "'");
}

int Run(const std::string& command) {
  int rc = system(command.c_str());
  if (rc == -1) return -1;
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string RunAndCapture(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string MakeTestData(size_t size, uint32_t seed) {
  static const char* kWords[] = {"usr",  "lib",     "x86_64-linux-gnu", "share", "doc",
                                 "bin",  "etc",     "python3",          "site-packages",
                                 "so.6", "changelog.Debian.gz", "locale", "README"};
  std::mt19937 rng(seed);
  std::string out;
  out.reserve(size + 256);
  while (out.size() < size) {
    if (rng() % 8 == 0) {
      size_t run = 16 + rng() % 600;  // an incompressible stretch
      for (size_t i = 0; i < run; ++i) out.push_back(static_cast<char>(rng()));
    } else {
      int words = 1 + static_cast<int>(rng() % 6);
      for (int i = 0; i < words; ++i) {
        out += '/';
        out += kWords[rng() % (sizeof kWords / sizeof kWords[0])];
      }
      out += ' ';
      out += std::to_string(rng() % 100000);
      out += '\n';
    }
  }
  out.resize(size);
  return out;
}

std::string MakeRandomBytes(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

std::string CompressWith(const TempDir& dir, const std::string& data, const std::string& command) {
  static int counter = 0;
  std::string in = dir.File("in" + std::to_string(counter));
  std::string out = dir.File("out" + std::to_string(counter));
  ++counter;
  WriteFile(in, data);
  if (Run(command + " < '" + in + "' > '" + out + "'") != 0) return std::string();
  return ReadFile(out);
}

std::string Sha256sumOf(const TempDir& dir, const std::string& data) {
  std::string in = dir.File("sha-input");
  WriteFile(in, data);
  std::string out = RunAndCapture("sha256sum < '" + in + "'");
  if (out.size() < 64) return std::string();
  return "sha256:" + out.substr(0, 64);
}

}  // namespace whittle::testing
