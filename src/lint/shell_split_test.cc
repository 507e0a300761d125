#include "lint/shell_split.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace whittle::lint {
namespace {

// Renders a split as "argv0 argv1 [op] | ..." so a table row states the
// whole expected result. Env assignments print as "env:A=b", nested
// commands get a ">" per level, grouped ones a "g:".
std::string Render(const ShellScript& s) {
  std::string out;
  for (const ShellCommand& c : s.commands) {
    if (!out.empty()) out += " | ";
    out += std::string(static_cast<size_t>(c.nested), '>');
    if (c.in_group) out += "g:";
    bool first = true;
    for (const std::string& e : c.env) {
      out += (first ? "" : " ") + ("env:" + e);
      first = false;
    }
    for (const std::string& a : c.argv) {
      out += (first ? "" : " ") + a;
      first = false;
    }
    out += std::string(" [") + ShellOpName(c.op) + "]";
  }
  return out;
}

TEST(SplitShell, Table) {
  struct Case {
    const char* script;
    const char* want;
    bool uncertain;
  };
  const Case kCases[] = {
      {"apt-get update && apt-get install -y curl",
       "apt-get update [&&] | apt-get install -y curl [end]", false},
      {"a || b; c | d & e", "a [||] | b [;] | c [|] | d [&] | e [end]", false},
      {"a;\n\nb\n", "a [;] | b [end]", false},
      {"a &&\n  b", "a [&&] | b [end]", false},
      {"echo 'x && y' \"z;w\" a\\ b", "echo x && y z;w a b [end]", false},
      {"echo \"a\\\"b\\$c\\n\"", "echo a\"b$c\\n [end]", false},
      {"printf $'a\\tb'", "printf a\tb [end]", false},
      {"DEBIAN_FRONTEND=noninteractive apt-get install x",
       "env:DEBIAN_FRONTEND=noninteractive apt-get install x [end]", false},
      {"A=1 B=\"2 3\"", "env:A=1 env:B=2 3 [end]", false},
      {"cmd a=b", "cmd a=b [end]", false},
      {"make > /dev/null 2>&1 && rm -rf /tmp/x", "make [&&] | rm -rf /tmp/x [end]", false},
      {"cat < in >> out", "cat [end]", false},
      {"set -eux; apt-get update", "set -eux [;] | apt-get update [end]", false},
      {"apt-get update \\\n && apt-get clean", "apt-get update [&&] | apt-get clean [end]", false},
      {"(cd /x && make) && rm -rf /x", "g:cd /x [&&] | g:make [&&] | rm -rf /x [end]", false},
      {"{ a; b; } || c", "g:a [;] | g:b [||] | c [end]", false},
      {"sh -c 'apt-get update && apt-get install -y x'",
       "sh -c apt-get update && apt-get install -y x [end] | >apt-get update [&&] | >apt-get install -y x [end]",
       false},
      {"/bin/bash -ec \"a; b\" && c", "/bin/bash -ec a; b [&&] | >a [;] | >b [end] | c [end]", false},
      {"echo $(date) `id`", "echo $(date) `id` [end]", false},
      {"cat <<EOF > /f", "cat [end]", false},
      {"# only a comment\na # trailing\n", "a [end]", false},
      // Compound commands: conditions and bodies are listed, in order.
      {"if [ -f x ]; then rm x; fi", "g:[ -f x ] [;] | g:rm x [end]", false},
      {"if a; then b; elif c; then d; else e; fi && f",
       "g:a [;] | g:b [;] | g:c [;] | g:d [;] | g:e [&&] | f [end]", false},
      {"if ! dpkg -s x >/dev/null; then\n  apt-get install -y x\nfi\nrm -rf /l",
       "g:dpkg -s x [;] | g:apt-get install -y x [newline] | rm -rf /l [end]", false},
      {"for p in a b; do pip install $p; done", "g:pip install $p [end]", false},
      {"for p in a b\ndo\n  make $p\ndone; rm -rf /b", "g:make $p [;] | rm -rf /b [end]", false},
      {"while read f; do rm \"$f\"; done < list", "g:read f [;] | g:rm $f [end]", false},
      {"case $x in a) b;; esac", "g:b [end]", false},
      {"case \"$arch\" in\n  amd64|x86_64) url=a ;;\n  (arm64) url=b; c ;;\n  *) echo no; exit 1 ;;\nesac; d",
       "g:env:url=a [;] | g:env:url=b [;] | g:c [;] | g:echo no [;] | g:exit 1 [;] | d [end]", false},
      {"case $x in a) b ;; *) c\nesac", "g:b [;] | g:c [end]", false},
      {"[[ -n $a && $b < 3 ]] || exit 1", "[[ -n $a && $b < 3 ]] [||] | exit 1 [end]", false},
      {"if [ a ]; then for x in y; do case $x in y) z;; esac; done; fi",
       "g:[ a ] [;] | g:z [end]", false},
      // Degrade to "can't tell".
      {"if a; then b", nullptr, true},
      {"for ((i=0; i<3; i++)); do a; done", nullptr, true},
      {"fi", nullptr, true},
      {"a ;; b", nullptr, true},
      {"case x y) z;; esac", nullptr, true},
      {"[[ -n $a", nullptr, true},
      {"f() { a; }; f", nullptr, true},
      {"function f { a; }", nullptr, true},
      {"$(which apt-get) install x", nullptr, true},
      {"$CMD install x", nullptr, true},
      {"cat <<< \"x\"", nullptr, true},
      {"cat <<EOF\nbody\nEOF\n", nullptr, true},
      {"echo 'unterminated", nullptr, true},
      {"a && && b", nullptr, true},
      {"(a", nullptr, true},
      {"((i++))", nullptr, true},
      {"sh -c 'if a; then b; fi'", "sh -c if a; then b; fi [end] | >g:a [;] | >g:b [end]", false},
      {"sh -c 'if a; then b'", nullptr, true},
  };
  for (const Case& c : kCases) {
    ShellScript s = SplitShell(c.script);
    EXPECT_EQ(s.uncertain, c.uncertain) << c.script << " reason: " << s.reason;
    if (c.want != nullptr) {
      EXPECT_EQ(Render(s), c.want) << c.script;
    }
    if (c.uncertain) {
      EXPECT_FALSE(s.reason.empty()) << c.script;
    }
  }
}

TEST(SplitShell, Ranges) {
  std::string script = "apt-get update  &&  sh -c 'rm -rf /var/lib/apt/lists/*'";
  ShellScript s = SplitShell(script);
  ASSERT_EQ(s.commands.size(), 3u);
  auto text = [&](const ShellCommand& c) { return script.substr(c.begin, c.end - c.begin); };
  EXPECT_EQ(text(s.commands[0]), "apt-get update");
  EXPECT_EQ(text(s.commands[1]), "sh -c 'rm -rf /var/lib/apt/lists/*'");
  EXPECT_EQ(text(s.commands[2]), "rm -rf /var/lib/apt/lists/*");
  EXPECT_EQ(s.commands[2].nested, 1);
  EXPECT_EQ(s.commands[2].name(), "rm");
}

TEST(SplitShell, Errexit) {
  EXPECT_TRUE(SplitShell("set -e\nmake").errexit);
  EXPECT_TRUE(SplitShell("set -o errexit; make").errexit);
  EXPECT_TRUE(SplitShell("set -euxo pipefail; make").errexit);
  EXPECT_FALSE(SplitShell("set -x; make").errexit);
  EXPECT_FALSE(SplitShell("echo set -e").errexit);
  EXPECT_TRUE(SplitShell("a || b").has_or);
  EXPECT_FALSE(SplitShell("a && b").has_or);
}

TEST(SplitShell, EmptyAndBlank) {
  EXPECT_TRUE(SplitShell("").commands.empty());
  EXPECT_FALSE(SplitShell("").uncertain);
  EXPECT_TRUE(SplitShell("  \n\t\n").commands.empty());
}

}  // namespace
}  // namespace whittle::lint

namespace whittle::lint {
namespace {

// argv_ranges give each word's bytes as written, quotes included; the fixer
// inserts options right after them.
TEST(SplitShell, WordRanges) {
  std::string script = "DEBIAN_FRONTEND=x  apt-get  install -y 'a b' \"c\"d && sh -c 'apk add curl'";
  ShellScript s = SplitShell(script);
  ASSERT_FALSE(s.uncertain) << s.reason;
  ASSERT_EQ(s.commands.size(), 3u);
  auto words = [&](const ShellCommand& c) {
    std::vector<std::string> out;
    EXPECT_EQ(c.argv.size(), c.argv_ranges.size());
    for (const WordRange& r : c.argv_ranges) out.push_back(script.substr(r.begin, r.end - r.begin));
    return out;
  };
  EXPECT_EQ(words(s.commands[0]), (std::vector<std::string>{"apt-get", "install", "-y", "'a b'", "\"c\"d"}));
  EXPECT_EQ(words(s.commands[1]), (std::vector<std::string>{"sh", "-c", "'apk add curl'"}));
  // The sh -c script is a simply quoted word: its words map into the text.
  EXPECT_TRUE(s.commands[2].ranges_exact);
  EXPECT_EQ(words(s.commands[2]), (std::vector<std::string>{"apk", "add", "curl"}));
}

TEST(SplitShell, WordRangesInexactForEscapedShC) {
  std::string script = "sh -c \"apk add \\$PKG\"";
  ShellScript s = SplitShell(script);
  ASSERT_EQ(s.commands.size(), 2u);
  EXPECT_TRUE(s.commands[0].ranges_exact);
  EXPECT_FALSE(s.commands[1].ranges_exact);
  EXPECT_EQ(s.commands[1].argv_ranges[0].begin, s.commands[0].begin);
  EXPECT_EQ(s.commands[1].argv_ranges[0].end, s.commands[0].end);
}

}  // namespace
}  // namespace whittle::lint
