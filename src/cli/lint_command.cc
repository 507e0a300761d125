// `whittle lint [OPTION]... FILE...`: lint Dockerfiles for size and layer
// anti-patterns (rules in docs/rules.md). Every file is linted even when
// an earlier one fails to parse; parse errors print "FILE:LINE: message".
// Exit: 0 no finding reaches the failure threshold, 1 one does, 2 a usage
// or configuration error, or a file that cannot be read or parsed.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"
#include "lint/ast_dump.h"
#include "lint/dockerfile_parser.h"
#include "lint/lint_config.h"
#include "lint/linter.h"
#include "lint/output.h"
#include "util/strings.h"

#ifndef WHITTLE_VERSION
#define WHITTLE_VERSION "0.1.0"
#endif

namespace whittle {
namespace {

const char kUsage[] =
    "usage: whittle lint [OPTION]... FILE...\n"
    "Lint Dockerfiles for image size and layer anti-patterns ('-' reads stdin).\n\n"
    "  --format FMT             tty (default), json, sarif, junit, checkstyle\n"
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

int Usage(const Status& st) {
  PrintError(st);
  std::fputs("Try 'whittle lint --help'.\n", stderr);
  return static_cast<int>(ExitCode::kError);
}

void WriteOut(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

Status ReadAll(const std::string& path, std::string* out) {
  FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error(Errc::kNotFound, path + ": cannot open");
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (out->size() + n > lint::kMaxDockerfileBytes) {
      if (f != stdin) std::fclose(f);
      return Error(Errc::kTooLarge, path + ": file too large");
    }
    out->append(buf, n);
  }
  if (f != stdin) std::fclose(f);
  return Status::Ok();
}

int DumpAsts(const std::vector<std::string>& files) {
  int rc = 0;
  for (const std::string& path : files) {
    std::string text;
    Status st = ReadAll(path, &text);
    if (!st.ok()) {
      PrintError(st);
      rc = 2;
      continue;
    }
    auto df = lint::ParseDockerfile(text, path);
    if (!df.has_value()) {
      PrintError(df.error());
      rc = 2;
      continue;
    }
    WriteOut(lint::DumpAst(*df) + "\n");
  }
  return rc;
}

}  // namespace

int RunLint(const Args& args) {
  ArgParser p(args);
  std::vector<std::string> files;
  std::string format = "tty", config_path, threshold, target, context;
  std::vector<std::string> ignores;
  bool no_color = false, dump_ast = false, after_dashes = false;
  while (!p.Done()) {
    std::string v;
    if (p.TryDoubleDash()) {
      after_dashes = true;
      break;
    }
    if (p.TryFlag("--help", "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (p.TryFlag("--json")) {
      format = "json";
    } else if (p.TryFlag("--no-color") || p.TryFlag("--no-colour")) {
      no_color = true;
    } else if (p.TryFlag("--dump-ast")) {
      dump_ast = true;
    } else if (p.TryOption("--format", "-f", &v)) {
      format = v;
    } else if (p.TryOption("--config", "-c", &v)) {
      config_path = v;
    } else if (p.TryOption("--failure-threshold", "-t", &v)) {
      threshold = v;
    } else if (p.TryOption("--ignore", nullptr, &v)) {
      ignores.push_back(v);
    } else if (p.TryOption("--target", nullptr, &v)) {
      target = v;
    } else if (p.TryOption("--context", nullptr, &v)) {
      context = v;
    } else if (p.TryPositional(&v)) {
      files.push_back(v);
    } else {
      return Usage(Error(Errc::kUsage, "lint: unknown option '" + p.Current() + "'"));
    }
    if (!p.error().ok()) return Usage(p.error());
  }
  // Everything after "--" is a file name, even if it starts with '-'.
  if (after_dashes) {
    bool seen = false;
    for (const std::string& a : args) {
      if (seen) files.push_back(a);
      if (a == "--" && !seen) seen = true;
    }
  }
  if (files.empty()) return Usage(Error(Errc::kUsage, "lint: no Dockerfile given"));
  if (dump_ast) return DumpAsts(files);

  auto fmt = ParseOutputFormat(format);
  if (!fmt.has_value()) return Usage(fmt.error());
  if (*fmt == OutputFormat::kCsv || *fmt == OutputFormat::kTsv) {
    return Usage(Error(Errc::kUsage, "lint: --format " + format + " is not available (tty, json, sarif, junit, checkstyle)"));
  }

  lint::LintOptions opt;
  auto cfg = config_path.empty() ? lint::DiscoverLintConfig(".") : lint::LoadLintConfig(config_path);
  if (!cfg.has_value()) {
    PrintError(cfg.error());
    return static_cast<int>(ExitCode::kError);
  }
  opt.config = std::move(*cfg);
  for (const std::string& id : ignores) opt.config.ignored.insert(id);
  if (!threshold.empty()) {
    auto sev = lint::ParseSeverity(threshold);
    if (!sev) {
      return Usage(Error(Errc::kUsage, "lint: --failure-threshold: expected error, warning, info, style or none, got '" +
                                           threshold + "'"));
    }
    opt.config.failure_threshold = *sev;
  }
  opt.target = target;
  opt.context_dir = context;

  bool failed_file = false;
  bool reaches = false;
  if (*fmt == OutputFormat::kTty || *fmt == OutputFormat::kJson) {
    // Streamed: each file's findings are printed as soon as it is linted,
    // so memory stays flat however many files one call names. The JSON
    // array is written element by element; its bytes equal FormatJson's.
    const bool json = *fmt == OutputFormat::kJson;
    const bool color = !no_color && UseColor();
    bool first = true;
    if (json) WriteOut("[");
    for (const std::string& f : files) {
      std::vector<lint::FileReport> one;
      one.push_back(lint::LintFile(f, opt));
      const lint::FileReport& r = one.back();
      if (!r.error.ok()) failed_file = true;
      if (lint::AnyReaches(one, opt.config.failure_threshold)) reaches = true;
      if (json) {
        std::string s = lint::FormatJson(one);  // "[...]\n"
        std::string body = s.size() >= 3 ? s.substr(1, s.size() - 3) : std::string();
        if (!body.empty()) {
          if (!first) WriteOut(",");
          WriteOut(body);
          first = false;
        }
      } else if (!r.error.ok()) {
        // Findings on stdout; files that failed go to stderr, so a pipe of
        // findings stays clean.
        std::fflush(stdout);
        PrintError(r.error);
      } else {
        WriteOut(lint::FormatTty(one, color));
      }
    }
    if (json) WriteOut("]\n");
  } else {
    // SARIF, JUnit and Checkstyle are single documents with per-file
    // groupings and totals up front: they hold all findings (not the texts).
    std::vector<lint::FileReport> reports;
    reports.reserve(files.size());
    for (const std::string& f : files) {
      reports.push_back(lint::LintFile(f, opt));
      if (!reports.back().error.ok()) failed_file = true;
    }
    reaches = lint::AnyReaches(reports, opt.config.failure_threshold);
    switch (*fmt) {
      case OutputFormat::kSarif: WriteOut(lint::FormatSarif(reports, WHITTLE_VERSION)); break;
      case OutputFormat::kJunit: WriteOut(lint::FormatJunit(reports)); break;
      default: WriteOut(lint::FormatCheckstyle(reports)); break;
    }
  }
  std::fflush(stdout);
  if (failed_file) return static_cast<int>(ExitCode::kError);
  return reaches ? static_cast<int>(ExitCode::kCheckFailed) : static_cast<int>(ExitCode::kOk);
}

}  // namespace whittle
