#include "cli/run.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"
#include "cli/common.h"
#include "util/status.h"

#ifndef WHITTLE_VERSION
#define WHITTLE_VERSION "0.1.0"
#endif

namespace whittle {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"profile", "hierarchical size report: layers, paths, files (default verb)", RunProfile},
      {"history", "per-layer sizes against the instruction that made each layer", RunHistory},
      {"waste", "bytes stored but not visible: dive's metrics and the true reclaimable bytes", RunWaste},
      {"ci", "fail a build when the image breaks its size rules (.dive-ci, .whittle.yaml)", RunCi},
      {"lint", "lint Dockerfiles for size and layer anti-patterns", RunLint},
      {"fix", "apply the safe Dockerfile rewrites for lint findings, print the diff", RunFix},
  };
  return kCommands;
}

static void PrintUsage(FILE* out) {
  std::fprintf(out,
               "usage: whittle VERB [OPTION]... ARG...\n"
               "       whittle IMAGE            (same as: whittle profile IMAGE)\n\n"
               "verbs:\n");
  for (const auto& c : Commands()) std::fprintf(out, "  %-9s %s\n", c.name, c.summary);
  std::fprintf(out,
               "\nIMAGE is a path (detected by content) or a skopeo-style reference:\n"
               "  docker-archive:PATH[:NAME:TAG|:@N]  oci:DIR[:REF]  oci-archive:PATH[:REF]  dir:DIR\n\n"
               "Run 'whittle VERB --help' for a verb's options.\n");
}

int Run(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return static_cast<int>(ExitCode::kError);
  }
  std::string verb = argv[1];
  if (verb == "--help" || verb == "-h" || verb == "help") {
    PrintUsage(stdout);
    return 0;
  }
  if (verb == "--version" || verb == "version") {
    std::printf("whittle %s\n", WHITTLE_VERSION);
    return 0;
  }
  Args rest;
  for (int i = 2; i < argc; ++i) rest.emplace_back(argv[i]);
  for (const auto& c : Commands()) {
    if (verb == c.name) return c.run(rest);
  }
  if (!verb.empty() && verb[0] == '-') {
    // Options before a bare image: `whittle -d layers,paths app.tar`.
    Args all;
    for (int i = 1; i < argc; ++i) all.emplace_back(argv[i]);
    return RunProfile(all);
  }
  // A bare image is `profile`.
  Args all;
  for (int i = 1; i < argc; ++i) all.emplace_back(argv[i]);
  return RunProfile(all);
}

}  // namespace whittle
