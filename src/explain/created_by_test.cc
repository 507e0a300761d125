#include "explain/created_by.h"

#include <gtest/gtest.h>

#include "explain/text_util.h"

namespace whittle::explain {
namespace {

using lint::InstructionKind;

struct Case {
  const char* created_by;
  const char* comment;
  InstructionKind kind;
  const char* args;
  Producer producer;
};

// Every row is a created_by string copied from a real image (see
// tests/data/explain/README.md) unless marked otherwise.
const Case kCases[] = {
    // classic builder (Docker 20.10, DOCKER_BUILDKIT=0)
    {"/bin/sh -c #(nop)  ENV APP_HOME=/srv/app", "", InstructionKind::kEnv, "APP_HOME=/srv/app", Producer::kClassic},
    {"/bin/sh -c #(nop) COPY dir:5cc0db0971c5ea83258476437653435910d0bc6e9fe0d29f8afe3eee53ac1ffd in /srv/app ", "",
     InstructionKind::kCopy, "dir:5cc0db0971c5ea83258476437653435910d0bc6e9fe0d29f8afe3eee53ac1ffd in /srv/app",
     Producer::kClassic},
    {"/bin/sh -c cp /somefile.txt /root/example/somefile1.txt", "", InstructionKind::kRun,
     "cp /somefile.txt /root/example/somefile1.txt", Producer::kClassic},
    {"|2 FLAVOR=fast VERSION=1.2.3 /bin/sh -c echo \"version $VERSION $FLAVOR\" > version.txt", "",
     InstructionKind::kRun, "echo \"version $VERSION $FLAVOR\" > version.txt", Producer::kClassic},
    {"/bin/sh -e -c #(nop)  SHELL [/bin/sh -e -c]", "", InstructionKind::kShell, "[/bin/sh -e -c]", Producer::kClassic},
    {"/bin/busybox --install -s /bin", "", InstructionKind::kUnknown, "/bin/busybox --install -s /bin",
     Producer::kUnknown},
    {"/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD\" \"/bin/true\"] \"5s\" \"0s\" \"0s\" '\\x00'}", "",
     InstructionKind::kHealthcheck, "&{[\"CMD\" \"/bin/true\"] \"5s\" \"0s\" \"0s\" '\\x00'}", Producer::kClassic},
    // buildah 1.28 (--format docker)
    {"/bin/sh -c [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]", "FROM 3169b3e5ab8a", InstructionKind::kRun,
     "/bin/busybox --install -s /bin", Producer::kBuildah},
    {"/bin/sh -c #(nop) WORKDIR $APP_HOME", "FROM ea5127b136f1", InstructionKind::kWorkdir, "$APP_HOME",
     Producer::kBuildah},
    {"/bin/sh -c #(nop) LABEL org.opencontainers.image.title=\"driftwood\" corpus.variant=\"naive\"",
     "FROM localhost/corpus/base-full:bookworm", InstructionKind::kLabel,
     "org.opencontainers.image.title=\"driftwood\" corpus.variant=\"naive\"", Producer::kBuildah},
    // BuildKit (Docker 20.10's built-in frontend)
    {"RUN /bin/sh -c apt-get update # buildkit", "buildkit.dockerfile.v0", InstructionKind::kRun, "apt-get update",
     Producer::kBuildKit},
    {"RUN |2 VERSION=1.2.3 FLAVOR=fast /bin/sh -e -c printf '%s\\n' a    b         c > letters.txt # buildkit",
     "buildkit.dockerfile.v0", InstructionKind::kRun, "printf '%s\\n' a b c > letters.txt", Producer::kBuildKit},
    {"COPY /install/usr/local /usr/local # buildkit", "buildkit.dockerfile.v0", InstructionKind::kCopy,
     "/install/usr/local /usr/local", Producer::kBuildKit},
    {"EXPOSE map[8080/tcp:{} 9090/udp:{}]", "buildkit.dockerfile.v0", InstructionKind::kExpose,
     "map[8080/tcp:{} 9090/udp:{}]", Producer::kBuildKit},
    {"WORKDIR /app", "buildkit.dockerfile.v0", InstructionKind::kWorkdir, "/app", Producer::kBuildKit},
    {"ARG FLAVOR", "buildkit.dockerfile.v0", InstructionKind::kArg, "FLAVOR", Producer::kBuildKit},
    // kaniko (dive's test image)
    {"RUN mkdir -p /root/example/really/nested", "", InstructionKind::kRun, "mkdir -p /root/example/really/nested",
     Producer::kKaniko},
    {"ADD README.md /somefile.txt", "", InstructionKind::kAdd, "README.md /somefile.txt", Producer::kKaniko},
    // not an instruction (made up: docker import)
    {"Imported from -", "", InstructionKind::kUnknown, "Imported from -", Producer::kUnknown},
    {"", "", InstructionKind::kUnknown, "", Producer::kUnknown},
};

TEST(ParseCreatedByTest, RealForms) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.created_by);
    HistoryEntry e;
    e.created_by = c.created_by;
    e.comment = c.comment;
    CreatedBy got = ParseCreatedBy(e);
    EXPECT_EQ(got.kind, c.kind);
    EXPECT_EQ(got.args, c.args);
    EXPECT_EQ(got.producer, c.producer);
  }
}

TEST(ParseCreatedByTest, RunParts) {
  HistoryEntry e;
  e.created_by = "|2 FLAVOR=fast VERSION=1.2.3 /bin/sh -e -c printf x";
  CreatedBy c = ParseCreatedBy(e);
  EXPECT_EQ(c.shell, "/bin/sh -e -c");
  EXPECT_EQ(c.build_args, (std::vector<std::string>{"FLAVOR=fast", "VERSION=1.2.3"}));
  EXPECT_EQ(c.raw, "|2 FLAVOR=fast VERSION=1.2.3 /bin/sh -e -c printf x");
  EXPECT_FALSE(c.exec_json);

  // A build-arg value with spaces: the prefix ends where the shell starts.
  e.created_by = "RUN |2 A=one two B=3 /bin/sh -c make all # buildkit";
  c = ParseCreatedBy(e);
  EXPECT_EQ(c.build_args, (std::vector<std::string>{"A=one two", "B=3"}));
  EXPECT_EQ(c.shell, "/bin/sh -c");
  EXPECT_EQ(c.args, "make all");

  // Exec form with build args (BuildKit): no shell after the prefix.
  e.created_by = "RUN |1 A=1 /bin/busybox true # buildkit";
  c = ParseCreatedBy(e);
  EXPECT_EQ(c.build_args, (std::vector<std::string>{"A=1"}));
  EXPECT_EQ(c.shell, "");
  EXPECT_EQ(c.args, "/bin/busybox true");

  // buildah's exec form.
  e.created_by = "/bin/sh -c [\"/bin/sh\", \"-c\", \"ls /srv > /srv/listing\"]";
  c = ParseCreatedBy(e);
  EXPECT_TRUE(c.exec_json);
  EXPECT_EQ(c.args, "/bin/sh -c ls /srv > /srv/listing");

  // A heredoc body as BuildKit runs it: newlines collapse.
  e.created_by = "RUN /bin/sh -c echo a\necho b\n # buildkit";
  c = ParseCreatedBy(e);
  EXPECT_EQ(c.args, "echo a echo b");
}

TEST(ParseCreatedByTest, CopyParts) {
  HistoryEntry e;
  // The classic builder glues --chown to the hash.
  e.created_by =
      "/bin/sh -c #(nop) COPY --chown=1000:1000dir:a2e2c50ae1731f3d6b715eb27bae47f6af011595acae84bb7c79d33e19fb93b0 "
      "in /srv/app/static/ ";
  CreatedBy c = ParseCreatedBy(e);
  EXPECT_TRUE(c.hashed_sources);
  EXPECT_EQ(c.copy_dest, "/srv/app/static/");
  EXPECT_TRUE(c.copy_sources.empty());

  // ADD of a URL: a bare hash of the download.
  e.created_by =
      "/bin/sh -e -c #(nop) ADD 912d227af754e81bb00be316696b43b2e76b93bcb315a7e0ed390148e811e27b in /srv/remote.txt ";
  c = ParseCreatedBy(e);
  EXPECT_EQ(c.kind, InstructionKind::kAdd);
  EXPECT_TRUE(c.hashed_sources);
  EXPECT_EQ(c.copy_dest, "/srv/remote.txt");

  e.created_by = "COPY app/index.html app/site.css static2/ # buildkit";
  c = ParseCreatedBy(e);
  EXPECT_FALSE(c.hashed_sources);
  EXPECT_EQ(c.copy_sources, (std::vector<std::string>{"app/index.html", "app/site.css"}));
  EXPECT_EQ(c.copy_dest, "static2/");

  // Newer BuildKit records --chown/--chmod before the sources.
  e.created_by = "COPY --chown=1000:1000 --chmod=644 a b /dst/ # buildkit";
  c = ParseCreatedBy(e);
  EXPECT_EQ(c.copy_sources, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.copy_dest, "/dst/");

  // A path that merely contains " in " is not a hash form.
  e.created_by = "COPY log in out /x # buildkit";
  c = ParseCreatedBy(e);
  EXPECT_FALSE(c.hashed_sources);
  EXPECT_EQ(c.copy_dest, "/x");
}

TEST(ParseBracketListTest, Forms) {
  std::vector<std::string> v;
  ASSERT_TRUE(ParseBracketList("[\"/bin/sh\", \"-c\"]", &v));  // JSON
  EXPECT_EQ(v, (std::vector<std::string>{"/bin/sh", "-c"}));
  ASSERT_TRUE(ParseBracketList("[\"/bin/sh\" \"-c\" \"echo \\\"ready\\\"\"]", &v));  // Go %q
  EXPECT_EQ(v, (std::vector<std::string>{"/bin/sh", "-c", "echo \"ready\""}));
  ASSERT_TRUE(ParseBracketList("[/bin/sh -e -c]", &v));  // Go %v
  EXPECT_EQ(v, (std::vector<std::string>{"/bin/sh", "-e", "-c"}));
  ASSERT_TRUE(ParseBracketList("[\"\\u00e9\\x41\\t\"]", &v));
  EXPECT_EQ(v, (std::vector<std::string>{"\xC3\xA9"
                                         "A\t"}));
  ASSERT_TRUE(ParseBracketList("[]", &v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(ParseBracketList("[\"a\"\"b\"]", &v));  // no separator
  EXPECT_FALSE(ParseBracketList("[\"a]", &v));         // unterminated
  EXPECT_FALSE(ParseBracketList("[\"a\\q\"]", &v));    // unknown escape
  EXPECT_FALSE(ParseBracketList("a b", &v));
  EXPECT_FALSE(ParseBracketList("[\"a\\u12\"]", &v));  // short \u
}

TEST(ShellPrefixTest, Shells) {
  EXPECT_EQ(ShellPrefixLength("/bin/sh -c make"), 11u);
  EXPECT_EQ(ShellPrefixLength("/bin/bash -o pipefail -c x"), 25u);
  EXPECT_EQ(ShellPrefixLength("/bin/sh -e -c x"), 14u);
  EXPECT_EQ(ShellPrefixLength("sh -euxc x"), 9u);
  EXPECT_EQ(ShellPrefixLength("cmd /S /C dir"), 10u);
  EXPECT_EQ(ShellPrefixLength("powershell -Command Get-Item"), 20u);
  EXPECT_EQ(ShellPrefixLength("/bin/sh -c"), 10u);
  EXPECT_EQ(ShellPrefixLength("/bin/busybox --install"), 0u);
  EXPECT_EQ(ShellPrefixLength("/bin/sh script.sh"), 0u);
  EXPECT_EQ(ShellPrefixLength("/bin/sh -e"), 0u);
  EXPECT_EQ(ShellPrefixLength(""), 0u);
}

TEST(PathTest, CleanAndResolve) {
  EXPECT_EQ(CleanPath("static2/"), "static2");
  EXPECT_EQ(CleanPath("/srv//app/./css/"), "/srv/app/css");
  EXPECT_EQ(CleanPath("/a/../../b"), "/b");
  EXPECT_EQ(CleanPath("/"), "/");
  EXPECT_EQ(CleanPath("./"), ".");
  EXPECT_EQ(ResolvePath("/srv/app", "conf"), "/srv/app/conf");
  EXPECT_EQ(ResolvePath("/srv/app", "/etc/x/"), "/etc/x");
  EXPECT_EQ(ResolvePath("/srv/app", "../x"), "/srv/x");
}

}  // namespace
}  // namespace whittle::explain
