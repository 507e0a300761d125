#include "fix/multistage.h"

#include <gtest/gtest.h>

#include "lint/dockerfile_parser.h"

namespace whittle::fix {
namespace {

std::vector<MultistageProposal> Propose(const std::string& text) {
  auto df = lint::ParseDockerfile(text, "Dockerfile");
  EXPECT_TRUE(df.has_value());
  auto ctx = lint::RuleContext::Build(*df, "", lint::ContextFacts());
  EXPECT_TRUE(ctx.has_value());
  return ProposeMultistage(*ctx);
}

std::string Kinds(const std::vector<MultistageProposal>& ps) {
  std::string out;
  for (const auto& p : ps) out += p.kind + "@" + std::to_string(p.line) + " ";
  return out;
}

TEST(Multistage, Cases) {
  struct Case {
    const char* name;
    const char* dockerfile;
    const char* want;
  };
  const Case kCases[] = {
      {"python with a toolchain",
       "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev\nCOPY req.txt .\n"
       "RUN pip install -r req.txt\n",
       "python-wheels@4 "},
      {"python on a full image", "FROM python:3.12\nRUN pip install numpy\n", "python-wheels@2 "},
      {"python, slim, no toolchain: nothing to leave behind", "FROM python:3.12-slim\nRUN pip install flask\n", ""},
      {"go", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/server ./cmd/server\n", "go-static@4 "},
      {"node", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n", "node-prod-deps@4 "},
      {"node production only", "FROM node:20-slim\nCOPY . .\nRUN npm ci --omit=dev\n", ""},
      {"c build", "FROM debian:12\nRUN apt-get update && apt-get install -y build-essential\nCOPY . /src\n"
                  "RUN cd /src && make\n",
       "c-build@4 "},
      {"already multi-stage",
       "FROM golang:1.22 AS b\nRUN go build -o /x .\nFROM debian:12\nCOPY --from=b /x /x\nRUN pip install y\n", ""},
  };
  for (const Case& c : kCases) EXPECT_EQ(Kinds(Propose(c.dockerfile)), c.want) << c.name;
}

TEST(Multistage, SketchUsesTheDockerfilesOwnFacts) {
  auto ps = Propose(
      "FROM python:3.12\nRUN apt-get update\nRUN apt-get install -y build-essential\nWORKDIR /app\nCOPY . /app\n"
      "RUN pip install --break-system-packages --no-index /app\n");
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].sketch,
            "FROM python:3.12 AS build\n"
            "RUN apt-get update\n"
            "RUN apt-get install -y build-essential\n"
            "WORKDIR /app\n"
            "COPY . /app\n"
            "RUN pip wheel --no-cache-dir --wheel-dir /wheels --no-index /app\n"
            "\n"
            "FROM python:3.12-slim\n"
            "COPY --from=build /wheels /wheels\n"
            "RUN pip install --no-cache-dir --no-index --break-system-packages /wheels/*.whl && rm -rf /wheels\n"
            "# ...then the rest of the stage, without the toolchain and the pip install\n");
  std::string text = FormatProposals(ps, "Dockerfile");
  EXPECT_EQ(text.rfind("PROPOSALS, NOT APPLIED", 0), 0u) << text;
  EXPECT_NE(text.find("\nDockerfile:6: python-wheels: "), std::string::npos) << text;
  EXPECT_NE(text.find("\n    FROM python:3.12-slim\n"), std::string::npos) << text;
  EXPECT_NE(FormatProposals({}, "Dockerfile").find("no multi-stage proposal"), std::string::npos);
}

TEST(Multistage, GoSketch) {
  auto ps = Propose("FROM golang:1.22\nCOPY . .\nRUN go build -o /bin/server ./cmd/server\n");
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].sketch,
            "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
            "RUN CGO_ENABLED=0 go build -trimpath -ldflags=\"-s -w\" -o /out/server ./cmd/server\n\n"
            "FROM gcr.io/distroless/static-debian12:nonroot\n"
            "# or FROM scratch; with cgo use gcr.io/distroless/base-debian12\n"
            "COPY --from=build /out/server /server\nENTRYPOINT [\"/server\"]\n");
}

}  // namespace
}  // namespace whittle::fix
