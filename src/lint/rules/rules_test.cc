// Table tests for every rule: one row per case, the exact findings wanted
// as "LINE:COL CODE" lines (messages are checked for a few rows).
#include <gtest/gtest.h>

#include <string>

#include "lint/dockerfile_parser.h"
#include "lint/linter.h"
#include "util/file_util.h"

namespace whittle::lint {
namespace {

struct Case {
  const char* name;
  const char* dockerfile;
  const char* want;  // "LINE:COL CODE" lines, "\n"-joined; "" = no finding
};

std::string Lint(const std::string& text, const char* only, std::string target = "",
                 ContextFacts facts = ContextFacts(), LintConfig config = LintConfig()) {
  auto df = ParseDockerfile(text, "Dockerfile");
  if (!df.has_value()) return "parse error: " + df.error().message();
  LintOptions opt;
  opt.config = std::move(config);
  opt.target = std::move(target);
  auto f = LintParsed(*df, opt, std::move(facts));
  if (!f.has_value()) return "error: " + f.error().message();
  std::string out;
  for (const Finding& x : *f) {
    if (only != nullptr && x.code != only) continue;
    if (!out.empty()) out += "\n";
    out += std::to_string(x.line) + ":" + std::to_string(x.column) + " " + x.code;
  }
  return out;
}

void RunTable(const char* code, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(Lint(c.dockerfile, code), c.want) << code << " case: " << c.name << "\n" << c.dockerfile;
  }
}

// The same, for an application image: each case's target stage ends by
// copying its code in (WS004/WS005 stay quiet on base images, see
// BaseImagesShipTheirToolchain). Findings keep their lines.
void RunAppTable(const char* code, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    std::string text = std::string(c.dockerfile) + "COPY src/ /app/\n";
    EXPECT_EQ(Lint(text, code), c.want) << code << " case: " << c.name << "\n" << text;
  }
}

// An ONBUILD RUN trigger is judged by the cache and option rules, at the
// trigger's own command positions; DL3059 does not count triggers as RUNs.
TEST(RulesTest, OnbuildTriggers) {
  const char* kTrigger = "FROM debian:12\nONBUILD RUN apt-get update && \\\n  apt-get install -y curl\n";
  EXPECT_EQ(Lint(kTrigger, "DL3009"), "2:13 DL3009");
  EXPECT_EQ(Lint(kTrigger, "DL3015"), "3:3 DL3015");
  EXPECT_EQ(Lint("FROM node:20\nONBUILD RUN npm install\n", "WS001"), "2:13 WS001");
  EXPECT_EQ(Lint("FROM debian:12\nONBUILD RUN /a.sh\nONBUILD RUN /b.sh\n", "DL3059"), "");
  // A trigger in a stage the target never uses is not judged.
  EXPECT_EQ(Lint("FROM debian:12 AS x\nONBUILD RUN apk add jq\nFROM debian:12\nRUN true\n", "DL3019"), "");
}

TEST(RulesTest, DL3009) {
  RunTable("DL3009", {
      {"bad", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n", "2:5 DL3009"},
      {"good", "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", ""},
      {"cache mount", "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n", ""},
      {"cache mount parent", "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n", ""},
      {"builder stage does not ship", "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /out /out\n", ""},
      {"parent stage ships", "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN echo hi\n", "2:5 DL3009"},
      {"cleanup after continuation", "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*\n", ""},
      {"uncertain shell: no finding", "FROM debian:12\nRUN f() { apt-get update; }; f\n", ""},
      {"inside if: judged", "FROM debian:12\nRUN if true; then apt-get update && apt-get install -y x; fi\n", "2:19 DL3009"},
      {"cleanup inside the same if", "FROM debian:12\nRUN if true; then apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*; fi\n", ""},
      {"install in a case branch, cleanup after",
       "FROM debian:12\nRUN case \"$(uname -m)\" in x86_64) apt-get update; apt-get install -y x ;; *) true ;; esac; rm -rf /var/lib/apt/lists/*\n", ""},
      {"exec form sh -c", "FROM debian:12\nRUN [\"sh\", \"-c\", \"apt-get update && apt-get install -y x\"]\n", "2:1 DL3009"},
      {"heredoc", "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n", "2:1 DL3009"},
      // apt >= 2.7.8 (trixie): `apt-get dist-clean` removes the lists too; the
      // docker-library images (python, php, ...) use it on trixie.
      {"apt-get dist-clean", "FROM debian:trixie\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates; apt-get dist-clean\n", ""},
      {"apt-get distclean", "FROM debian:trixie\nRUN apt-get update && apt-get install -y curl && apt-get distclean\n", ""},
      {"apt dist-clean", "FROM debian:trixie\nRUN apt update && apt install -y curl && apt dist-clean\n", ""},
      {"apt-get clean keeps the lists", "FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get clean\n", "2:5 DL3009"},
      {"tmpfs mount", "FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n", ""},
      {"rm before the update", "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x\n", "2:36 DL3009"},
      {"aptitude", "FROM debian:12\nRUN aptitude update && aptitude install -y curl\n", "2:5 DL3009"},
      {"aptitude cleaned", "FROM debian:12\nRUN aptitude update && aptitude install -y curl && rm -rf /var/lib/apt/lists/*\n", ""},
  });
}

TEST(RulesTest, DL3015) {
  RunTable("DL3015", {
      {"bad", "FROM debian:12\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", "2:5 DL3015"},
      {"good", "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n", ""},
      {"apt option", "FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n", ""},
      {"config from earlier RUN", "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/no-rec\nRUN apt-get install -y curl\n", ""},
      {"sudo wrapper", "FROM debian:12\nRUN sudo apt-get install -y curl\n", "2:5 DL3015"},
  });
}

TEST(RulesTest, DL3019) {
  RunTable("DL3019", {
      {"bad", "FROM alpine:3.20\nRUN apk add curl\n", "2:5 DL3019"},
      {"good", "FROM alpine:3.20\nRUN apk add --no-cache curl\n", ""},
      {"cache mount", "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n", ""},
      {"update + rm", "FROM alpine:3.20\nRUN apk add --update curl && rm -rf /var/cache/apk/*\n", ""},
      {"rm before the add", "FROM alpine:3.20\nRUN rm -rf /var/cache/apk/* && apk add curl\n", "2:32 DL3019"},
      {"--no-network fetches nothing", "FROM alpine:3.20\nRUN apk add --no-network --virtual .rundeps so:libc.musl-x86_64.so.1\n", ""},
  });
}

TEST(RulesTest, DL3042) {
  RunTable("DL3042", {
      {"bad", "FROM python:3.12-slim\nRUN pip install flask\n", "2:5 DL3042"},
      {"python -m pip", "FROM python:3.12-slim\nRUN python3 -m pip install flask\n", "2:5 DL3042"},
      {"good", "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n", ""},
      {"env", "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n", ""},
      // pip disables the cache for every valid boolean, false ones included.
      {"env false", "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=0\nRUN pip install flask\n", ""},
      {"env off", "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask\n", ""},
      {"env not a boolean", "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=maybe\nRUN pip install flask\n", "3:5 DL3042"},
      {"inline env false", "FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=false pip install flask\n", ""},
      {"export before pip", "FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask\n", ""},
      {"export after pip", "FROM python:3.12-slim\nRUN pip install flask && export PIP_NO_CACHE_DIR=1\n", "2:5 DL3042"},
      {"pip in a for loop", "FROM python:3.12-slim\nRUN for p in a b; do pip install \"$p\"; done\n", "2:22 DL3042"},
      {"env inherited from parent stage", "FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base\nRUN pip install flask\n", ""},
      {"inline env", "FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n", ""},
      {"cache mount", "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n", ""},
      {"tmpfs mount", "FROM python:3.12-slim\nRUN --mount=type=tmpfs,target=/root/.cache pip install flask\n", ""},
      {"bind mount is not a tmpfs", "FROM python:3.12-slim\nRUN --mount=type=bind,target=/root/.cache/pip pip install flask\n", "2:47 DL3042"},
      {"pipenv is not pip", "FROM python:3.12-slim\nRUN pipenv install\n", ""},
      {"pip2", "FROM python:2.7\nRUN pip2 install flask\n", "2:5 DL3042"},
      {"pip2.7", "FROM python:2.7\nRUN pip2.7 install flask\n", "2:5 DL3042"},
      {"pip3.12", "FROM python:3.12-slim\nRUN pip3.12 install flask\n", "2:5 DL3042"},
      {"/usr/local/bin/pip3.12", "FROM python:3.12-slim\nRUN /usr/local/bin/pip3.12 install flask\n", "2:5 DL3042"},
      {"pipx is not pip", "FROM python:3.12-slim\nRUN pip3x install flask\n", ""},
      // Another pip command's option does not cover this one.
      {"--no-cache-dir on another pip", "FROM python:3.12-slim\nRUN pip install --no-cache-dir -U pip && pip install flask\n",
       "2:42 DL3042"},
      {"pip config set", "FROM python:3.12-slim\nRUN pip config set global.no-cache-dir false && pip install flask\n", ""},
      {"pip config set after pip", "FROM python:3.12-slim\nRUN pip install flask && pip config set global.no-cache-dir 1\n",
       "2:5 DL3042"},
      {"pip config set in an earlier RUN", "FROM python:3.12-slim\nRUN pip config set install.no-cache-dir 1\nRUN pip install flask\n", ""},
      {"pip.conf written", "FROM python:3.12-slim\nRUN printf '[global]\\nno-cache-dir = 1\\n' > /etc/pip.conf && pip install flask\n", ""},
      {"a word that only mentions the option", "FROM python:3.12-slim\nRUN echo no-cache-dir && pip install flask\n", "2:26 DL3042"},
  });
}

TEST(RulesTest, YumDnfZypper) {
  RunTable("DL3032", {
      {"bad", "FROM centos:7\nRUN yum install -y httpd\n", "2:5 DL3032"},
      {"good", "FROM centos:7\nRUN yum install -y httpd && yum clean all\n", ""},
      {"mount", "FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd\n", ""},
      {"clean before the install", "FROM centos:7\nRUN yum clean all && yum install -y httpd\n", "2:22 DL3032"},
      {"second install after the clean", "FROM centos:7\nRUN yum install -y a && yum clean all && yum install -y b\n", "2:42 DL3032"},
  });
  RunTable("DL3040", {
      {"bad", "FROM fedora:40\nRUN dnf install -y httpd\n", "2:5 DL3040"},
      {"good", "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n", ""},
      {"microdnf", "FROM ubi9-minimal:9\nRUN microdnf install -y httpd\n", "2:5 DL3040"},
      {"microdnf clean before the install", "FROM ubi9-minimal:9\nRUN microdnf clean all && microdnf install -y httpd\n", "2:27 DL3040"},
      // dnf's command aliases (dnf(8), dnf5(8)).
      {"dnf in", "FROM fedora:40\nRUN dnf in -y httpd\n", "2:5 DL3040"},
      {"dnf up", "FROM fedora:40\nRUN dnf up -y\n", "2:5 DL3040"},
      {"dnf upgrade-minimal", "FROM fedora:40\nRUN dnf -y upgrade-minimal\n", "2:5 DL3040"},
      {"dnf up-min", "FROM fedora:40\nRUN dnf -y up-min\n", "2:5 DL3040"},
      {"dnf rei", "FROM fedora:40\nRUN dnf rei -y bash\n", "2:5 DL3040"},
      {"dnf distro-sync", "FROM fedora:40\nRUN dnf -y dsync\n", "2:5 DL3040"},
      {"dnf makecache", "FROM fedora:40\nRUN dnf makecache\n", "2:5 DL3040"},
      {"dnf5", "FROM fedora:41\nRUN dnf5 install -y httpd\n", "2:5 DL3040"},
      {"dnf5 cache removed", "FROM fedora:41\nRUN dnf install -y httpd && rm -rf /var/cache/libdnf5\n", ""},
      {"dnf5 cache mount", "FROM fedora:41\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd\n", ""},
      {"dnf list changes nothing", "FROM fedora:40\nRUN dnf -C list installed\n", ""},
  });
  RunTable("DL3036", {
      {"bad", "FROM opensuse/leap:15\nRUN zypper install -y httpd\n", "2:5 DL3036"},
      {"good", "FROM opensuse/leap:15\nRUN zypper install -y httpd && zypper clean\n", ""},
      {"clean before the install", "FROM opensuse/leap:15\nRUN zypper clean && zypper install -y httpd\n", "2:21 DL3036"},
      {"zypper in", "FROM opensuse/leap:15\nRUN zypper in -y httpd\n", "2:5 DL3036"},
      {"zypper si", "FROM opensuse/leap:15\nRUN zypper si -y httpd\n", "2:5 DL3036"},
  });
}

TEST(RulesTest, DL3060AndWS001) {
  RunTable("DL3060", {
      {"bad", "FROM node:20-slim\nRUN yarn install\n", "2:5 DL3060"},
      {"good", "FROM node:20-slim\nRUN yarn install && yarn cache clean\n", ""},
      {"mount", "FROM node:20-slim\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n", ""},
      {"tmpfs mount", "FROM node:20-slim\nRUN --mount=type=tmpfs,target=/usr/local/share/.cache/yarn yarn install\n", ""},
      {"clean before the install", "FROM node:20-slim\nRUN yarn cache clean && yarn install\n", "2:25 DL3060"},
      // yarn's documented forms that fill the cache.
      {"bare yarn is yarn install", "FROM node:20-slim\nRUN yarn --frozen-lockfile\n", "2:5 DL3060"},
      {"yarn add", "FROM node:20-slim\nRUN yarn add left-pad\n", "2:5 DL3060"},
      {"yarn global add", "FROM node:20-slim\nRUN yarn global add serve && yarn cache clean\n", ""},
      {"yarn --cwd DIR", "FROM node:20-slim\nRUN yarn --cwd /app\n", "2:5 DL3060"},
      {"yarn run is not an install", "FROM node:20-slim\nRUN yarn run build\n", ""},
  });
  RunTable("WS001", {
      {"bad ci", "FROM node:20-slim\nRUN npm ci\n", "2:5 WS001"},
      {"bad install", "FROM node:20-slim\nRUN npm install --omit=dev\n", "2:5 WS001"},
      {"good", "FROM node:20-slim\nRUN npm ci && npm cache clean --force\n", ""},
      {"mount", "FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci\n", ""},
      // npm's documented aliases of `npm cache clean`.
      {"npm cache clear", "FROM node:20-slim\nRUN npm ci && npm cache clear --force\n", ""},
      {"npm cache rm", "FROM node:20-slim\nRUN npm ci && npm cache rm --force\n", ""},
      {"npm cache ls does not clean", "FROM node:20-slim\nRUN npm ci && npm cache ls\n", "2:5 WS001"},
      {"tmpfs mount", "FROM node:20-slim\nRUN --mount=type=tmpfs,target=/root/.npm npm ci\n", ""},
      {"clean before the install", "FROM node:20-slim\nRUN npm cache clean --force && npm ci\n", "2:32 WS001"},
      {"builder only", "FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\n", ""},
      // npm's documented aliases of install, ci and update.
      {"npm i", "FROM node:20-slim\nRUN npm i -g pnpm\n", "2:5 WS001"},
      {"npm clean-install", "FROM node:20-slim\nRUN npm clean-install\n", "2:5 WS001"},
      {"npm install-ci-test", "FROM node:20-slim\nRUN npm cit\n", "2:5 WS001"},
      {"npm update", "FROM node:20-slim\nRUN npm update\n", "2:5 WS001"},
      {"npm run is not an install", "FROM node:20-slim\nRUN npm run build\n", ""},
  });
}

TEST(RulesTest, WS003) {
  RunTable("WS003", {
      {"bad", "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n", "2:5 WS003"},
      {"good", "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", ""},
      {"upgrade uses lists", "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n", ""},
  });
}

TEST(RulesTest, DL3059) {
  RunTable("DL3059", {
      {"bad", "FROM debian:12\nRUN echo a\nRUN echo b\n", "3:1 DL3059"},
      {"comment between still consecutive", "FROM debian:12\nRUN echo a\n# note\nRUN echo b\n", "4:1 DL3059"},
      {"other instruction between", "FROM debian:12\nRUN echo a\nWORKDIR /x\nRUN echo b\n", ""},
      {"long chains are deliberate", "FROM debian:12\nRUN a && b && c\nRUN d\n", ""},
      {"different mounts", "FROM debian:12\nRUN --mount=type=cache,target=/x a\nRUN b\n", ""},
      // hadolint's effective rule: each RUN one simple command.
      {"two commands before", "FROM debian:12\nRUN apt-get update && apt-get install -y x\nRUN echo b\n", ""},
      {"two commands after", "FROM debian:12\nRUN echo a\nRUN cd /src && make\n", ""},
      {"a pipeline is not a simple command", "FROM debian:12\nRUN echo a\nRUN curl -fsSL https://e.x/i.sh | sh\n", ""},
      {"three single RUNs", "FROM debian:12\nRUN echo a\nRUN echo b\nRUN echo c\n", "3:1 DL3059\n4:1 DL3059"},
  });
}

TEST(RulesTest, DL3067) {
  RunTable("DL3067", {
      {"bad", "FROM debian:12 AS a\nRUN touch /x\nFROM scratch\nCOPY --from=a / /\n", "4:1 DL3067"},
      {"good", "FROM debian:12 AS a\nRUN touch /x\nFROM scratch\nCOPY --from=a /x /x\n", ""},
  });
}

TEST(RulesTest, DL3046) {
  RunTable("DL3046", {
      {"bad", "FROM debian:12\nRUN useradd -u 123456 app\n", "2:5 DL3046"},
      {"good -l", "FROM debian:12\nRUN useradd -l -u 123456 app\n", ""},
      {"low uid", "FROM debian:12\nRUN useradd -u 1000 app\n", ""},
      {"--uid=", "FROM debian:12\nRUN useradd --uid=1234567 app\n", "2:5 DL3046"},
  });
}

TEST(RulesTest, DL3006DL3007) {
  RunTable("DL3006", {
      {"bad", "FROM debian\n", "1:6 DL3006"},
      {"good", "FROM debian:12\n", ""},
      {"digest", "FROM debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", ""},
      {"scratch", "FROM scratch\n", ""},
      {"stage ref", "FROM debian:12 AS base\nFROM base\n", ""},
      {"registry port", "FROM localhost:5000/app\n", "1:6 DL3006"},
      {"global ARG expanded", "ARG V=12\nFROM debian:${V}\n", ""},
      // A policy holds in every stage, built for this target or not (hadolint).
      {"unused stage", "FROM debian AS unused\nFROM debian:12\n", "1:6 DL3006"},
  });
  RunTable("DL3007", {
      {"bad", "FROM debian:latest\n", "1:6 DL3007"},
      {"good", "FROM debian:12\n", ""},
  });
}

TEST(RulesTest, DL3026) {
  LintConfig c;
  c.trusted_registries = {"docker.io", "*.gcr.io"};
  auto df = ParseDockerfile("FROM quay.io/x/y:1\nFROM eu.gcr.io/p/i:1 AS b\nFROM debian:12\nCOPY --from=b /a /a\nCOPY --from=0 /a /b\n",
                            "Dockerfile");
  ASSERT_TRUE(df.has_value());
  LintOptions opt;
  opt.config = c;
  auto f = LintParsed(*df, opt, ContextFacts());
  ASSERT_TRUE(f.has_value());
  std::string got;
  for (const Finding& x : *f) {
    if (x.code == "DL3026") got += std::to_string(x.line) + " ";
  }
  EXPECT_EQ(got, "1 ");
}

TEST(RulesTest, DL3026StarTrustsEveryRegistry) {
  LintConfig c;
  c.trusted_registries = {"*"};
  for (const char* from : {"FROM quay.io/x/y:1\n", "FROM debian:12\n", "FROM localhost:5000/app:1\n"}) {
    EXPECT_EQ(Lint(from, "DL3026", "", ContextFacts(), c), "") << from;
  }
  c.trusted_registries = {"*.gcr.io"};
  EXPECT_EQ(Lint("FROM quay.io/x/y:1\n", "DL3026", "", ContextFacts(), c), "1:6 DL3026");
}

TEST(RulesTest, DL3026ImagesPulledByCopyAndMount) {
  LintConfig c;
  c.trusted_registries = {"docker.io"};
  auto lint = [&](const char* text) { return Lint(text, "DL3026", "", ContextFacts(), c); };
  EXPECT_EQ(lint("FROM debian:12\nCOPY --from=quay.io/x/tool:1 /bin/t /bin/t\n"), "2:6 DL3026");
  EXPECT_EQ(lint("FROM debian:12\nCOPY --from=busybox:1.36 /bin/busybox /bin/\n"), "");
  EXPECT_EQ(lint("FROM debian:12 AS b\nFROM debian:12\nCOPY --from=b /a /a\nCOPY --from=0 /a /b\n"), "");
  EXPECT_EQ(lint("FROM debian:12\nRUN --mount=type=bind,from=ghcr.io/o/ctx:1,target=/src make -C /src\n"), "2:5 DL3026");
  EXPECT_EQ(lint("FROM debian:12\nRUN --mount=type=cache,from=ghcr.io/o/seed:1,target=/c true\n"), "2:5 DL3026");
  // Policy rules judge stages the target does not build.
  EXPECT_EQ(lint("FROM quay.io/x/y:1 AS unused\nFROM debian:12\n"), "1:6 DL3026");
}

TEST(RulesTest, QuotedCopyPaths) {
  // BuildKit removes the quotes: `COPY --from=build "/" "/"` copies the
  // whole filesystem, and ships the stage.
  EXPECT_EQ(Lint("FROM debian:12 AS build\nRUN true\nFROM scratch\nCOPY --from=build \"/\" \"/\"\n", "DL3067"), "4:1 DL3067");
  EXPECT_EQ(Lint("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y x\nFROM scratch\nCOPY --from=build \"/\" \"/\"\n",
                 "DL3009"),
            "2:5 DL3009");
  ContextFacts facts;
  facts.known = true;
  EXPECT_EQ(Lint("FROM debian:12\nCOPY \".\" /app\n", "WS007", "", facts), "2:1 WS007");
}

TEST(RulesTest, BaseImagesShipTheirToolchain) {
  // The official full images (python, ruby on buildpack-deps) and
  // buildpack-deps itself: the toolchain is the product.
  const char* kPython =
      "FROM buildpack-deps:bookworm\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends libbluetooth-dev tk-dev uuid-dev "
      "&& rm -rf /var/lib/apt/lists/*\n"
      "COPY docker-entrypoint.sh /usr/local/bin/\n"
      "CMD [\"python3\"]\n";
  EXPECT_EQ(Lint(kPython, "WS004"), "");
  EXPECT_EQ(Lint(kPython, "WS005"), "");
  const char* kToolchain =
      "FROM buildpack-deps:bookworm-scm\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends gcc make && rm -rf /var/lib/apt/lists/*\n";
  EXPECT_EQ(Lint(kToolchain, "WS004"), "");
  const char* kOnbuild = "FROM node:20\nONBUILD COPY . /app\nCMD [\"npm\", \"start\"]\n";
  EXPECT_EQ(Lint(kOnbuild, "WS005"), "");
  // An application: it copies its code in, or runs something of its own.
  std::string app = std::string(kPython) + "COPY . /app\n";
  EXPECT_EQ(Lint(app, "WS004"), "2:23 WS004");
  EXPECT_EQ(Lint(app, "WS005"), "1:6 WS005");
  EXPECT_EQ(Lint("FROM python:3.12\nRUN pip install --no-cache-dir mkdocs\nCMD [\"mkdocs\", \"serve\"]\n", "WS005"),
            "1:6 WS005");
  EXPECT_EQ(Lint("FROM python:3.12\nCMD python3 -m http.server\n", "WS005"), "1:6 WS005");
  EXPECT_EQ(Lint("FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM golang:1.22\nCOPY --from=b /app /app\n"
                 "ENTRYPOINT [\"/app\"]\n",
                 "WS005"),
            "3:6 WS005");
  // The golang image: its toolchain built in a stage, copied whole; no CMD.
  EXPECT_EQ(Lint("FROM debian:12 AS build\nRUN make\nFROM buildpack-deps:bookworm-scm\n"
                 "RUN apt-get update && apt-get install -y --no-install-recommends gcc make && rm -rf /var/lib/apt/lists/*\n"
                 "COPY --from=build --link /target/ /\n",
                 "WS004"),
            "");
  EXPECT_EQ(Lint("FROM python:3.12\nENTRYPOINT [\"/app/run\"]\n", "WS005"), "1:6 WS005");
}

TEST(RulesTest, WS002) {
  RunTable("WS002", {
      {"bad apt", "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n", "3:5 WS002"},
      {"good same RUN", "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", ""},
      {"bad COPY then rm", "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n", "3:41 WS002"},
      {"bad download then rm", "FROM debian:12\nRUN curl -fsSLo /tmp/x.deb https://e.x/x.deb\nRUN dpkg -i /tmp/x.deb && rm -f /tmp/x.deb\n", "3:27 WS002"},
      {"bad tool clean", "FROM centos:7\nRUN yum install -y httpd\nRUN yum clean all\n", "3:5 WS002"},
      {"re-created in the same RUN", "FROM debian:12\nRUN apt-get update\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n", ""},
      {"cleaned already", "FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\nRUN rm -rf /var/lib/apt/lists/*\n", ""},
      {"across FROM stage", "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y x\nFROM base\nRUN rm -rf /var/lib/apt/lists/*\n", "4:5 WS002"},
      {"builder stage", "FROM debian:12 AS b\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/*\nFROM scratch\nCOPY --from=b /x /x\n", ""},
      {"unrelated rm", "FROM debian:12\nCOPY a /opt/a\nRUN rm -rf /tmp/cache\n", ""},
      {"tar archive then rm", "FROM debian:12\nRUN tar -czf /tmp/backup.tgz -C /app .\nRUN rm /tmp/backup.tgz\n", "3:5 WS002"},
      {"old-style tar", "FROM debian:12\nRUN tar czf /tmp/b.tgz /etc\nRUN rm -f /tmp/b.tgz\n", "3:5 WS002"},
      {"tar to stdout", "FROM debian:12\nRUN tar -czf - /etc > /dev/null\nRUN rm -rf /tmp/x\n", ""},
      {"cp then rm", "FROM debian:12\nRUN cp -a /etc/ssl /opt/ssl-copy\nRUN rm -rf /opt/ssl-copy\n", "3:5 WS002"},
      {"cp -t", "FROM debian:12\nRUN cp -t /opt/x /etc/a /etc/b\nRUN rm -rf /opt/x/a\n", "3:5 WS002"},
      {"apt-get clean later", "FROM debian:12\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n"
                              "RUN apt-get clean\n", "3:5 WS002"},
      {"apt-get clean in the same RUN", "FROM debian:12\nRUN apt-get install -y x && apt-get clean\nRUN apt-get clean\n", ""},
      {"dnf alias fills the cache", "FROM fedora:40\nRUN dnf in -y httpd\nRUN dnf clean all\n", "3:5 WS002"},
      {"dnf5 cache", "FROM fedora:41\nRUN dnf5 install -y httpd\nRUN rm -rf /var/cache/libdnf5\n", "3:5 WS002"},
      {"apt-get dist-clean later", "FROM debian:trixie\nRUN apt-get update && apt-get install -y x\nRUN apt-get dist-clean\n", "3:5 WS002"},
      {"npm cache clear later", "FROM node:20\nRUN npm ci\nRUN npm cache clear --force\n", "3:5 WS002"},
  });
  EXPECT_NE(Lint("FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n",
                 "WS002"),
            "");
}

// The language build caches (leftovers.h): a cleanup in a later RUN frees
// nothing; `~`, $HOME and ENV variables resolve where the Dockerfile says.
TEST(RulesTest, WS002LanguageCaches) {
  RunTable("WS002", {
      {"go build cache", "FROM golang:1.22\nRUN go build ./...\nRUN rm -rf /root/.cache/go-build\n", "3:5 WS002"},
      {"GOCACHE from ENV", "FROM golang:1.22\nENV GOCACHE=/cache/go\nRUN go build ./...\nRUN rm -rf $GOCACHE\n", "4:5 WS002"},
      {"go clean -cache", "FROM golang:1.22\nRUN go build ./...\nRUN go clean -cache\n", "3:5 WS002"},
      {"go module cache", "FROM golang:1.22\nRUN go mod download\nRUN rm -rf /go/pkg/mod\n", "3:5 WS002"},
      {"go cache mount", "FROM golang:1.22\nRUN --mount=type=cache,target=/root/.cache/go-build go build ./...\n"
                          "RUN rm -rf /root/.cache/go-build\n", ""},
      {"go tmpfs mount", "FROM golang:1.22\nRUN --mount=type=tmpfs,target=/root/.cache/go-build go build ./...\n"
                          "RUN rm -rf /root/.cache/go-build\n", ""},
      {"go cleaned in the same RUN", "FROM golang:1.22\nRUN go build ./... && go clean -cache\nRUN rm -rf /root/.cache/go-build\n", ""},
      {"cleaned before it is written: still there",
       "FROM golang:1.22\nRUN go clean -cache && go build ./...\nRUN rm -rf /root/.cache/go-build\n", "3:5 WS002"},
      {"pip cache via ~", "FROM debian:12\nRUN pip install flask\nRUN rm -rf ~/.cache/pip\n", "3:5 WS002"},
      {"maven via $HOME", "FROM maven:3\nRUN mvn package\nRUN rm -rf $HOME/.m2/repository\n", "3:5 WS002"},
      {"maven, non-root user: home unknown", "FROM maven:3\nUSER app\nRUN mvn package\nRUN rm -rf ~/.m2\n", ""},
      {"ENV HOME", "FROM maven:3\nUSER app\nENV HOME=/home/app\nRUN mvn package\nRUN rm -rf ~/.m2\n", "5:5 WS002"},
      {"cargo registry in the rust image", "FROM rust:1.77\nRUN cargo build --release\nRUN rm -rf /usr/local/cargo/registry\n", "3:5 WS002"},
      {"cargo registry elsewhere", "FROM debian:12\nRUN cargo build --release\nRUN rm -rf ~/.cargo/registry\n", "3:5 WS002"},
      {"gradle wrapper", "FROM eclipse-temurin:21\nRUN ./gradlew build\nRUN rm -rf /root/.gradle/caches\n", "3:5 WS002"},
      {"yarn cache clean", "FROM node:20\nRUN yarn install\nRUN yarn cache clean\n", "3:5 WS002"},
      {"ccache via CC", "FROM debian:12\nENV CC=\"ccache gcc\"\nRUN make\nRUN ccache -C\n", "4:5 WS002"},
      {"relative rm: cannot tell", "FROM golang:1.22\nRUN go build ./...\nRUN rm -rf .cache/go-build\n", ""},
  });
  std::string msg;
  auto df = ParseDockerfile("FROM golang:1.22\nRUN go build ./...\nRUN rm -rf /root/.cache/go-build\n", "Dockerfile");
  ASSERT_TRUE(df.has_value());
  auto f = LintParsed(*df, LintOptions(), ContextFacts());
  ASSERT_TRUE(f.has_value());
  for (const Finding& x : *f) {
    if (x.code == "WS002") msg = x.message;
  }
  EXPECT_EQ(msg,
            "cleanup in a later RUN frees nothing: /root/.cache/go-build (go build cache) was written by line 2 and "
            "stays in that layer; remove it in the RUN that creates it or keep it out with RUN "
            "--mount=type=cache,target=/root/.cache/go-build");
}

TEST(RulesTest, WS004) {
  RunAppTable("WS004", {
      {"bad", "FROM debian:12\nRUN apt-get install -y --no-install-recommends build-essential libssl-dev\n", "2:5 WS004"},
      {"builder stage", "FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM debian:12-slim\nCOPY --from=build /out /out\n", ""},
      {"purged in the same RUN", "FROM debian:12\nRUN apt-get install -y gcc make && make && apt-get purge -y gcc make\n", ""},
      {"apk virtual deleted", "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps\n", ""},
      {"apk virtual kept", "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\n", "2:5 WS004"},
      {"runtime only", "FROM debian:12\nRUN apt-get install -y libssl3 curl\n", ""},
      {"version pin", "FROM debian:12\nRUN apt-get install -y gcc=4:12.2.0-3\n", "2:5 WS004"},
      // The docker-library "savedAptMark" pattern (as in docker-library/python,
      // redis, postgres, php): everything this RUN installed is marked auto and
      // purged with --auto-remove, except what was manual before it and the
      // runtime libraries found by ldd.
      {"savedAptMark", "FROM debian:bookworm-slim\n"
                       "RUN set -eux; \\\n"
                       "\tsavedAptMark=\"$(apt-mark showmanual)\"; \\\n"
                       "\tapt-get update; \\\n"
                       "\tapt-get install -y --no-install-recommends gcc libc6-dev libssl-dev make wget; \\\n"
                       "\tmake -C /usr/src/app install; \\\n"
                       "\tapt-mark auto '.*' > /dev/null; \\\n"
                       "\t[ -z \"$savedAptMark\" ] || apt-mark manual $savedAptMark; \\\n"
                       "\tfind /usr/local -type f -executable -exec ldd '{}' ';' | awk '/=>/ { print $(NF-1) }' \\\n"
                       "\t\t| sort -u | xargs -r dpkg-query --search | cut -d: -f1 | sort -u | xargs -r apt-mark manual; \\\n"
                       "\tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \\\n"
                       "\trm -rf /var/lib/apt/lists/*\n", ""},
      {"savedAptMark with autoremove", "FROM debian:12\nRUN apt-get install -y gcc && make && apt-mark auto '.*' && apt-get autoremove -y\n", ""},
      {"apt-mark auto without the purge", "FROM debian:12\nRUN apt-get install -y gcc && make && apt-mark auto '.*'\n", "2:5 WS004"},
      {"purge before apt-mark auto", "FROM debian:12\nRUN apt-get install -y gcc && apt-get purge -y --auto-remove && apt-mark auto '.*'\n", "2:5 WS004"},
      {"kept manual by name", "FROM debian:12\nRUN apt-get install -y gcc make && apt-mark auto '.*' && apt-mark manual gcc && apt-get purge -y --auto-remove\n", "2:5 WS004"},
      {"installed after the purge", "FROM debian:12\nRUN apt-mark auto '.*' && apt-get purge -y --auto-remove && apt-get install -y gcc\n", "2:61 WS004"},
  });
}

TEST(RulesTest, WS005) {
  RunAppTable("WS005", {
      {"python", "FROM python:3.12\n", "1:6 WS005"},
      {"python slim", "FROM python:3.12-slim\n", ""},
      {"builder full, final slim", "FROM python:3.12 AS b\nRUN pip wheel -w /w x\nFROM python:3.12-slim\nCOPY --from=b /w /w\n", ""},
      {"final stage FROM builder chain", "FROM node:20 AS base\nFROM base\n", "1:6 WS005"},
      {"not official", "FROM myorg/python:3.12\n", ""},
      {"golang", "FROM golang:1.22\n", "1:6 WS005"},
      // buildpack-deps' curl and scm variants hold no compiler.
      {"buildpack-deps curl", "FROM buildpack-deps:bookworm-curl\n", ""},
      {"buildpack-deps scm", "FROM buildpack-deps:noble-scm\n", ""},
      {"buildpack-deps bare curl", "FROM buildpack-deps:curl\n", ""},
      {"buildpack-deps full", "FROM buildpack-deps:bookworm\n", "1:6 WS005"},
  });
}

TEST(RulesTest, WS005Messages) {
  auto msg = [](const char* base) {
    std::string text = std::string(base) + "COPY . /app\n";
    auto df = ParseDockerfile(text, "Dockerfile");
    EXPECT_TRUE(df.has_value());
    auto f = LintParsed(*df, LintOptions(), ContextFacts());
    for (const Finding& x : *f) {
      if (x.code == "WS005") return x.message;
    }
    return std::string();
  };
  EXPECT_NE(msg("FROM python:3.12\n").find("python:3.12-slim,"), std::string::npos);
  EXPECT_NE(msg("FROM python:3.12-bookworm\n").find("python:3.12-slim-bookworm,"), std::string::npos);
  EXPECT_NE(msg("FROM node:20-bookworm\n").find("node:20-bookworm-slim,"), std::string::npos);
  EXPECT_NE(msg("FROM python\n").find("python:slim,"), std::string::npos);
  EXPECT_NE(msg("FROM buildpack-deps:bullseye\n").find("debian:bullseye-slim"), std::string::npos);
  // Ubuntu-based buildpack-deps: ubuntu has no -slim tag.
  EXPECT_NE(msg("FROM buildpack-deps:jammy\n").find("ship on ubuntu:jammy,"), std::string::npos);
  EXPECT_EQ(msg("FROM buildpack-deps:noble\n").find("debian:"), std::string::npos);
  EXPECT_EQ(msg("FROM buildpack-deps:noble\n").find("-slim"), std::string::npos);
  // Untagged follows Debian stable, whatever its codename is today.
  EXPECT_NE(msg("FROM buildpack-deps\n").find("ship on debian:stable-slim,"), std::string::npos);
  EXPECT_NE(msg("FROM buildpack-deps:sid\n").find("ship on debian:sid-slim,"), std::string::npos);
  // perl's slim tags put "slim" before "threaded": 5.40-slim-threaded, not 5.40-threaded-slim.
  EXPECT_NE(msg("FROM perl:5.40-threaded\n").find("perl:5.40-slim-threaded,"), std::string::npos);
  EXPECT_NE(msg("FROM perl:5.40-threaded-bookworm\n").find("perl:5.40-slim-threaded-bookworm,"), std::string::npos);
  EXPECT_NE(msg("FROM perl:threaded\n").find("perl:slim-threaded,"), std::string::npos);
}

TEST(RulesTest, WS006) {
  RunTable("WS006", {
      {"bad", "FROM python:3.12-alpine\nRUN pip install --no-cache-dir numpy==1.26.4\n", "2:5 WS006"},
      {"pure python", "FROM python:3.12-alpine\nRUN pip install --no-cache-dir flask\n", ""},
      {"slim", "FROM python:3.12-slim\nRUN pip install --no-cache-dir numpy\n", ""},
      {"requirements file: cannot tell", "FROM python:3.12-alpine\nRUN pip install --no-cache-dir -r requirements.txt\n", ""},
  });
}

TEST(RulesTest, WS007) {
  const char* kCopyAll = "FROM debian:12\nWORKDIR /app\nCOPY . .\n";
  ContextFacts none;
  none.known = true;
  ContextFacts no_git;
  no_git.known = true;
  no_git.dockerignore = "ctx/.dockerignore";
  ContextFacts good = no_git;
  good.excludes_git = true;
  EXPECT_EQ(Lint(kCopyAll, "WS007", "", none), "3:1 WS007");
  EXPECT_EQ(Lint(kCopyAll, "WS007", "", no_git), "3:1 WS007");
  EXPECT_EQ(Lint(kCopyAll, "WS007", "", good), "");
  EXPECT_EQ(Lint(kCopyAll, "WS007", "", ContextFacts()), "");  // context unknown
  EXPECT_EQ(Lint("FROM debian:12\nCOPY src/ /app/\n", "WS007", "", none), "");
  EXPECT_EQ(Lint("FROM debian:12 AS b\nCOPY . .\nFROM debian:12\nCOPY --from=b /app /app\n", "WS007", "", none), "");
}

TEST(RulesTest, WS008) {
  RunTable("WS008", {
      {"bad", "FROM debian:12\nADD https://example.com/tool-1.2.tar.gz /tmp/\nRUN tar -xzf /tmp/tool-1.2.tar.gz -C /opt\n", "2:1 WS008"},
      {"old-style tar", "FROM debian:12\nADD https://example.com/t.tgz /tmp/t.tgz\nRUN cd /tmp && tar xzf t.tgz\n", "2:1 WS008"},
      {"good curl | tar", "FROM debian:12\nRUN curl -fsSL https://example.com/t.tgz | tar -xz -C /opt\n", ""},
      {"not extracted", "FROM debian:12\nADD https://example.com/t.tgz /tmp/t.tgz\n", ""},
      {"not an archive", "FROM debian:12\nADD https://example.com/tool /usr/local/bin/tool\nRUN chmod +x /usr/local/bin/tool\n", ""},
  });
}

// BuildKit refuses a file with an instruction it does not know (a typo, a
// template placeholder never rendered), in any stage.
TEST(RulesTest, WS009) {
  RunTable("WS009", {
      {"typo", "FROM debian:12\nFOO bar\n", "2:1 WS009"},
      {"template placeholder", "FROM debian:12\n{{ .Packages }}\nRUN echo hi\n", "2:1 WS009"},
      {"unused stage", "FROM debian:12 AS unused\nRUNN echo\nFROM debian:12\n", "2:1 WS009"},
      {"before FROM", "FOO bar\nFROM debian:12\n", "1:1 WS009"},
      {"known keywords in any case", "from debian:12\nrun echo hi\nMaintainer me\n", ""},
  });
}

TEST(RulesTest, TargetSelectsShippingStages) {
  const char* kTwo = "FROM debian:12 AS a\nRUN apt-get update && apt-get install -y x\nFROM debian:12 AS b\nRUN echo\n";
  EXPECT_EQ(Lint(kTwo, "DL3009"), "");
  EXPECT_EQ(Lint(kTwo, "DL3009", "a"), "2:5 DL3009");
  EXPECT_EQ(Lint(kTwo, "DL3009", "0"), "2:5 DL3009");
  EXPECT_EQ(Lint(kTwo, "DL3009", "nope"), "error: Dockerfile: target stage 'nope' not found");
}

TEST(RulesTest, ConfigIgnoreOverrideAndPragmas) {
  const char* kText =
      "FROM debian:12\n"
      "# hadolint ignore=DL3009\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends x\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends y && rm -rf /var/lib/apt/lists/* && a\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends z\n";
  EXPECT_EQ(Lint(kText, "DL3009"), "5:5 DL3009");
  LintConfig ign;
  ign.ignored.insert("DL3009");
  EXPECT_EQ(Lint(kText, "DL3009", "", ContextFacts(), ign), "");
  EXPECT_EQ(Lint(std::string("# whittle global ignore=DL3009\n") + kText, "DL3009"), "");

  auto df = ParseDockerfile(kText, "Dockerfile");
  ASSERT_TRUE(df.has_value());
  LintOptions opt;
  opt.config.overrides["DL3009"] = Severity::kError;
  auto f = LintParsed(*df, opt, ContextFacts());
  ASSERT_TRUE(f.has_value());
  bool seen = false;
  for (const Finding& x : *f) {
    if (x.code == "DL3009") {
      EXPECT_EQ(x.severity, Severity::kError);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

TEST(RulesTest, EveryRuleHasDocs) {
  // docs/rules.md documents every id with a bad and a good example.
  auto read = ReadFileToString(WHITTLE_SOURCE_DIR "/docs/rules.md", 1 << 20);
  ASSERT_TRUE(read.has_value()) << read.error().message();
  const std::string& doc = *read;
  for (const Rule& r : AllRules()) {
    std::string head = std::string("## ") + r.code;
    size_t at = doc.find(head);
    ASSERT_NE(at, std::string::npos) << r.code;
    size_t next = doc.find("\n## ", at + 1);
    std::string section = doc.substr(at, next == std::string::npos ? std::string::npos : next - at);
    EXPECT_NE(section.find("Bad:"), std::string::npos) << r.code;
    EXPECT_NE(section.find("Good:"), std::string::npos) << r.code;
  }
}

}  // namespace
}  // namespace whittle::lint
