#include "fix/unified_diff.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace whittle::fix {
namespace {

TEST(UnifiedDiff, EqualTextsGiveNothing) { EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "Dockerfile"), ""); }

TEST(UnifiedDiff, Table) {
  struct Case {
    const char* before;
    const char* after;
    const char* want;
  };
  const Case kCases[] = {
      {"a\nb\nc\n", "a\nB\nc\n", "--- a/F\n+++ b/F\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
      {"", "x\n", "--- a/F\n+++ b/F\n@@ -0,0 +1 @@\n+x\n"},
      {"x\n", "", "--- a/F\n+++ b/F\n@@ -1 +0,0 @@\n-x\n"},
      {"a\nb", "a\nc", "--- a/F\n+++ b/F\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
      {"a\nb", "a\nb\n", "--- a/F\n+++ b/F\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
      {"a\r\nb\r\n", "a\r\nb \\\r\n && c\r\n", "--- a/F\n+++ b/F\n@@ -1,2 +1,3 @@\n a\r\n-b\r\n+b \\\r\n+ && c\r\n"},
      // Two changes more than 2*3 lines apart: two hunks.
      {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "x\n2\n3\n4\n5\n6\n7\n8\n9\ny\n",
       "--- a/F\n+++ b/F\n@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+y\n"},
      // Closer: one hunk.
      {"1\n2\n3\n4\n5\n6\n", "x\n2\n3\n4\n5\ny\n",
       "--- a/F\n+++ b/F\n@@ -1,6 +1,6 @@\n-1\n+x\n 2\n 3\n 4\n 5\n-6\n+y\n"},
  };
  for (const Case& c : kCases) EXPECT_EQ(UnifiedDiff(c.before, c.after, "F"), c.want) << c.before;
}

TEST(UnifiedDiff, NamesAreRelative) {
  EXPECT_EQ(UnifiedDiff("a\n", "b\n", "./x/Dockerfile"), "--- a/x/Dockerfile\n+++ b/x/Dockerfile\n@@ -1 +1 @@\n-a\n+b\n");
  EXPECT_EQ(UnifiedDiff("a\n", "b\n", "/abs/Dockerfile"), "--- a/abs/Dockerfile\n+++ b/abs/Dockerfile\n@@ -1 +1 @@\n-a\n+b\n");
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Spit(const std::string& path, const std::string& s) {
  std::ofstream f(path, std::ios::binary);
  f << s;
}

// The real check: `git apply` accepts every patch and reproduces |after|.
// Random line edits (insert, delete, change) over texts with CRLF lines and
// without a final newline.
TEST(UnifiedDiff, GitApplyAcceptsThePatches) {
  char tmpl[] = "/tmp/whittle-diff-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  ASSERT_EQ(std::system(("cd " + dir + " && git init -q .").c_str()), 0);
  std::mt19937 rng(42);
  int applied = 0;
  for (int round = 0; round < 40; ++round) {
    std::vector<std::string> lines;
    int n = 1 + static_cast<int>(rng() % 30);
    const char* eol = round % 3 == 0 ? "\r\n" : "\n";
    for (int i = 0; i < n; ++i) lines.push_back("RUN step " + std::to_string(rng() % 7) + eol);
    std::string before;
    for (const std::string& l : lines) before += l;
    if (round % 5 == 1) before.resize(before.size() - std::string(eol).size());  // no final newline
    std::vector<std::string> edited = lines;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = edited.empty() ? 0 : rng() % edited.size();
      switch (rng() % 3) {
        case 0: edited.insert(edited.begin() + static_cast<long>(at), std::string("ADDED ") + eol); break;
        case 1: if (!edited.empty()) edited.erase(edited.begin() + static_cast<long>(at)); break;
        default: if (!edited.empty()) edited[at] = "CHANGED " + std::to_string(e) + eol; break;
      }
    }
    std::string after;
    for (const std::string& l : edited) after += l;
    if (round % 7 == 2 && !after.empty()) after.pop_back();  // drop the final newline
    std::string patch = UnifiedDiff(before, after, "Dockerfile");
    if (before == after) {
      EXPECT_EQ(patch, "");
      continue;
    }
    Spit(dir + "/Dockerfile", before);
    Spit(dir + "/p.diff", patch);
    int rc = std::system(("cd " + dir + " && git apply --check p.diff 2>/dev/null && git apply p.diff 2>/dev/null").c_str());
    ASSERT_EQ(rc, 0) << "round " << round << "\n" << patch;
    EXPECT_EQ(Slurp(dir + "/Dockerfile"), after) << "round " << round << "\n" << patch;
    ++applied;
  }
  EXPECT_GT(applied, 30);
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace whittle::fix
