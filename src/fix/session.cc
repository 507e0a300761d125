#include "fix/session.h"

#include <nlohmann/json.hpp>

#include "fix/dockerignore.h"
#include "fix/multistage.h"
#include "fix/unified_diff.h"
#include "fix/write_back.h"
#include "lint/dockerfile_parser.h"
#include "lint/lint_config.h"
#include "lint/linter.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

std::string DirOf(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return ".";
  return s == 0 ? "/" : p.substr(0, s);
}

nlohmann::json ToJson(const FixResult& r) {
  nlohmann::json rewrites = nlohmann::json::array(), refusals = nlohmann::json::array(),
                 suggestions = nlohmann::json::array();
  for (const AppliedRewrite& a : r.applied) {
    rewrites.push_back({{"id", a.id}, {"line", a.line}, {"summary", a.summary}, {"before", a.before}, {"after", a.after}});
  }
  for (const Refusal& x : r.refusals) refusals.push_back({{"id", x.id}, {"line", x.line}, {"why", x.why}});
  for (const Suggestion& s : r.suggestions) suggestions.push_back({{"id", s.id}, {"line", s.line}, {"text", s.text}});
  return {{"rewrites", rewrites}, {"refusals", refusals}, {"suggestions", suggestions}};
}

}  // namespace

Result<FixOutcome> RunFixSession(const FixRequest& req) {
  if (req.mode == FixMode::kWrite && req.path == "-") {
    return Error(Errc::kUsage, "fix: --write needs a file, not stdin");
  }
  if (req.dockerignore_stdout && req.suggest_multistage && req.mode != FixMode::kJson) {
    return Error(Errc::kUsage, "fix: --stdout and --suggest-multistage both print instead of the diff; pick one");
  }
  RETURN_IF_ERROR(CheckRewriteIds(req.only));
  RETURN_IF_ERROR(CheckRewriteIds(req.skip));

  FixOptions opt;
  auto cfg = req.config_path.empty() ? lint::DiscoverLintConfig(".") : lint::LoadLintConfig(req.config_path);
  if (!cfg.has_value()) return cfg.error();
  opt.lint.config = std::move(*cfg);
  opt.lint.target = req.target;
  opt.lint.context_dir = req.context_dir;
  opt.only = req.only;
  opt.skip = req.skip;

  ASSIGN_OR_RETURN(std::string text, ReadDockerfile(req.path));
  ASSIGN_OR_RETURN(FixResult res, FixText(text, req.path, opt));
  // The original parse, for the context and multi-stage questions.
  ASSIGN_OR_RETURN(lint::Dockerfile df, lint::ParseDockerfile(text, req.path));

  FixOutcome out;
  const std::string diff = UnifiedDiff(text, res.text, req.path == "-" ? "Dockerfile" : req.path);

  std::vector<MultistageProposal> proposals;
  if (req.suggest_multistage) {
    ASSIGN_OR_RETURN(lint::RuleContext ctx, lint::RuleContext::Build(df, req.target, lint::ContextFacts()));
    proposals = ProposeMultistage(ctx);
  }

  // The .dockerignore suggestion: asked for, or COPY . with nothing ignored.
  std::string context = req.context_dir.empty() ? DirOf(req.path) : req.context_dir;
  std::string existing;
  if (req.path != "-" || !req.context_dir.empty()) {
    existing = lint::ReadContextFacts(req.path == "-" ? context + "/Dockerfile" : req.path, req.context_dir).dockerignore;
  }
  bool asked = req.dockerignore || req.dockerignore_stdout;
  bool want_ignore = asked || (req.path != "-" && CopiesWholeContext(df) && existing.empty());
  std::optional<DockerignoreSuggestion> ignore;
  if (want_ignore) {
    ASSIGN_OR_RETURN(DockerignoreSuggestion s, SuggestDockerignore(df, context));
    ignore = std::move(s);
  }
  std::string ignore_path;
  bool write_ignore = ignore && !ignore->entries.empty() && !req.dockerignore_stdout && req.mode != FixMode::kCheck &&
                      req.path != "-";
  if (write_ignore) ignore_path = SuggestedDockerignorePath(req.path);

  // Writes: the Dockerfile first (with .orig), then the suggestion.
  if (req.mode == FixMode::kWrite && res.changed) {
    RETURN_IF_ERROR(WriteFixedDockerfile(req.path, text, res.text));
  }
  if (write_ignore) {
    RETURN_IF_ERROR(WriteFileAtomic(ignore_path, ignore->Text(req.path)));
  }

  if (req.mode == FixMode::kJson) {
    nlohmann::json j = ToJson(res);
    j["file"] = req.path;
    j["changed"] = res.changed;
    j["diff"] = diff;
    if (ignore) {
      nlohmann::json entries = nlohmann::json::array();
      for (const DockerignoreEntry& e : ignore->entries) {
        entries.push_back({{"pattern", e.pattern}, {"category", e.category}, {"bytes", e.bytes}, {"files", e.files}});
      }
      j["dockerignore"] = {{"path", write_ignore ? nlohmann::json(ignore_path) : nlohmann::json(nullptr)},
                           {"contextDir", ignore->context_dir},
                           {"existing", existing.empty() ? nlohmann::json(nullptr) : nlohmann::json(existing)},
                           {"wholeContext", ignore->whole_context},
                           {"truncated", ignore->truncated},
                           {"bytes", ignore->bytes()},
                           {"entries", entries}};
      if (req.dockerignore_stdout) j["dockerignore"]["text"] = ignore->Text(req.path);
    } else {
      j["dockerignore"] = nullptr;
    }
    if (req.suggest_multistage) {
      nlohmann::json ms = nlohmann::json::array();
      for (const MultistageProposal& p : proposals) {
        ms.push_back({{"kind", p.kind}, {"line", p.line}, {"title", p.title}, {"sketch", p.sketch}, {"applied", false}});
      }
      j["multistage"] = ms;
    }
    out.out = j.dump(2) + "\n";
    return out;
  }

  if (req.dockerignore_stdout) {
    out.out = ignore->Text(req.path);
    return out;
  }
  if (req.suggest_multistage) {
    out.out = FormatProposals(proposals, req.path);
    return out;
  }
  // Human notes on stderr.
  const char* verb = req.mode == FixMode::kCheck ? "would fix" : "fixed";
  for (const AppliedRewrite& a : res.applied) {
    out.notes.push_back(StrFormat("%s:%d: %s %s: %s", req.path.c_str(), a.line, a.id.c_str(), verb, a.summary.c_str()));
  }
  for (const Refusal& r : res.refusals) {
    out.notes.push_back(StrFormat("%s:%d: %s not fixed: %s", req.path.c_str(), r.line, r.id.c_str(), r.why.c_str()));
  }
  for (const Suggestion& s : res.suggestions) {
    out.notes.push_back(StrFormat("%s:%d: %s suggestion: %s", req.path.c_str(), s.line, s.id.c_str(), s.text.c_str()));
  }
  if (ignore && ignore->entries.empty()) {
    out.notes.push_back("no .dockerignore suggestion: the build context holds nothing the Dockerfile does not name");
  } else if (ignore) {
    std::string where = write_ignore ? "wrote " + ignore_path : std::string("a .dockerignore would leave out");
    out.notes.push_back(StrFormat("%s: %zu entries, %s the Dockerfile never names", where.c_str(),
                                  ignore->entries.size(), FormatSizeWithUnit(ignore->bytes()).c_str()));
  }
  if (ignore && !existing.empty()) out.notes.push_back(existing + " exists and was not changed");
  if (req.mode == FixMode::kWrite && res.changed) {
    out.notes.push_back(StrFormat("wrote %s (%zu rewrites); the original is %s.orig", req.path.c_str(),
                                  res.applied.size(), req.path.c_str()));
  }

  if (req.mode == FixMode::kDiff) out.out = diff;
  if (req.mode == FixMode::kCheck && res.changed) out.exit_code = 1;
  return out;
}

}  // namespace whittle::fix
