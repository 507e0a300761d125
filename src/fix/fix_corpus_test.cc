// The fixer over every Dockerfile the repository holds, with the round-trip
// properties of fix_test_util.h on each:
//   - tests/data/fix/*.Dockerfile: golden diffs (NAME.diff, which `git
//     apply` must accept and which must reproduce the fix) and golden notes
//     (NAME.notes); WHITTLE_UPDATE_GOLDENS=1 rewrites them;
//   - the lint corpus (tests/data/lint) and BuildKit's parser cases
//     (tests/data/buildkit-parser), as they are and varied the way
//     bench/lint_bench.sh varies them for its 4,000-file corpus;
//   - BuildKit's cases keep every non-RUN instruction's parse (AST dump).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fix/fix_test_util.h"
#include "fix/unified_diff.h"
#include "lint/ast_dump.h"
#include "lint/dockerfile_parser.h"

namespace whittle::fix {
namespace {

namespace fs = std::filesystem;
using testing::CheckRoundTrip;
using testing::Notes;

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Spit(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary);
  f << s;
}

fs::path Source(const std::string& rel) { return fs::path(WHITTLE_SOURCE_DIR) / rel; }

std::vector<fs::path> Glob(const fs::path& dir, const std::string& suffix, bool recursive = false) {
  std::vector<fs::path> out;
  auto take = [&](const fs::directory_entry& e) {
    if (e.is_regular_file() && e.path().filename().string().size() >= suffix.size() &&
        e.path().filename().string().compare(e.path().filename().string().size() - suffix.size(), suffix.size(),
                                             suffix) == 0) {
      out.push_back(e.path());
    }
  };
  if (recursive) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) take(e);
  } else {
    for (const auto& e : fs::directory_iterator(dir)) take(e);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// bench/lint_bench.sh's variation: other tags (its regex
// `(FROM\s+[\w./-]+:)(\d+)` with the number raised by v % 3), a label and a
// RUN appended. Written out by hand: std::regex trips GCC 12's
// -Wmaybe-uninitialized under the sanitizers.
std::string BenchVariant(const std::string& t, int v) {
  auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' || c == '-'; };
  std::string out;
  size_t i = 0;
  while (i < t.size()) {
    size_t at = t.find("FROM", i);
    if (at == std::string::npos) break;
    size_t j = at + 4, ws = j;
    while (j < t.size() && std::isspace(static_cast<unsigned char>(t[j]))) ++j;
    size_t name = j;
    while (j < t.size() && name_char(t[j])) ++j;
    size_t digits = j + 1, k = digits;
    while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k;
    if (j == ws || name == j || j >= t.size() || t[j] != ':' || k == digits || k - digits > 15) {
      out += t.substr(i, at + 4 - i);
      i = at + 4;
      continue;
    }
    out += t.substr(i, digits - i) + std::to_string(std::stoll(t.substr(digits, k - digits)) + v % 3);
    i = k;
  }
  out += t.substr(std::min(i, t.size()));
  return out + "\nLABEL bench.variant=\"" + std::to_string(v) + "\"\nRUN echo variant " + std::to_string(v) +
         " && true\n";
}

TEST(FixGoldens, DiffsAndNotes) {
  const bool update = std::getenv("WHITTLE_UPDATE_GOLDENS") != nullptr;
  std::vector<fs::path> files = Glob(Source("tests/data/fix"), ".Dockerfile");
  ASSERT_GE(files.size(), 15u);
  fs::path repo = fs::temp_directory_path() / ("whittle-fix-goldens-" + std::to_string(getpid()));
  fs::create_directories(repo);
  ASSERT_EQ(std::system(("cd '" + repo.string() + "' && git init -q .").c_str()), 0);
  for (const fs::path& f : files) {
    std::string name = f.filename().string();
    std::string text = Slurp(f);
    Result<FixResult> r = CheckRoundTrip(name, text);
    ASSERT_TRUE(r.has_value()) << name;
    std::string diff = UnifiedDiff(text, r->text, name);
    std::string notes = Notes(*r);
    fs::path stem = f.parent_path() / f.stem();
    if (update) {
      Spit(stem.string() + ".diff", diff);
      Spit(stem.string() + ".notes", notes);
      continue;
    }
    EXPECT_EQ(diff, Slurp(stem.string() + ".diff")) << name << " (WHITTLE_UPDATE_GOLDENS=1 rewrites)";
    EXPECT_EQ(notes, Slurp(stem.string() + ".notes")) << name;
    if (diff.empty()) continue;
    // git apply accepts the patch and reproduces the fix.
    Spit(repo / name, text);
    Spit(repo / "p.diff", diff);
    int rc = std::system(("cd '" + repo.string() + "' && git apply --check p.diff && git apply p.diff").c_str());
    ASSERT_EQ(rc, 0) << name << "\n" << diff;
    EXPECT_EQ(Slurp(repo / name), r->text) << name;
  }
  fs::remove_all(repo);
}

TEST(FixCorpus, LintCorpusRoundTrips) {
  std::vector<fs::path> files = Glob(Source("tests/data/lint"), "Dockerfile", true);
  ASSERT_GE(files.size(), 8u);
  int changed = 0;
  for (const fs::path& f : files) {
    std::string text = Slurp(f);
    for (int v = 0; v < 4; ++v) {
      std::string t = v == 0 ? text : BenchVariant(text, v);
      Result<FixResult> r = CheckRoundTrip(f.filename().string() + " variant " + std::to_string(v), t);
      if (r.has_value() && r->changed) ++changed;
    }
  }
  EXPECT_GT(changed, 8);  // most of the corpus has something to fix
}

TEST(FixCorpus, BuildKitParserCases) {
  std::vector<fs::path> files = Glob(Source("tests/data/buildkit-parser"), "Dockerfile", true);
  ASSERT_GE(files.size(), 30u);
  int unchanged = 0;
  for (const fs::path& f : files) {
    std::string text = Slurp(f);
    std::string name = f.parent_path().filename().string();
    for (int v = 0; v < 2; ++v) {
      std::string t = v == 0 ? text : BenchVariant(text, 1);
      Result<FixResult> r = CheckRoundTrip(name + (v ? " variant" : ""), t);
      if (!r.has_value()) continue;  // the negative cases: the parser's error, checked above
      if (!r->changed) {
        ++unchanged;  // byte-identical (checked by CheckRoundTrip)
        continue;
      }
      // Every instruction but the RUNs parses exactly as before.
      auto a = lint::ParseDockerfile(t, name), b = lint::ParseDockerfile(r->text, name);
      ASSERT_TRUE(a.has_value() && b.has_value()) << name;
      auto non_run = [](const lint::Dockerfile& df) {
        std::vector<std::string> out;
        for (const lint::Instruction& x : df.instructions) {
          if (x.kind != lint::InstructionKind::kRun) out.push_back(lint::DumpInstruction(x));
        }
        return out;
      };
      EXPECT_EQ(non_run(*b), non_run(*a)) << name;
      EXPECT_EQ(b->directives.escape, a->directives.escape) << name;
    }
  }
  EXPECT_GT(unchanged, 15);
}

// Deterministic mutations of the goldens with tokens that steer into what
// the rewrites touch (continuations, escapes, heredocs, CRLF, operators,
// cleanups): every mutant that parses must round-trip. Explore further with
// WHITTLE_FIX_FUZZ_SEED=N WHITTLE_FIX_FUZZ_ITERS=M (the default run is fixed).
TEST(FixFuzz, MutationsRoundTrip) {
  std::vector<std::string> corpus;
  for (const fs::path& f : Glob(Source("tests/data/fix"), ".Dockerfile")) corpus.push_back(Slurp(f));
  ASSERT_FALSE(corpus.empty());
  const char* const kTokens[] = {
      "\n", "\\\n", "`\n", "\r\n", "\n\n", "# note\n", " # shell comment", "RUN apt-get update\n",
      "RUN apt-get install -y x\n", "RUN apk add y\n", "RUN pip install z\n", "RUN yum install -y w\n",
      " && rm -rf /var/lib/apt/lists/*", "RUN rm -rf /var/lib/apt/lists/*\n", "RUN <<EOF\napt-get install -y q\nEOF\n",
      "<<EOF\n", "EOF\n", "sh -c '", "'", "\"", ";", " || ", " & ", " | ", "cd /x && ", "( ", " )", "{ ", "; }",
      "RUN go build ./...\n", "RUN go clean -cache\n", "RUN npm ci\n", "RUN echo a\n", "$X ", "# escape=`\n",
      "--mount=type=cache,target=/x ", "ONBUILD ", "FROM debian:12 AS b\n", "USER app\n", "\t",
      "RUN [\"apt-get\", \"install\", \"x\"]\n", "RUN sh -c 'apk add x'\n", "<<-EOF\n", "\tEOF\n",
      "RUN <<EOF\nset -e\nyum install -y a\nEOF\n", "RUN set -u\n", "X=1 ", "RUN --network=none ",
      "COPY . /app\n", "WORKDIR /app\n", "ENV HOME=/h\n", "RUN cargo build\nRUN rm -rf ~/.cargo/registry\n"};
  uint64_t state = std::getenv("WHITTLE_FIX_FUZZ_SEED") ? std::stoull(std::getenv("WHITTLE_FIX_FUZZ_SEED")) : 0x9E3779B97F4A7C15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  auto below = [&](size_t n) { return n == 0 ? 0 : static_cast<size_t>(next() % n); };
  int parsed = 0, changed = 0, refused = 0;
  for (int iter = 0; iter < (std::getenv("WHITTLE_FIX_FUZZ_ITERS") ? std::atoi(std::getenv("WHITTLE_FIX_FUZZ_ITERS")) : 1500); ++iter) {
    std::string s = corpus[below(corpus.size())];
    int edits = 1 + static_cast<int>(below(6));
    for (int e = 0; e < edits; ++e) {
      size_t pos = below(s.size() + 1);
      switch (below(4)) {
        case 0:
          if (!s.empty()) s.erase(below(s.size()), 1 + below(12));
          break;
        case 1: {  // a token at a line start
          size_t ls = s.rfind('\n', pos == 0 ? 0 : pos - 1);
          s.insert(ls == std::string::npos ? 0 : ls + 1, kTokens[below(std::size(kTokens))]);
          break;
        }
        default:
          s.insert(pos, kTokens[below(std::size(kTokens))]);
          break;
      }
    }
    Result<FixResult> r = CheckRoundTrip("mutant " + std::to_string(iter), s);
    if (r.has_value()) ++parsed;
    if (r.has_value() && r->changed) ++changed;
    if (r.has_value()) refused += static_cast<int>(r->refusals.size());
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "input:\n" << s;
      return;
    }
  }
  EXPECT_GT(parsed, 1000);
  EXPECT_GT(changed, 700);  // the mutants do reach the rewrites
  EXPECT_GT(refused, 300);
  std::printf("mutants: %d parsed, %d changed, %d refusals\n", parsed, changed, refused);
}

}  // namespace
}  // namespace whittle::fix
