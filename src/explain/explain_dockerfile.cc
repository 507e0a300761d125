#include "explain/explain_dockerfile.h"

#include <utility>

#include "lint/dockerfile_parser.h"
#include "lint/linter.h"
#include "util/file_util.h"

namespace whittle::explain {

Result<std::unique_ptr<ExplainDockerfile>> ExplainDockerfile::Read(const std::string& path,
                                                                   const std::string& target) {
  std::unique_ptr<ExplainDockerfile> d(new ExplainDockerfile());
  d->path_ = path;
  d->target_ = target;
  ASSIGN_OR_RETURN(d->text_, ReadFileToString(path, lint::kMaxDockerfileBytes));
  ASSIGN_OR_RETURN(d->dockerfile_, lint::ParseDockerfile(d->text_, path));
  lint::LintOptions options;
  options.target = target;
  ASSIGN_OR_RETURN(d->lint_, lint::LintParsed(d->dockerfile_, options, lint::ReadContextFacts(path, "")));
  return d;
}

void ExplainDockerfile::AddTo(ExplainInput* in) const {
  in->dockerfile = &dockerfile_;
  in->dockerfile_path = path_;
  in->lint = lint_;
  in->match.target = target_;
}

}  // namespace whittle::explain
