#include "cli/run.h"

#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/man_page.h"
#include "cli/verb_runner.h"
#include "cli/version_text.h"
#include "util/strings.h"

namespace whittle {

std::string TopLevelUsage() {
  std::string out =
      "usage: whittle VERB [OPTION]... ARG...\n"
      "       whittle IMAGE            (same as: whittle profile IMAGE)\n\n"
      "verbs:\n";
  for (const VerbSpec& v : Commands()) out += StrFormat("  %-9s %s\n", v.name, v.summary);
  out +=
      "\nIMAGE is a path (detected by content) or a skopeo-style reference:\n"
      "  docker-archive:PATH[:NAME:TAG|:@N]  oci:DIR[:REF]  oci-archive:PATH[:REF]  dir:DIR\n"
      "  docker-daemon:NAME[:TAG]  docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST]\n"
      "  - (an archive on stdin; archives may be gzip or zstd compressed)\n"
      "Registries: --creds USER:PASS, --tls-verify=false (allows http), --cert-dir DIR.\n"
      "Layer cache: --no-cache, --cache-dir DIR (default ~/.cache/whittle), --cache-max-size SIZE (2GiB).\n"
      "Every verb: -q/--quiet (no warnings, no progress), -v/--verbose (what was read).\n\n"
      "Run 'whittle VERB --help' for a verb's options.\n";
  return out;
}

bool LooksLikeImage(const std::string& word) {
  if (word == "-" || word.find_first_of("/:.") != std::string::npos) return true;
  struct stat st;
  return stat(word.c_str(), &st) == 0;
}

const char* SuggestVerb(std::string_view word) {
  const char* best = nullptr;
  size_t best_distance = 0;
  for (const VerbSpec& v : Commands()) {
    size_t d = EditDistance(word, v.name);
    size_t allowed = std::string_view(v.name).size() < 5 ? 1 : 2;
    if (d <= allowed && (best == nullptr || d < best_distance)) {
      best = v.name;
      best_distance = d;
    }
  }
  return best;
}

ExitCode RunCommandLine(const std::vector<std::string>& args, Console& console) {
  if (args.empty()) {
    console.WriteError(TopLevelUsage());
    return ExitCode::kError;
  }
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    console.Write(TopLevelUsage());
    return ExitCode::kOk;
  }
  if (first == "--version" || first == "version") {
    console.Write(VersionText());
    return ExitCode::kOk;
  }
  // Hidden: what the build installs (the man page, shell completions), made
  // from the same tables as --help so they cannot drift.
  if (first == "--help-man" && args.size() == 1) {
    console.Write(ManPage());
    return ExitCode::kOk;
  }
  if (first == "--completions") {
    auto script = args.size() == 2 ? CompletionScript(args[1])
                                   : Result<std::string>(Error(Errc::kUsage, "--completions takes bash, zsh or fish"));
    if (!script) {
      console.Error(script.error());
      return ExitCode::kError;
    }
    console.Write(*script);
    return ExitCode::kOk;
  }
  if (const VerbSpec* verb = FindCommand(first)) {
    return RunVerb(*verb, std::vector<std::string>(args.begin() + 1, args.end()), console);
  }
  // Not a verb: options before a bare image (`whittle -d layers app.tar`),
  // a bare image, or a misspelt verb.
  if (first[0] != '-' && !LooksLikeImage(first)) {
    if (const char* guess = SuggestVerb(first)) {
      console.Error(
          StrFormat("'%s' is not a verb or an image; did you mean '%s'? (see 'whittle --help')", first.c_str(), guess));
      return ExitCode::kError;
    }
  }
  return RunVerb(*FindCommand("profile"), args, console);
}

int Run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return ExitStatus(RunCommandLine(args, Console::Std()));
}

}  // namespace whittle
