// ExplainDockerfile: the Dockerfile a verb joins to an image (explain
// --dockerfile, report --dockerfile), read, parsed and linted in one step
// so a missing or unparsable file fails before any image is opened.
#ifndef WHITTLE_EXPLAIN_EXPLAIN_DOCKERFILE_H_
#define WHITTLE_EXPLAIN_EXPLAIN_DOCKERFILE_H_

#include <memory>
#include <string>
#include <vector>

#include "explain/explain.h"
#include "lint/ast.h"
#include "lint/rules/rule.h"
#include "util/status.h"

namespace whittle::explain {

/// A Dockerfile read from disk, parsed and linted. It owns the text its
/// parse points into, so it is neither copied nor moved: it lives behind
/// the unique_ptr Read returns.
class ExplainDockerfile {
 public:
  /// Reads |path| (at most lint::kMaxDockerfileBytes), parses it and lints
  /// it for the stage |target| ("" = the last), with the build-context
  /// facts found beside it (.dockerignore). Errors: the file cannot be
  /// read or is too large, it does not parse, or |target| is not a stage.
  static Result<std::unique_ptr<ExplainDockerfile>> Read(const std::string& path, const std::string& target);

  ExplainDockerfile(const ExplainDockerfile&) = delete;
  ExplainDockerfile& operator=(const ExplainDockerfile&) = delete;

  /// Points |in| at this Dockerfile: its parse and path, the linter's
  /// findings and the target stage. |in| must not outlive this object.
  void AddTo(ExplainInput* in) const;

 private:
  ExplainDockerfile() = default;

  std::string path_, target_, text_;
  lint::Dockerfile dockerfile_;
  std::vector<lint::Finding> lint_;
};

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_EXPLAIN_DOCKERFILE_H_
