// `whittle lint [OPTION]... FILE...`: lint Dockerfiles for size and layer
// anti-patterns (rules in docs/rules.md). Every file is linted even when
// an earlier one fails to parse; parse errors print "FILE:LINE: message".
// Exit: 0 no finding reaches the failure threshold, 1 one does, 2 a usage
// or configuration error, or a file that cannot be read or parsed.
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "lint/ast_dump.h"
#include "lint/dockerfile_parser.h"
#include "lint/lint_config.h"
#include "lint/linter.h"
#include "lint/output.h"
#include "util/file_util.h"
#include "util/version.h"

namespace whittle {

const char kLintUsage[] =
    "usage: whittle lint [OPTION]... FILE...\n"
    "Lint Dockerfiles for image size and layer anti-patterns ('-' reads stdin).\n\n"
    "  --format FMT             tty (default), json, sarif, junit, checkstyle,\n"
    "                           codequality (GitLab)\n"
    "  --json                   same as --format json\n"
    "  -c, --config FILE        .whittle.yaml (lint: section) or .hadolint.yaml;\n"
    "                           default ./.whittle.yaml, then ./.hadolint.yaml\n"
    "  --failure-threshold LVL  error|warning|info|style|none (default info)\n"
    "  --ignore RULE            do not run RULE (repeatable)\n"
    "  --target STAGE           the stage being built (default: the last one)\n"
    "  --context DIR            build context for the .dockerignore lookup\n"
    "                           (default: the Dockerfile's directory)\n"
    "  --no-color               never colour the output\n"
    "  --dump-ast               print BuildKit's AST dump of each file instead\n"
    "Exit status: 0 clean, 1 a finding reached the threshold, 2 error.\n";

namespace {

class LintVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions&) override {
    flags.Alias("-f", "--format");
    flags.String("--config", "-c", &config_path_);
    flags.Value("--failure-threshold", "-t", [this](const std::string& v) { return SetThreshold(v); });
    flags.Append("--ignore", nullptr, &ignores_);
    flags.String("--target", nullptr, &options_.target);
    flags.String("--context", nullptr, &options_.context_dir);
    flags.Bool("--no-color", nullptr, &no_color_);
    flags.Bool("--no-colour", nullptr, &no_color_);
    flags.Bool("--dump-ast", nullptr, &dump_ast_);
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    if (dump_ast_) return DumpAsts(ctx);
    auto cfg = config_path_.empty() ? lint::DiscoverLintConfig(".") : lint::LoadLintConfig(config_path_);
    if (!cfg) return cfg.error();
    options_.config = std::move(*cfg);
    for (const std::string& id : ignores_) options_.config.ignored.insert(id);
    if (threshold_) options_.config.failure_threshold = *threshold_;
    const bool streamed = ctx.format == OutputFormat::kTty || ctx.format == OutputFormat::kJson;
    Status failed = streamed ? Stream(ctx) : Document(ctx);
    ctx.console.Flush();
    if (!failed.ok()) return ExitCodeFor(failed);
    return reaches_ ? ExitCode::kCheckFailed : ExitCode::kOk;
  }

 private:
  Status SetThreshold(const std::string& v) {
    auto sev = lint::ParseSeverity(v);
    if (!sev) {
      return Error(Errc::kUsage, "--failure-threshold: expected error, warning, info, style or none, got '" + v + "'");
    }
    threshold_ = *sev;
    return Status::Ok();
  }

  // tty and json are streamed: each file's findings are printed as soon as
  // it is linted, so memory stays flat however many files one call names.
  // Returns the first file's error (read or parse), if any.
  Status Stream(VerbContext& ctx) {
    const bool json = ctx.format == OutputFormat::kJson;
    const bool color = !no_color_ && ctx.console.color();
    Status first_error;
    lint::JsonStream stream;
    if (json) ctx.Write(stream.Begin());
    for (const std::string& f : ctx.files) {
      std::vector<lint::FileReport> one{lint::LintFile(f, options_)};
      if (lint::AnyReaches(one, options_.config.failure_threshold)) reaches_ = true;
      const Status& error = one[0].error;
      if (!error.ok() && first_error.ok()) first_error = error;
      if (json) {
        ctx.Write(stream.Add(one[0]));
      } else if (!error.ok()) {
        // Findings on stdout; files that failed go to stderr, so a pipe of
        // findings stays clean.
        ctx.console.Flush();
        ctx.console.Error(error);
      } else {
        ctx.Write(lint::FormatTty(one, color));
      }
    }
    if (json) ctx.Write(stream.End());
    return first_error;
  }

  // SARIF, JUnit, Checkstyle and code quality are single documents with per-file
  // groupings and totals up front: they hold all findings (not the texts).
  Status Document(VerbContext& ctx) {
    std::vector<lint::FileReport> reports;
    reports.reserve(ctx.files.size());
    Status first_error;
    for (const std::string& f : ctx.files) {
      reports.push_back(lint::LintFile(f, options_));
      if (!reports.back().error.ok() && first_error.ok()) first_error = reports.back().error;
    }
    reaches_ = lint::AnyReaches(reports, options_.config.failure_threshold);
    switch (ctx.format) {
      case OutputFormat::kSarif:
        ctx.Write(lint::FormatSarif(reports, WhittleVersion()));
        break;
      case OutputFormat::kJunit:
        ctx.Write(lint::FormatJunit(reports));
        break;
      case OutputFormat::kCodeQuality:
        ctx.Write(lint::FormatCodeQuality(reports));
        break;
      default:
        ctx.Write(lint::FormatCheckstyle(reports));
        break;
    }
    return first_error;
  }

  // --dump-ast: BuildKit's dump of each file; a file that cannot be read or
  // parsed is reported and the others still print.
  Result<ExitCode> DumpAsts(VerbContext& ctx) {
    Status first_error;
    for (const std::string& path : ctx.files) {
      auto text = ReadFileToString(path, lint::kMaxDockerfileBytes);
      auto df = text ? lint::ParseDockerfile(*text, path) : Result<lint::Dockerfile>(text.error());
      if (!df) {
        ctx.console.Error(df.error());
        if (first_error.ok()) first_error = df.error();
        continue;
      }
      ctx.Write(lint::DumpAst(*df) + "\n");
    }
    return ExitCodeFor(first_error);
  }

  std::string config_path_;
  std::vector<std::string> ignores_;
  std::optional<lint::Severity> threshold_;
  lint::LintOptions options_;
  bool no_color_ = false;
  bool dump_ast_ = false;
  bool reaches_ = false;  // a finding reached the failure threshold
};

}  // namespace

std::unique_ptr<Verb> NewLintVerb() { return MakeVerb<LintVerb>(); }

}  // namespace whittle
