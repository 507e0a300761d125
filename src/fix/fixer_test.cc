// Table tests for every rewrite: the exact output text and the exact notes
// (applied, refused, suggested), each row also checked for the round-trip
// properties (fix_test_util.h).
#include "fix/fixer.h"

#include <gtest/gtest.h>

#include <fstream>

#include "fix/fix_test_util.h"
#include "fix/rewrite.h"

namespace whittle::fix {
namespace {

using testing::CheckRoundTrip;
using testing::Notes;

struct Case {
  const char* name;
  const char* input;
  const char* want;   // nullptr: unchanged
  const char* notes;  // exact Notes() text
  std::set<std::string> only = {};
};

void RunTable(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    FixOptions opt;
    opt.only = c.only;
    Result<FixResult> r = CheckRoundTrip(c.name, c.input, opt);
    ASSERT_TRUE(r.has_value()) << c.name;
    EXPECT_EQ(r->text, c.want != nullptr ? c.want : c.input) << c.name;
    EXPECT_EQ(Notes(*r), c.notes) << c.name;
  }
}

TEST(Fixer, FlagRewrites) {
  RunTable({
      {"DL3015", "FROM debian:12\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
       "FROM debian:12\nRUN apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n",
       "2: DL3015 fixed: added --no-install-recommends to apt-get install\n"},
      {"DL3015 every install of the RUN",
       "FROM debian:12\nRUN apt-get -o Dpkg::Use-Pty=0 install -y a && apt-get install b && rm -rf /var/lib/apt/lists/*\n",
       "FROM debian:12\nRUN apt-get -o Dpkg::Use-Pty=0 install --no-install-recommends -y a && apt-get install "
       "--no-install-recommends b && rm -rf /var/lib/apt/lists/*\n",
       "2: DL3015 fixed: added --no-install-recommends to apt-get install\n"},
      {"DL3015 apt", "FROM debian:12\nRUN apt update && apt install -y curl && rm -rf /var/lib/apt/lists/*\n",
       "FROM debian:12\nRUN apt update && apt install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n",
       "2: DL3015 fixed: added --no-install-recommends to apt install\n"},
      {"DL3019", "FROM alpine:3.20\nRUN apk add curl\n", "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
       "2: DL3019 fixed: added --no-cache to apk add\n"},
      {"DL3042 python -m pip", "FROM python:3.12-slim\nRUN python3 -m pip install 'flask<3'\n",
       "FROM python:3.12-slim\nRUN python3 -m pip install --no-cache-dir 'flask<3'\n",
       "2: DL3042 fixed: added --no-cache-dir to pip install\n"},
      {"keyword case and flags kept", "from alpine:3.20\nrun --network=host apk add curl\n",
       "from alpine:3.20\nrun --network=host apk add --no-cache curl\n", "2: DL3019 fixed: added --no-cache to apk add\n"},
      {"inside sh -c: refused", "FROM alpine:3.20\nRUN sh -c 'apk add curl'\n", nullptr,
       "2: DL3019 not fixed: apk add runs inside `sh -c '...'`: not rewritten\n"},
      {"ONBUILD trigger: refused", "FROM alpine:3.20\nONBUILD RUN apk add curl\n", nullptr,
       "2: DL3019 not fixed: an ONBUILD trigger: not rewritten\n"},
  });
}

TEST(Fixer, CleanupRewrites) {
  RunTable({
      {"DL3009", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
       "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf "
       "/var/lib/apt/lists/*\n",
       "2: DL3009 fixed: appended `rm -rf /var/lib/apt/lists/*`\n"},
      {"DL3009 before a shell comment",
       "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends x # deps\n",
       "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends x && rm -rf "
       "/var/lib/apt/lists/* # deps\n",
       "2: DL3009 fixed: appended `rm -rf /var/lib/apt/lists/*`\n"},
      {"DL3009 continuation lines: a new line in their style",
       "FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y --no-install-recommends curl\n",
       "FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y --no-install-recommends curl \\\n  && rm -rf "
       "/var/lib/apt/lists/*\n",
       "2: DL3009 fixed: appended `rm -rf /var/lib/apt/lists/*`\n"},
      {"DL3009 trailing-operator style",
       "FROM debian:12\nRUN apt-get update && \\\n\tapt-get install -y --no-install-recommends curl\n",
       "FROM debian:12\nRUN apt-get update && \\\n\tapt-get install -y --no-install-recommends curl && \\\n\trm -rf "
       "/var/lib/apt/lists/*\n",
       "2: DL3009 fixed: appended `rm -rf /var/lib/apt/lists/*`\n"},
      {"DL3009 refused: a later RUN needs the lists",
       "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN echo hi\n"
       "RUN apt-get install -y --no-install-recommends git\n",
       nullptr,
       "2: DL3009 not fixed: the RUN at line 4 runs `apt-get install` without `apt-get update`: it needs these "
       "lists\n",
       {"DL3009"}},
      {"DL3009 refused: update only",
       "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends git\n", nullptr,
       "2: DL3009 not fixed: this RUN runs `apt-get update` but installs nothing after it: removing the lists "
       "here would leave a later install without them (merge the RUNs first, DL3059)\n",
       {"DL3009"}},
      {"DL3009 refused: background job",
       "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends x &\n", nullptr,
       "2: DL3009 not fixed: the RUN ends with a background job (&)\n"},
      {"DL3032 yum", "FROM centos:7\nRUN yum install -y httpd\n", "FROM centos:7\nRUN yum install -y httpd && yum clean all\n",
       "2: DL3032 fixed: appended `yum clean all`\n"},
      {"DL3040 microdnf", "FROM ubi9:9.3\nRUN microdnf install -y jq\n",
       "FROM ubi9:9.3\nRUN microdnf install -y jq && microdnf clean all\n",
       "2: DL3040 fixed: appended `microdnf clean all`\n"},
      {"DL3040 dnf5, dnf alias", "FROM fedora:41\nRUN dnf5 in -y jq\n", "FROM fedora:41\nRUN dnf5 in -y jq && dnf5 clean all\n",
       "2: DL3040 fixed: appended `dnf5 clean all`\n"},
      {"DL3032 clean before the install", "FROM centos:7\nRUN yum clean all && yum install -y httpd\n",
       "FROM centos:7\nRUN yum clean all && yum install -y httpd && yum clean all\n",
       "2: DL3032 fixed: appended `yum clean all`\n"},
      {"DL3036 zypper", "FROM opensuse/leap:15\nRUN zypper install -y curl\n",
       "FROM opensuse/leap:15\nRUN zypper install -y curl && zypper clean --all\n",
       "2: DL3036 fixed: appended `zypper clean --all`\n"},
      {"DL3060 yarn", "FROM node:20-slim\nRUN yarn install --frozen-lockfile\n",
       "FROM node:20-slim\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
       "2: DL3060 fixed: appended `yarn cache clean`\n"},
      {"WS001 npm", "FROM node:20-slim\nRUN npm ci --omit=dev\n",
       "FROM node:20-slim\nRUN npm ci --omit=dev && npm cache clean --force\n",
       "2: WS001 fixed: appended `npm cache clean --force`\n"},
      {"wrapper: refused", "FROM centos:7\nRUN sudo yum install -y httpd\n", nullptr,
       "2: DL3032 not fixed: `yum` runs through a wrapper (sudo, env...): the cleanup would not\n"},
  });
}

TEST(Fixer, Merges) {
  RunTable({
      {"DL3059", "FROM debian:12\nRUN echo a\nRUN echo b\n", "FROM debian:12\nRUN echo a \\\n    && echo b\n",
       "3: DL3059 fixed: merged the RUN at line 3 into the RUN at line 2\n"},
      {"DL3059 chain, comments kept, blank lines dropped",
       "FROM debian:12\nRUN echo a\n\n# b next\nRUN echo b\nrun echo c\n",
       "FROM debian:12\nRUN echo a \\\n# b next\n    && echo b \\\n    && echo c\n",
       "5: DL3059 fixed: merged the RUN at line 5 into the RUN at line 2\n"
       "6: DL3059 fixed: merged the RUN at line 6 into the RUN at line 5\n"},
      {"DL3059 refused: shell state", "FROM debian:12\nRUN cd /src\nRUN make\n", nullptr,
       "3: DL3059 not fixed: the RUN at line 2 changes shell state (cd): the next RUN would inherit it\n"},
      // DL3059 fires only when both RUNs are one simple command (docs/rules.md).
      {"DL3059 quiet: two commands in the second", "FROM debian:12\nRUN echo a\nRUN false; echo b\n", nullptr, ""},
      {"DL3059 refused: heredoc", "FROM debian:12\nRUN <<EOF\necho a\nEOF\nRUN echo b\n", nullptr,
       "5: DL3059 not fixed: the RUN at line 2 has a heredoc: heredoc RUNs are never merged\n"},
      {"DL3059 refused: inline pragma", "FROM debian:12\nRUN echo a\n# hadolint ignore=DL3015\nRUN echo b\n", nullptr,
       "4: DL3059 not fixed: the RUN at line 4 has an inline ignore pragma (line 3)\n"},
      {"set -ex is fine", "FROM debian:12\nRUN set -ex\nRUN echo b\n", "FROM debian:12\nRUN set -ex \\\n    && echo b\n",
       "3: DL3059 fixed: merged the RUN at line 3 into the RUN at line 2\n"},
      {"set -u is not", "FROM debian:12\nRUN set -u\nRUN echo $X\n", nullptr,
       "3: DL3059 not fixed: the RUN at line 2 changes shell state (set -u): the next RUN would inherit it\n"},
      {"a bare assignment is not", "FROM debian:12\nRUN X=1\nRUN echo $X\n", nullptr,
       "3: DL3059 not fixed: the RUN at line 2 changes shell state (X=...): the next RUN would inherit it\n"},
      {"WS002 adjacent: merged",
       "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
       "RUN rm -rf /var/lib/apt/lists/*\n",
       "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
       "    && rm -rf /var/lib/apt/lists/*\n",
       "3: WS002 fixed: merged the RUN at line 3 into the RUN at line 2\n",
       {"WS002"}},
      {"WS002 go build cache: merged, and a cache mount suggested",
       "FROM golang:1.22\nRUN go build -o /out/app ./cmd/app\nRUN go clean -cache\n",
       "FROM golang:1.22\nRUN go build -o /out/app ./cmd/app \\\n    && go clean -cache\n",
       "3: WS002 fixed: merged the RUN at line 3 into the RUN at line 2\n"
       "3: WS002 suggestion: add `--mount=type=cache,target=/root/.cache/go-build` to the RUN at line 2 and drop "
       "this cleanup: the go build cache stays out of the image and is reused by the next build\n",
       {"WS002"}},
      {"WS002 not adjacent: refused, cache mount suggested",
       "FROM rust:1.77\nRUN cargo build --release\nENV X=1\nRUN rm -rf /usr/local/cargo/registry\n", nullptr,
       "4: WS002 not fixed: /usr/local/cargo/registry was written by the RUN at line 2, 1 instruction(s) earlier: "
       "only adjacent RUNs are merged\n"
       "4: WS002 suggestion: add `--mount=type=cache,target=/usr/local/cargo/registry` to the RUN at line 2 and "
       "drop this cleanup: the cargo registry stays out of the image and is reused by the next build\n"},
      {"WS002 twice in one RUN: each finding its own writer",
       "FROM debian:12\nCOPY a.tgz /tmp/\nRUN apt-get update && apt-get install -y --no-install-recommends x && rm -rf "
       "/var/lib/apt/lists/*\nRUN rm /tmp/a.tgz && apt-get clean\n",
       "FROM debian:12\nCOPY a.tgz /tmp/\nRUN apt-get update && apt-get install -y --no-install-recommends x && rm -rf "
       "/var/lib/apt/lists/* \\\n    && rm /tmp/a.tgz && apt-get clean\n",
       "4: WS002 fixed: merged the RUN at line 4 into the RUN at line 3\n"
       "4: WS002 not fixed: /tmp/a.tgz was written by COPY at line 2: only a RUN can take the cleanup\n"},
      {"WS002 written by COPY: refused", "FROM debian:12\nCOPY app.tgz /tmp/\nRUN tar -xzf /tmp/app.tgz -C /opt && rm /tmp/app.tgz\n",
       nullptr, "3: WS002 not fixed: /tmp/app.tgz was written by COPY at line 2: only a RUN can take the cleanup\n"},
  });
}

TEST(Fixer, MergeThenCleanup) {
  // The update-only RUN is merged with its install RUN first; then DL3009
  // can clean the lists in the RUN that uses them, and DL3015 adds its flag.
  RunTable({
      {"naive apt", "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
       "FROM debian:12\nRUN apt-get update \\\n    && apt-get install --no-install-recommends -y curl \\\n"
       "    && rm -rf /var/lib/apt/lists/*\n",
       "3: DL3059 fixed: merged the RUN at line 3 into the RUN at line 2\n"
       "2: DL3009 fixed: appended `rm -rf /var/lib/apt/lists/*`\n"
       "3: DL3015 fixed: added --no-install-recommends to apt-get install\n"},
  });
}

TEST(Fixer, Preserves) {
  RunTable({
      {"heredoc script", "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\n",
       "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install --no-install-recommends -y curl && rm -rf "
       "/var/lib/apt/lists/*\nEOF\n",
       "2: DL3009 fixed: appended `rm -rf /var/lib/apt/lists/*`\n"
       "2: DL3015 fixed: added --no-install-recommends to apt-get install\n"},
      {"heredoc with <<-: refused", "FROM debian:12\nRUN <<-EOF\n\tapk add curl\n\tEOF\n", nullptr,
       "2: DL3019 not fixed: heredoc body with `<<-` (tabs stripped): not rewritten\n"},
      {"escape directive", "# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y curl\n",
       "# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install --no-install-recommends -y curl && `\n"
       "    rm -rf /var/lib/apt/lists/*\n",
       "3: DL3009 fixed: appended `rm -rf /var/lib/apt/lists/*`\n"
       "4: DL3015 fixed: added --no-install-recommends to apt-get install\n"},
      {"comments inside continuations",
       "FROM debian:12\nRUN apt-get update \\\n    # fetch curl\n    && apt-get install -y curl \\\n    # and git\n"
       "    && apt-get install -y git\n",
       "FROM debian:12\nRUN apt-get update \\\n    # fetch curl\n    && apt-get install --no-install-recommends -y curl "
       "\\\n    # and git\n    && apt-get install --no-install-recommends -y git \\\n    && rm -rf /var/lib/apt/lists/*\n",
       "2: DL3009 fixed: appended `rm -rf /var/lib/apt/lists/*`\n"
       "4: DL3015 fixed: added --no-install-recommends to apt-get install\n"},
      {"CRLF stays CRLF", "FROM alpine:3.20\r\nRUN echo a\r\nRUN apk add x\r\n",
       "FROM alpine:3.20\r\nRUN echo a \\\r\n    && apk add --no-cache x\r\n",
       "3: DL3059 fixed: merged the RUN at line 3 into the RUN at line 2\n"
       "3: DL3019 fixed: added --no-cache to apk add\n"},
      {"no final newline", "FROM alpine:3.20\nRUN apk add x", "FROM alpine:3.20\nRUN apk add --no-cache x",
       "2: DL3019 fixed: added --no-cache to apk add\n"},
      // Compound commands are followed: an option goes in wherever the
      // command is, inside an if or a loop.
      {"inside if", "FROM debian:12\nRUN if true; then apt-get install -y curl; fi\n",
       "FROM debian:12\nRUN if true; then apt-get install --no-install-recommends -y curl; fi\n",
       "2: DL3015 fixed: added --no-install-recommends to apt-get install\n"},
      {"inside a for loop", "FROM python:3.12-slim\nRUN for p in a b; do pip install $p; done\n",
       "FROM python:3.12-slim\nRUN for p in a b; do pip install --no-cache-dir $p; done\n",
       "2: DL3042 fixed: added --no-cache-dir to pip install\n"},
      {"exec form left alone",
       "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n", nullptr,
       "2: DL3015 not fixed: exec-form RUN (JSON array): whittle fix does not rewrite it\n"},
  });
}

TEST(Fixer, Refusals) {
  RunTable({
      {"shell not understood", "FROM debian:12\nRUN read -r pkg <<< \"$EXTRA\"; apt-get install -y \"$pkg\"\n", nullptr,
       "2: DL3015 not fixed: shell not understood (here-string)\n"},
      {"arithmetic for", "FROM python:3.12-slim\nRUN for ((i=0; i<2; i++)); do pip install x$i; done\n", nullptr,
       "2: DL3042 not fixed: shell not understood (arithmetic for)\n"},
      {"a variable hides the tool", "FROM debian:12\nRUN $PKG install -y curl\n", nullptr,
       "2: * not fixed: the command is a variable ($PKG install): cannot tell which tool runs\n"},
      {"a variable before the tool", "FROM debian:12\nRUN $SUDO apt-get install -y curl\n", nullptr,
       "2: DL3015 not fixed: the command starts with a variable ($SUDO): not rewritten\n"},
      {"builder stages are not judged", "FROM debian:12 AS b\nRUN if x; then apt-get install -y y; fi\nFROM scratch\n"
       "COPY --from=b /x /x\n", nullptr, ""},
  });
}

TEST(Fixer, SelectionFollowsRulesIgnoreConfigAndPragmas) {
  const std::string text =
      "FROM debian:12\n# hadolint ignore=DL3015\nRUN apt-get install -y a\n"
      "RUN apk add b\n";
  FixOptions opt;
  opt.lint.use_context = false;
  auto r = FixText(text, "Dockerfile", opt);
  ASSERT_TRUE(r.has_value());
  // The pragma keeps DL3015 on line 3; the merge keeps the pragma in front
  // of the merged RUN.
  EXPECT_EQ(r->text,
            "FROM debian:12\n# hadolint ignore=DL3015\nRUN apt-get install -y a \\\n"
            "    && apk add --no-cache b\n");
  opt.skip = {"DL3019", "DL3059"};  // --ignore
  r = FixText(text, "Dockerfile", opt);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->changed);
  opt.skip.clear();
  opt.lint.config.ignored = {"DL3019", "DL3059"};  // .hadolint.yaml `ignored:`
  r = FixText(text, "Dockerfile", opt);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->changed);
  opt.lint.config.ignored.clear();
  opt.only = {"DL3019"};  // --rules
  r = FixText(text, "Dockerfile", opt);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->text,
            "FROM debian:12\n# hadolint ignore=DL3015\nRUN apt-get install -y a\n"
            "RUN apk add --no-cache b\n");
  FixOptions only;
  only.lint.use_context = false;
  only.only = {"DL3015"};
  r = FixText("FROM debian:12\nRUN apt-get install -y a\nRUN apk add b\n", "Dockerfile", only);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->text, "FROM debian:12\nRUN apt-get install --no-install-recommends -y a\nRUN apk add b\n");
}

TEST(Fixer, Errors) {
  FixOptions opt;
  opt.lint.use_context = false;
  auto r = FixText("# just a comment\n", "Dockerfile", opt);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "Dockerfile:1: file with no instructions");
  opt.lint.target = "nope";
  r = FixText("FROM debian:12\n", "Dockerfile", opt);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kUsage);
  EXPECT_TRUE(CheckRewriteIds({"DL3009", "WS002"}).ok());
  Status bad = CheckRewriteIds({"DL3006"});
  EXPECT_EQ(bad.code(), Errc::kUsage);
  EXPECT_NE(bad.message().find("DL3006 has no rewrite"), std::string::npos) << bad.message();
  EXPECT_NE(CheckRewriteIds({"XX1"}).message().find("XX1 is not a rule id"), std::string::npos);
}

TEST(Fixer, AppliedRewritesShowBeforeAndAfter) {
  FixOptions opt;
  opt.lint.use_context = false;
  auto r = FixText("FROM alpine:3.20\nRUN apk add x \\\n    y\n", "Dockerfile", opt);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->applied.size(), 1u);
  EXPECT_EQ(r->applied[0].id, "DL3019");
  EXPECT_EQ(r->applied[0].line, 2);
  EXPECT_EQ(r->applied[0].before, "RUN apk add x \\\n    y");
  EXPECT_EQ(r->applied[0].after, "RUN apk add --no-cache x \\\n    y");
}

TEST(Fixer, EveryRewriteIsALintRule) {
  for (const Rewrite& rw : AllRewrites()) EXPECT_NE(lint::FindRule(rw.id), nullptr) << rw.id;
}

// docs/rules.md's `whittle fix` column names a rewrite exactly for the ids
// that have one.
TEST(Fixer, RulesDocListsTheRewrites) {
  std::ifstream f(WHITTLE_SOURCE_DIR "/docs/rules.md");
  ASSERT_TRUE(f.good());
  std::string line;
  int rows = 0;
  while (std::getline(f, line)) {
    for (const lint::Rule& r : lint::AllRules()) {
      std::string head = std::string("| ") + r.code + " |";
      if (line.rfind(head, 0) != 0) continue;
      ++rows;
      std::string last = line.substr(line.rfind('|', line.size() - 2) + 1);
      bool none = last.find("\u2014") != std::string::npos;
      EXPECT_EQ(none, FindRewrite(r.code) == nullptr) << line;
    }
  }
  EXPECT_EQ(rows, static_cast<int>(lint::AllRules().size()));
}

}  // namespace
}  // namespace whittle::fix
