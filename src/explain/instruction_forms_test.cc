#include "explain/instruction_forms.h"

#include <gtest/gtest.h>

#include "lint/dockerfile_parser.h"

namespace whittle::explain {
namespace {

using lint::InstructionKind;

// Compares |created_by| with the last instruction of |dockerfile|, with the
// build state walked from the (only) stage's FROM.
EntryScore CompareLast(const std::string& dockerfile, const std::string& created_by, const std::string& comment = "") {
  auto df = lint::ParseDockerfile(dockerfile, "Dockerfile");
  EXPECT_TRUE(df.has_value()) << df.error().message();
  if (!df.has_value()) return EntryScore();
  BuildState state;
  state.global_args = &df->global_args;
  if (df->stages.front().image == "scratch") state.workdir = "/";
  for (size_t i = 1; i + 1 < df->instructions.size(); ++i) state.Apply(df->instructions[i]);
  InstructionForms forms(df->instructions.back(), state);
  HistoryEntry e;
  e.created_by = created_by;
  e.comment = comment;
  return forms.Compare(ParseCreatedBy(e));
}

struct Case {
  const char* dockerfile;
  const char* created_by;
  MatchConfidence want;
};

constexpr MatchConfidence kExact = MatchConfidence::kExact;
constexpr MatchConfidence kNormalized = MatchConfidence::kNormalized;
constexpr MatchConfidence kPositional = MatchConfidence::kPositional;
constexpr MatchConfidence kNone = MatchConfidence::kNone;

// The created_by strings follow the forms real builders wrote
// (tests/data/explain/README.md); many rows are copied from those images,
// others put other arguments in the same form.
const Case kCases[] = {
    // RUN: shell, build-arg prefix, SHELL, continuation, exec form.
    {"FROM x\nRUN apt-get update\n", "/bin/sh -c apt-get update", kExact},
    {"FROM x\nRUN apt-get update\n", "RUN /bin/sh -c apt-get update # buildkit", kExact},
    {"FROM x\nRUN apt-get update\n", "RUN apt-get update", kExact},  // kaniko
    {"FROM x\nRUN apt-get update\n", "RUN /bin/sh -c apt-get upgrade # buildkit", kPositional},
    {"FROM x\nARG A=1\nRUN make\n", "RUN |1 A=1 /bin/sh -c make # buildkit", kExact},
    {"FROM x\nARG A=1\nRUN make\n", "|1 A=1 /bin/sh -c make", kExact},
    {"FROM x\nARG A\nRUN make\n", "RUN |1 A=two words /bin/sh -c make # buildkit", kExact},
    {"FROM x\nSHELL [\"/bin/sh\", \"-e\", \"-c\"]\nRUN make\n", "/bin/sh -e -c make", kExact},
    {"FROM x\nSHELL [\"/bin/bash\", \"-c\"]\nRUN make\n", "/bin/sh -c make", kExact},  // buildah ignores SHELL
    {"FROM x\nRUN a \\\n && b\n", "/bin/sh -c a  && b", kExact},
    {"FROM x\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n", "/bin/busybox --install -s /bin", kExact},
    {"FROM x\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n",
     "RUN /bin/busybox --install -s /bin # buildkit", kExact},
    {"FROM x\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n",
     "/bin/sh -c [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]", kExact},
    {"FROM x\nARG A=1\nRUN [\"/bin/true\"]\n", "RUN |1 A=1 /bin/true # buildkit", kExact},
    // A prefix that is neither shell nor build args is not a wrapper.
    {"FROM x\nRUN make\n", "RUN /usr/bin/env make # buildkit", kPositional},
    {"FROM x\nRUN make\n", "/bin/sh -c #(nop)  CMD [\"make\"]", kNone},
    // Heredocs, as BuildKit's dispatchRun runs them (no builder here
    // supports heredocs; the forms follow moby/buildkit convert.go).
    {"FROM x\nRUN <<EOF\necho a\necho b\nEOF\n", "RUN /bin/sh -c echo a\necho b\n # buildkit", kExact},
    {"FROM x\nRUN <<-EOF\n\t#!/bin/sh\n\techo a\n\tEOF\n", "RUN /bin/sh -c /dev/pipes/EOF # buildkit", kExact},
    {"FROM x\nRUN cat <<EOF > /f\nx=1\nEOF\n", "RUN /bin/sh -c cat <<EOF > /f\nx=1\nEOF # buildkit", kExact},
    // COPY/ADD: sources as written (BuildKit, kaniko) or content hashes.
    {"FROM x\nCOPY . /app\n", "COPY . /app # buildkit", kExact},
    {"FROM x\nCOPY . /app\n",
     "/bin/sh -c #(nop) COPY dir:f8f6951da97cd1705db6ba3cad942c8ecbdf550c3c55e590a0e76d232d8754fb in /app ",
     kNormalized},
    {"FROM x\nCOPY . /app\n",
     "/bin/sh -c #(nop) COPY dir:f8f6951da97cd1705db6ba3cad942c8ecbdf550c3c55e590a0e76d232d8754fb in /srv ",
     kPositional},
    {"FROM x\nCOPY . /app\n", "ADD . /app # buildkit", kNone},
    {"FROM b AS builder\nFROM x\nCOPY --from=builder /install/usr/local /usr/local\n",
     "COPY /install/usr/local /usr/local # buildkit", kExact},
    {"FROM x\nCOPY a /app/\n", "COPY b /app/ # buildkit", kPositional},
    {"FROM x\nCOPY [\"app/index.html\", \"/srv/exec-form.html\"]\n",
     "COPY app/index.html /srv/exec-form.html # buildkit", kExact},
    {"FROM x\nENV D=/srv\nCOPY a $D/css/\n", "COPY a /srv/css/ # buildkit", kNormalized},
    {"FROM x\nENV D=/srv\nCOPY a $D/css/\n",
     "/bin/sh -c #(nop) COPY file:1de4a34e76a75eb4e0625c1c3dee5a2a612305f9ac5cd5671ea03e45bc51b634 in /srv/css/ ",
     kNormalized},
    {"FROM x\nCOPY app/index.html app/site.css static2/\n",
     "/bin/sh -c #(nop) COPY multi:7644d9e2094bc47e453f344a4bbed2b0d77d21c8dc4d420aa803bc8e71df5a01 in static2/ ",
     kNormalized},
    {"FROM scratch\nWORKDIR /w\nCOPY a b sub/\n",
     "/bin/sh -c #(nop) COPY multi:7644d9e2094bc47e453f344a4bbed2b0d77d21c8dc4d420aa803bc8e71df5a01 in /w/sub ",
     kNormalized},
    {"FROM x\nADD http://127.0.0.1:18080/remote.txt /srv/remote.txt\n",
     "/bin/sh -e -c #(nop) ADD 912d227af754e81bb00be316696b43b2e76b93bcb315a7e0ed390148e811e27b in /srv/remote.txt ",
     kNormalized},
    {"FROM x\nCOPY <<EOF /app/notes.txt\nnotes\nEOF\n", "COPY <<EOF /app/notes.txt # buildkit", kExact},
    // ENV / LABEL / ARG.
    {"FROM x\nENV PYTHONUNBUFFERED=1 PORT=8080\n", "ENV PYTHONUNBUFFERED=1 PORT=8080", kExact},
    {"FROM x\nLABEL a=\"history test\" b=c\n", "LABEL a=history test b=c", kExact},
    {"FROM x\nLABEL a=\"history test\" b=c\n", "/bin/sh -c #(nop) LABEL a=\"history test\" b=c", kExact},
    {"FROM x\nLABEL corpus.variant=\"slim\"\n", "LABEL corpus.variant=naive", kPositional},
    {"FROM x\nENV legacy value with spaces\n", "ENV legacy=value with spaces", kExact},
    {"FROM x\nARG V=1\nENV P=/opt/$V\n", "ENV P=/opt/1", kNormalized},
    {"FROM x\nARG FLAVOR\n", "ARG FLAVOR", kExact},
    {"FROM x\nARG VERSION=1.2.3\n", "/bin/sh -c #(nop)  ARG VERSION=1.2.3", kExact},
    {"FROM x\nARG FLAVOR\n", "/bin/sh -c #(nop) ARG FLAVOR VERSION", kNormalized},  // buildah: names so far
    {"FROM x\nARG OTHER\n", "/bin/sh -c #(nop) ARG FLAVOR VERSION", kPositional},
    // CMD / ENTRYPOINT / HEALTHCHECK / VOLUME / SHELL.
    {"FROM x\nCMD [\"driftwood\"]\n", "CMD [\"driftwood\"]", kExact},
    {"FROM x\nCMD [\"python3\", \"-m\", \"x\"]\n", "CMD [\"python3\" \"-m\" \"x\"]", kExact},
    {"FROM x\nCMD echo \"ready\"\n", "CMD [\"/bin/sh\" \"-c\" \"echo \\\"ready\\\"\"]", kExact},
    {"FROM x\nCMD echo \"ready\"\n", "/bin/sh -c #(nop) CMD echo \"ready\"", kExact},
    {"FROM x\nCMD [\"driftwood\"]\n", "CMD [\"python3\"]", kPositional},
    {"FROM x\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\n", "ENTRYPOINT [\"/usr/bin/tini\" \"--\"]", kExact},
    {"FROM x\nHEALTHCHECK --interval=5s CMD [\"/bin/true\"]\n",
     "HEALTHCHECK &{[\"CMD\" \"/bin/true\"] \"5s\" \"0s\" \"0s\" '\\x00'}", kExact},
    {"FROM x\nHEALTHCHECK --interval=30s CMD python3 -c \"print('[ok]')\"\n",
     "HEALTHCHECK &{[\"CMD-SHELL\" \"python3 -c \\\"print('[ok]')\\\"\"] \"30s\" \"0s\" \"0s\" '\\x00'}", kExact},
    {"FROM x\nHEALTHCHECK --interval=5s CMD [\"/bin/true\"]\n",
     "/bin/sh -c #(nop) HEALTHCHECK --interval=5s CMD [\"/bin/true\"]", kExact},
    {"FROM x\nHEALTHCHECK NONE\n", "HEALTHCHECK &{[\"NONE\"] \"0s\" \"0s\" \"0s\" '\\x00'}", kExact},
    {"FROM x\nVOLUME [\"/data\"]\n", "VOLUME [/data]", kExact},
    {"FROM x\nVOLUME /a /b\n", "/bin/sh -c #(nop)  VOLUME [/a /b]", kExact},
    {"FROM x\nSHELL [\"/bin/sh\", \"-e\", \"-c\"]\n", "SHELL [/bin/sh -e -c]", kExact},
    // EXPOSE: BuildKit's map, classic's words.
    {"FROM x\nEXPOSE 8080 9090/udp\n", "EXPOSE map[8080/tcp:{} 9090/udp:{}]", kExact},
    {"FROM x\nEXPOSE 9090/udp 8080\n", "/bin/sh -c #(nop)  EXPOSE 8080 9090/udp", kExact},
    {"FROM x\nEXPOSE 8000-8001\n", "EXPOSE map[8000/tcp:{} 8001/tcp:{}]", kExact},
    {"FROM x\nEXPOSE 8080\n", "EXPOSE map[8081/tcp:{}]", kPositional},
    // WORKDIR: as written (buildah) or resolved (BuildKit, classic).
    {"FROM x\nWORKDIR /app\n", "WORKDIR /app", kExact},
    {"FROM scratch\nWORKDIR /srv/app\nWORKDIR conf\n", "WORKDIR /srv/app/conf", kExact},
    {"FROM x\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOME\n", "WORKDIR /srv/app", kNormalized},
    {"FROM x\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOME\n", "/bin/sh -c #(nop) WORKDIR $APP_HOME", kExact},
    {"FROM x\nWORKDIR conf\n", "WORKDIR /usr/src/conf", kNormalized},  // base image's WORKDIR unknown
    {"FROM x\nWORKDIR /app\n", "WORKDIR /src", kPositional},
    // USER / STOPSIGNAL / MAINTAINER / ONBUILD.
    {"FROM x\nUSER 10001\n", "USER 10001", kExact},
    {"FROM x\nARG UID=7\nUSER $UID\n", "USER 7", kNormalized},
    {"FROM x\nSTOPSIGNAL SIGTERM\n", "/bin/sh -c #(nop)  STOPSIGNAL SIGTERM", kExact},
    {"FROM x\nMAINTAINER a@b.c\n", "MAINTAINER a@b.c", kExact},
    {"FROM x\nONBUILD RUN echo triggered\n", "/bin/sh -c #(nop)  ONBUILD RUN echo triggered", kExact},
};

TEST(InstructionFormsTest, Table) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.dockerfile) + " <- " + c.created_by);
    EntryScore s = CompareLast(c.dockerfile, c.created_by);
    EXPECT_EQ(ConfidenceName(s.confidence), std::string(ConfidenceName(c.want))) << s.reason;
    if (c.want != kNone) {
      EXPECT_FALSE(s.reason.empty());
    }
  }
}

TEST(InstructionFormsTest, PositionalCloseness) {
  // Same destination / same keys make a positional pair "close".
  EXPECT_TRUE(CompareLast("FROM x\nCOPY a /app/\n", "COPY b /app/ # buildkit").close);
  EXPECT_FALSE(CompareLast("FROM x\nCOPY a /app/\n", "COPY a /srv/ # buildkit").close);
  EXPECT_TRUE(CompareLast("FROM x\nLABEL v=\"slim\"\n", "LABEL v=naive").close);
  EXPECT_FALSE(CompareLast("FROM x\nLABEL v=\"slim\"\n", "LABEL w=naive").close);
}

TEST(BuildStateTest, Walk) {
  auto df = lint::ParseDockerfile(
      "ARG G=global\nFROM scratch\nARG G\nARG L=local\nENV E=$L-x\nWORKDIR /a\nWORKDIR b/../c\n"
      "SHELL [\"/bin/bash\", \"-c\"]\nENV E2=$G\n",
      "Dockerfile");
  ASSERT_TRUE(df.has_value()) << df.error().message();
  BuildState s;
  s.global_args = &df->global_args;
  s.workdir = "/";
  for (size_t i = 1; i < df->instructions.size(); ++i) {
    if (df->instructions[i].kind != InstructionKind::kFrom) s.Apply(df->instructions[i]);
  }
  EXPECT_EQ(s.workdir, "/a/c");
  EXPECT_EQ(s.shell, (std::vector<std::string>{"/bin/bash", "-c"}));
  bool complete = false;
  EXPECT_EQ(s.Expand("$E/${E2}", &complete), "local-x/global");
  EXPECT_TRUE(complete);
  EXPECT_EQ(s.Expand("$NOPE", &complete), "");
  EXPECT_FALSE(complete);
}

TEST(NormalizePortsTest, Forms) {
  EXPECT_EQ(NormalizePorts({"8080", "53/UDP", "8080/tcp"}), (std::vector<std::string>{"53/udp", "8080/tcp"}));
  EXPECT_EQ(NormalizePorts({"1-3/udp"}), (std::vector<std::string>{"1/udp", "2/udp", "3/udp"}));
  EXPECT_EQ(NormalizePorts({"1-99999"}), (std::vector<std::string>{"1-99999/tcp"}));  // too wide to expand
}

}  // namespace
}  // namespace whittle::explain
