// `whittle fix [OPTION]... Dockerfile`: apply the rewrites tied to lint ids
// and print the diff (or write it, check it, or list it as JSON). All the
// work is in src/fix/ (fix/session.h); this file declares the options and
// prints the outcome. Exit: 0 ok, 1 --check and a rewrite would apply,
// 2 usage error or unreadable/unparsable input.
#include <set>
#include <string>

#include "cli/commands.h"
#include "fix/rewrite.h"
#include "fix/session.h"
#include "util/strings.h"

namespace whittle {

const char kFixUsage[] =
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

std::string FixUsageMore() {
  std::string out;
  for (const fix::Rewrite& r : fix::AllRewrites()) out += StrFormat("  %-7s %s\n", r.id, r.summary);
  return out;
}

namespace {

void AddIds(const std::string& list, std::set<std::string>* out) {
  for (std::string_view id : Split(list, ',')) {
    std::string_view t = TrimWhitespace(id);
    if (!t.empty()) out->insert(std::string(t));
  }
}

class FixVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions&) override {
    flags.Bool("--write", nullptr, &write_);
    flags.Bool("--check", nullptr, &check_);
    flags.Bool("--dockerignore", nullptr, &req_.dockerignore);
    flags.Bool("--stdout", nullptr, &req_.dockerignore_stdout);
    flags.Bool("--suggest-multistage", nullptr, &req_.suggest_multistage);
    flags.Value("--rules", nullptr, [this](const std::string& v) {
      AddIds(v, &req_.only);
      return Status::Ok();
    });
    flags.Value("--ignore", nullptr, [this](const std::string& v) {
      AddIds(v, &req_.skip);
      return Status::Ok();
    });
    flags.String("--config", "-c", &req_.config_path);
    flags.String("--target", nullptr, &req_.target);
    flags.String("--context", nullptr, &req_.context_dir);
  }

  Status Prepare(VerbContext& ctx) override {
    if (ctx.files.size() != 1) {
      return Error(Errc::kUsage, "fix takes one Dockerfile (see 'whittle fix --help')");
    }
    const bool json = ctx.format == OutputFormat::kJson;
    if (write_ + check_ + json > 1) {
      return Error(Errc::kUsage, "fix: --write, --check and --json exclude each other (see 'whittle fix --help')");
    }
    req_.path = ctx.files[0];
    req_.mode = write_ ? fix::FixMode::kWrite
                : check_ ? fix::FixMode::kCheck
                : json   ? fix::FixMode::kJson
                         : fix::FixMode::kDiff;
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    ASSIGN_OR_RETURN(fix::FixOutcome out, fix::RunFixSession(req_));
    ctx.Write(out.out);
    for (const std::string& n : out.notes) ctx.console.Error(n);  // "whittle: FILE:LINE: ID fixed: ..."
    return static_cast<ExitCode>(out.exit_code);
  }

 private:
  fix::FixRequest req_;
  bool write_ = false, check_ = false;
};

}  // namespace

std::unique_ptr<Verb> NewFixVerb() { return MakeVerb<FixVerb>(); }

}  // namespace whittle
