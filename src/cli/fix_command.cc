// `whittle fix [OPTION]... Dockerfile`: apply the rewrites tied to lint ids
// and print the diff (or write it, check it, or list it as JSON). All the
// work is in src/fix/ (fix/session.h); this file parses the arguments and
// prints the outcome. Exit: 0 ok, 1 --check and a rewrite would apply,
// 2 usage error or unreadable/unparsable input.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/common.h"
#include "fix/rewrite.h"
#include "fix/session.h"
#include "util/strings.h"

namespace whittle {
namespace {

const char kUsage[] =
    "usage: whittle fix [OPTION]... Dockerfile\n"
    "Apply the safe rewrites for lint findings and print a unified diff ('-' reads stdin).\n\n"
    "  --write               edit the Dockerfile in place (keeps Dockerfile.orig)\n"
    "  --check               change nothing; exit 1 if a rewrite would apply\n"
    "  --json                list rewrites, refusals and suggestions as JSON\n"
    "  --rules ID,...        only these rewrites (lint ids, see below)\n"
    "  --ignore ID           not this rewrite (repeatable; also ID,ID)\n"
    "  -c, --config FILE     lint configuration (.whittle.yaml lint: / .hadolint.yaml);\n"
    "                        default ./.whittle.yaml, then ./.hadolint.yaml\n"
    "  --target STAGE        the stage being built (default: the last one)\n"
    "  --context DIR         the build context (default: the Dockerfile's directory)\n"
    "  --dockerignore        suggest a .dockerignore even without COPY . (written to\n"
    "                        Dockerfile.dockerignore.suggested, never to .dockerignore)\n"
    "  --stdout              print the .dockerignore suggestion instead of the diff\n"
    "  --suggest-multistage  print builder/runtime split proposals (never applied)\n\n"
    "Rewrites:\n";

int Usage(const Status& st) {
  PrintError(st);
  std::fputs("Try 'whittle fix --help'.\n", stderr);
  return static_cast<int>(ExitCode::kError);
}

void AddIds(const std::string& list, std::set<std::string>* out) {
  for (std::string_view id : Split(list, ',')) {
    std::string_view t = TrimWhitespace(id);
    if (!t.empty()) out->insert(std::string(t));
  }
}

}  // namespace

int RunFix(const Args& args) {
  ArgParser p(args);
  fix::FixRequest req;
  std::vector<std::string> files;
  bool write = false, check = false, json = false;
  while (!p.Done()) {
    std::string v;
    if (p.TryDoubleDash()) {
      while (!p.Done() && p.TryPositional(&v)) files.push_back(v);
      break;
    }
    if (p.TryFlag("--help", "-h")) {
      std::fputs(kUsage, stdout);
      for (const fix::Rewrite& r : fix::AllRewrites()) std::printf("  %-7s %s\n", r.id, r.summary);
      return 0;
    }
    if (p.TryFlag("--write")) {
      write = true;
    } else if (p.TryFlag("--check")) {
      check = true;
    } else if (p.TryFlag("--json")) {
      json = true;
    } else if (p.TryFlag("--dockerignore")) {
      req.dockerignore = true;
    } else if (p.TryFlag("--stdout")) {
      req.dockerignore_stdout = true;
    } else if (p.TryFlag("--suggest-multistage")) {
      req.suggest_multistage = true;
    } else if (p.TryOption("--rules", nullptr, &v)) {
      AddIds(v, &req.only);
    } else if (p.TryOption("--ignore", nullptr, &v)) {
      AddIds(v, &req.skip);
    } else if (p.TryOption("--config", "-c", &v)) {
      req.config_path = v;
    } else if (p.TryOption("--target", nullptr, &v)) {
      req.target = v;
    } else if (p.TryOption("--context", nullptr, &v)) {
      req.context_dir = v;
    } else if (p.TryPositional(&v)) {
      files.push_back(v);
    } else {
      return Usage(Error(Errc::kUsage, "fix: " + p.UnexpectedMessage()));
    }
    if (!p.error().ok()) return Usage(p.error());
  }
  if (files.size() != 1) return Usage(Error(Errc::kUsage, "fix: expected one Dockerfile"));
  if (write + check + json > 1) return Usage(Error(Errc::kUsage, "fix: --write, --check and --json exclude each other"));
  req.path = files[0];
  req.mode = write ? fix::FixMode::kWrite : check ? fix::FixMode::kCheck : json ? fix::FixMode::kJson : fix::FixMode::kDiff;

  Result<fix::FixOutcome> out = fix::RunFixSession(req);
  if (!out.has_value()) {
    if (out.error().code() == Errc::kUsage) return Usage(out.error());
    PrintError(out.error());
    return static_cast<int>(ExitCode::kError);
  }
  std::fwrite(out->out.data(), 1, out->out.size(), stdout);
  std::fflush(stdout);
  for (const std::string& n : out->notes) PrintError(n);
  return out->exit_code;
}

}  // namespace whittle
