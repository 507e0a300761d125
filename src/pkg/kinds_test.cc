// The kinds table (docs/kinds.md, embedded at build time): real Debian and
// image paths with the kind a maintainer would give them, the compiled
// matcher checked row by row against a naive reference on 2000 real
// `dpkg -L` paths, and the table parser's errors.
#include "pkg/kinds.h"

#include <gtest/gtest.h>
#include <regex.h>

#include <cctype>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "pkg/glob.h"
#include "util/strings.h"

namespace whittle::pkg {
namespace {

TEST(Kinds, EmbeddedTableParsesAndUsesEveryKind) {
  const KindTable& t = KindTable::BuiltIn();
  ASSERT_GT(t.rows().size(), 100u);
  std::set<std::string> used;
  for (const KindRow& r : t.rows()) used.insert(r.kind);
  for (std::string_view k : KindNames()) EXPECT_TRUE(used.count(std::string(k))) << k;
}

TEST(Kinds, RealPaths) {
  struct Case {
    const char* path;
    const char* owner;
    const char* kind;
  };
  const Case kCases[] = {
      // toolchain: by package, then by path
      {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "deb:cpp-12", "toolchain"},
      {"/usr/bin/x86_64-linux-gnu-gcc-12", "deb:gcc-12", "toolchain"},
      {"/usr/lib/x86_64-linux-gnu/libc_nonshared.a", "deb:libc6-dev", "toolchain"},
      {"/usr/lib/x86_64-linux-gnu/libc.so", "deb:libc6-dev", "toolchain"},
      {"/usr/include/stdio.h", "deb:libc6-dev", "toolchain"},
      {"/usr/include/stdio.h", "", "toolchain"},
      {"/usr/lib/x86_64-linux-gnu/libssl.a", "", "toolchain"},
      {"/usr/lib/x86_64-linux-gnu/pkgconfig/openssl.pc", "deb:libssl-dev", "toolchain"},
      {"/usr/bin/ld.gold", "deb:binutils-x86-64-linux-gnu", "toolchain"},
      {"/usr/bin/ld.bfd", "", "toolchain"},
      {"/usr/lib/x86_64-linux-gnu/libisl.so.23.2.0", "deb:libisl23", "toolchain"},
      {"/usr/local/go/bin/go", "", "toolchain"},
      {"/usr/local/go/pkg/tool/linux_amd64/compile", "", "toolchain"},
      {"/usr/local/rustup/toolchains/1.75.0-x86_64-unknown-linux-gnu/bin/rustc", "", "toolchain"},
      {"/usr/local/lib/node_modules/npm/bin/npm-cli.js", "npm:npm", "toolchain"},
      {"/usr/lib/musl/lib/libc.a", "apk:musl-dev", "toolchain"},
      {"/usr/lib64/libstdc++.so", "rpm:libstdc++-devel", "toolchain"},
      // runtime
      {"/usr/lib/x86_64-linux-gnu/libc.so.6", "deb:libc6", "runtime"},
      {"/usr/bin/python3.11", "deb:python3.11-minimal", "runtime"},
      {"/usr/share/zoneinfo/Europe/Paris", "deb:tzdata", "runtime"},
      {"/usr/share/zoneinfo/UTC", "", "runtime"},
      {"/usr/local/bin/node", "", "runtime"},
      {"/usr/lib/python3/dist-packages/foo/testing.py", "deb:python3-foo", "runtime"},
      {"/usr/lib/python3/dist-packages/numpy/testing/_private/utils.py", "deb:python3-numpy", "runtime"},
      {"/usr/lib/locale/C.utf8/LC_CTYPE", "deb:libc-bin", "runtime"},
      {"/etc/passwd", "", "runtime"},
      {"/app/server.js", "", "runtime"},
      {"/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1", "deb:libllvm15", "runtime"},
      {"/usr/lib/x86_64-linux-gnu/libgcc_s.so.1", "deb:libgcc-s1", "runtime"},
      // certificates are not secrets
      {"/etc/ssl/certs/ca-certificates.crt", "", "runtime"},
      {"/etc/ssl/certs/ISRG_Root_X1.pem", "", "runtime"},
      {"/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt", "deb:ca-certificates", "runtime"},
      {"/usr/local/lib/python3.12/site-packages/certifi/cacert.pem", "pip:certifi", "runtime"},
      {"/usr/lib/python3/dist-packages/pip/_vendor/certifi/cacert.pem", "", "runtime"},
      {"/etc/pki/tls/certs/ca-bundle.crt", "rpm:ca-certificates", "runtime"},
      {"/usr/share/doc-base/x.key", "deb:x", "runtime"},  // a package's .key is shipped data
      {"/app/.env.example", "", "runtime"},
      {"/root/.ssh/id_rsa.pub", "", "runtime"},
      // secret-like
      {"/app/.env", "", "secret-like"},
      {"/app/.env.production", "", "secret-like"},
      {"/root/.ssh/id_rsa", "", "secret-like"},
      {"/home/app/.ssh/id_ed25519", "", "secret-like"},
      {"/etc/ssl/private/ssl-cert-snakeoil.key", "", "secret-like"},
      {"/app/certs/server.pem", "", "secret-like"},
      {"/srv/tls.key", "", "secret-like"},
      {"/root/.aws/credentials", "", "secret-like"},
      {"/root/.docker/config.json", "", "secret-like"},
      {"/app/.npmrc", "", "secret-like"},
      {"/tmp/deploy/.env", "", "secret-like"},  // a secret in /tmp is still a secret
      // package caches
      {"/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", "", "package-cache"},
      {"/var/cache/apt/archives/gcc-12_12.2.0-14_amd64.deb", "", "package-cache"},
      {"/var/cache/apt/pkgcache.bin", "", "package-cache"},
      {"/var/cache/apk/APKINDEX.5022a8a2.tar.gz", "", "package-cache"},
      {"/root/.cache/pip/http-v2/a/b/c", "", "package-cache"},
      {"/home/app/.cache/pip/wheels/x.whl", "", "package-cache"},
      {"/root/.npm/_cacache/content-v2/sha512/ab/cd", "", "package-cache"},
      {"/var/cache/dnf/fedora-filenames.solvx", "", "package-cache"},
      {"/go/pkg/mod/github.com/x/y@v1.0.0/testdata/z.pem", "", "package-cache"},
      {"/usr/local/share/.cache/yarn/v6/npm-left-pad-1.3.0/package.json", "", "package-cache"},
      // bytecode
      {"/usr/lib/python3.11/__pycache__/os.cpython-311.pyc", "", "bytecode"},
      {"/usr/local/lib/python3.11/site-packages/numpy/core/tests/__pycache__/t.cpython-311.pyc", "pip:numpy",
       "bytecode"},
      {"/app/legacy.pyc", "", "bytecode"},
      // docs
      {"/usr/share/doc/gcc-12/changelog.Debian.gz", "deb:gcc-12", "docs"},  // docs row precedes package rows
      {"/usr/share/man/man1/gcc-12.1.gz", "deb:gcc-12", "docs"},
      {"/usr/share/info/gcc-12.info.gz", "deb:gcc-12", "docs"},
      {"/usr/share/locale/de/LC_MESSAGES/gcc-12.mo", "deb:cpp-12", "docs"},
      {"/usr/share/i18n/locales/de_DE", "deb:locales", "docs"},
      {"/app/node_modules/left-pad/README.md", "npm:left-pad", "docs"},
      {"/usr/share/doc/libc6/copyright", "deb:libc6", "docs"},
      // tests and examples inside installed packages
      {"/usr/local/lib/python3.11/site-packages/numpy/core/tests/test_numeric.py", "pip:numpy", "tests-examples"},
      {"/usr/lib/python3/dist-packages/numpy/testing/tests/test_utils.py", "deb:python3-numpy", "tests-examples"},
      {"/usr/local/lib/python3.12/test/test_os.py", "", "tests-examples"},
      {"/usr/local/lib/python3.12/test/certdata/keycert.pem", "", "tests-examples"},
      {"/usr/lib/python3.11/unittest/test/test_case.py", "deb:libpython3.11-testsuite", "tests-examples"},
      {"/opt/venv/lib/python3.11/site-packages/pandas/tests/frame/test_api.py", "pip:pandas", "tests-examples"},
      {"/app/node_modules/qs/test/parse.js", "npm:qs", "tests-examples"},
      {"/app/node_modules/@babel/core/examples/a.js", "npm:@babel/core", "tests-examples"},
      {"/usr/share/doc/git/examples/hooks/pre-commit", "deb:git", "tests-examples"},
      {"/usr/local/go/src/crypto/tls/testdata/example-key.pem", "", "tests-examples"},
      {"/usr/local/bundle/gems/rack-3.0.8/test/spec_request.rb", "", "tests-examples"},
      // not tests: the application's own tests dir, a module named testing
      {"/app/tests/test_app.py", "", "runtime"},
      {"/app/node_modules/qs/lib/test-helpers.js", "npm:qs", "runtime"},
      {"/app/node_modules/qs/lib/test/x.js", "npm:qs", "runtime"},  // deeper test dirs are not matched
      // vcs
      {"/app/.git/objects/pack/pack-1.pack", "", "vcs"},
      {"/app/.git", "", "vcs"},
      {"/app/vendor/lib/.git/HEAD", "", "vcs"},
      {"/app/.gitignore", "", "runtime"},
      // logs and temp
      {"/var/log/dpkg.log", "", "logs-temp"},
      {"/var/log/apt/term.log", "", "logs-temp"},
      {"/tmp/build/output.o", "", "logs-temp"},
      {"/var/tmp/x", "", "logs-temp"},
      {"/app/logs/server.log", "", "logs-temp"},
      {"/tmpfoo/x", "", "runtime"},  // a prefix is a directory, not a string prefix
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ClassifyKind(c.path, c.owner), c.kind) << c.path << " owned by '" << c.owner << "'";
  }
  EXPECT_EQ(ClassifyKind("/usr/include/x.h", "[unowned]"), "toolchain");
}

// The naive reference: try every row in order; path globs translated to
// POSIX extended regular expressions (fine in a test: the point is an
// independent implementation).
struct CompiledRegex {
  regex_t re;
  ~CompiledRegex() { regfree(&re); }
};

bool NaiveGlob(const std::string& pattern, std::string_view path) {
  static std::map<std::string, std::unique_ptr<CompiledRegex>> cache;
  auto it = cache.find(pattern);
  if (it != cache.end()) return regexec(&it->second->re, std::string(path).c_str(), 0, nullptr, 0) == 0;
  std::string re = "^";
  std::vector<std::string_view> comps;
  SplitPathComponents(pattern, &comps);
  for (std::string_view c : comps) {
    if (c == "**") {
      re += "(/[^/]+)*";
      continue;
    }
    re += "/";
    for (char ch : c) {
      if (ch == '*') {
        re += "[^/]*";
      } else if (ch == '?') {
        re += "[^/]";
      } else if (ch == '^') {
        re += "\\^";
      } else if (std::string_view(".[]()+{}|$\\").find(ch) != std::string_view::npos) {
        re += '[';  // a bracket expression makes any of these literal
        re += ch;
        re += ']';
      } else {
        re += ch;
      }
    }
  }
  re += "$";
  auto compiled = std::make_unique<CompiledRegex>();
  EXPECT_EQ(regcomp(&compiled->re, re.c_str(), REG_EXTENDED | REG_NOSUB), 0) << re;
  it = cache.emplace(pattern, std::move(compiled)).first;
  return regexec(&it->second->re, std::string(path).c_str(), 0, nullptr, 0) == 0;
}

std::string_view NaiveClassify(const KindTable& t, std::string_view path, std::string_view owner) {
  std::vector<std::string_view> comps;
  SplitPathComponents(path, &comps);
  std::string_view base = comps.empty() ? "" : comps.back();
  for (const KindRow& r : t.rows()) {
    if (!r.owner.empty() && (owner.empty() || !MatchWildcard(r.owner, owner))) continue;
    bool m = false;
    switch (r.type) {
      case KindPatternType::kPrefix:
        m = path == r.pattern || (StartsWith(path, r.pattern) && path[r.pattern.size()] == '/');
        break;
      case KindPatternType::kComponent:
        for (std::string_view c : comps) m = m || c == r.pattern;
        break;
      case KindPatternType::kName:
        m = MatchWildcard(r.pattern, base);
        break;
      case KindPatternType::kPath:
        m = NaiveGlob(r.pattern, path);
        break;
      case KindPatternType::kPackage:
        m = !owner.empty() && MatchWildcard(r.pattern, owner);
        break;
    }
    if (m) return r.kind;
  }
  return "runtime";
}

TEST(Kinds, CompiledMatcherAgreesWithNaiveReferenceOnRealPaths) {
  std::ifstream in(std::string(WHITTLE_SOURCE_DIR) + "/tests/data/pkg/debian-paths.tsv");
  std::string line;
  size_t n = 0;
  std::set<std::string> kinds_seen;
  const KindTable& t = KindTable::BuiltIn();
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::string owner = line.substr(0, tab), path = line.substr(tab + 1);
    for (const std::string& o : {owner, std::string()}) {
      std::string_view got = t.Classify(path, o);
      EXPECT_EQ(got, NaiveClassify(t, path, o)) << path << " owner '" << o << "'";
      kinds_seen.insert(std::string(got));
    }
    ++n;
  }
  EXPECT_GE(n, 2000u);
  EXPECT_GE(kinds_seen.size(), 4u);  // toolchain, docs, runtime, tests-examples at least
}

TEST(Kinds, FirstMatchingRowWinsAndOwnerColumn) {
  auto t = KindTable::Parse(
      "intro\n\n| kind | type | pattern | owner | note |\n| --- | --- | --- | --- | --- |\n"
      "| docs | prefix | `/usr/share/doc` | | |\n"
      "| toolchain | package | `deb:*-dev` | | |\n"
      "| runtime | name | `*.key` | `deb:*` | shipped |\n"
      "| secret-like | name | `*.key` | | |\n"
      "| toolchain | path | `/opt/sdk-*/**` | | |\n"
      "\nafter the table | not | a | row |\n",
      "k.md");
  ASSERT_TRUE(t.has_value()) << t.error().message();
  EXPECT_EQ(t->rows().size(), 5u);
  EXPECT_EQ(t->rows()[2].line, 7u);
  EXPECT_EQ(t->Classify("/usr/share/doc/libc6-dev/copyright", "deb:libc6-dev"), "docs");
  EXPECT_EQ(t->Classify("/usr/include/x.h", "deb:libc6-dev"), "toolchain");
  EXPECT_EQ(t->Classify("/etc/x.key", "deb:x"), "runtime");
  EXPECT_EQ(t->Classify("/etc/x.key", "pip:x"), "secret-like");
  EXPECT_EQ(t->Classify("/etc/x.key", ""), "secret-like");
  EXPECT_EQ(t->Classify("/opt/sdk-1/bin/cc", ""), "toolchain");
  EXPECT_EQ(t->Classify("/opt/sdk-1", ""), "toolchain");
  EXPECT_EQ(t->Classify("/opt/sdk", ""), "runtime");
  EXPECT_EQ(t->MatchRow("/nothing", ""), -1);
}

TEST(Kinds, ParseErrors) {
  const std::string head = "| kind | type | pattern | owner | note |\n|---|---|---|---|---|\n";
  struct Case {
    std::string md;
    const char* want;
  };
  const Case kCases[] = {
      {"no table\n", "k.md: no '| kind | type | pattern | owner | note |' table"},
      {head, "k.md: the kinds table has no rows"},
      {head + "| docs | prefix | /a | |\n", "k.md:3: expected 5 cells, got 4"},
      {head + "| junk | prefix | /a | | |\n", "k.md:3: unknown kind 'junk'"},
      {head + "| docs | regex | /a | | |\n", "k.md:3: unknown pattern type 'regex'"},
      {head + "| docs | prefix | | | |\n", "k.md:3: empty pattern"},
      {head + "| docs | prefix | usr/share | | |\n",
       "k.md:3: a prefix is an absolute, normalised path without wildcards: 'usr/share'"},
      {head + "| docs | prefix | /usr/share/ | | |\n",
       "k.md:3: a prefix is an absolute, normalised path without wildcards: '/usr/share/'"},
      {head + "| docs | prefix | /usr/* | | |\n",
       "k.md:3: a prefix is an absolute, normalised path without wildcards: '/usr/*'"},
      {head + "| vcs | component | a/b | | |\n", "k.md:3: a component is one literal name: 'a/b'"},
      {head + "| docs | name | a/*.md | | |\n", "k.md:3: a name pattern holds no '/': 'a/*.md'"},
      {head + "| docs | path | usr/** | | |\n",
       "k.md:3: a path glob starts with '/' or '**/' and uses '**' only as a whole component: 'usr/**'"},
      {head + "| docs | path | /a**/b | | |\n",
       "k.md:3: a path glob starts with '/' or '**/' and uses '**' only as a whole component: '/a**/b'"},
      {head + "| docs | package | gcc | | |\n", "k.md:3: a package pattern is a label glob like 'deb:*-dev'"},
  };
  for (const Case& c : kCases) {
    auto t = KindTable::Parse(c.md, "k.md");
    ASSERT_FALSE(t.has_value()) << c.md;
    EXPECT_EQ(t.error().message(), c.want);
  }
}

TEST(Glob, Wildcards) {
  EXPECT_TRUE(MatchWildcard("*.pem", "a.pem"));
  EXPECT_TRUE(MatchWildcard("*.pem", ".pem"));
  EXPECT_FALSE(MatchWildcard("*.pem", "a.pem.bak"));
  EXPECT_TRUE(MatchWildcard("deb:*-dev", "deb:libc6-dev"));
  EXPECT_FALSE(MatchWildcard("deb:*-dev", "deb:libc6-dev-bin"));
  EXPECT_TRUE(MatchWildcard("go:*", "go:example.com/app"));
  EXPECT_TRUE(MatchWildcard("a?c", "abc"));
  EXPECT_TRUE(MatchWildcard("*a*b*c*", "xxaxxbxxcxx"));
  std::vector<std::string_view> comps;
  PathGlob g;
  ASSERT_TRUE(PathGlob::Compile("**/node_modules/*/test/**", &g));
  for (auto [path, want] : std::initializer_list<std::pair<const char*, bool>>{
           {"/a/node_modules/x/test/y.js", true},
           {"/node_modules/x/test", true},
           {"/a/node_modules/x/y/test/z.js", false},
           {"/a/node_modules/test/z.js", false},
       }) {
    SplitPathComponents(path, &comps);
    EXPECT_EQ(g.Match(path, comps), want) << path;
  }
}

}  // namespace
}  // namespace whittle::pkg
