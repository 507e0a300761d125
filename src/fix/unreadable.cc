#include "fix/unreadable.h"

#include "lint/rules/command_match.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

bool IsKeyword(std::string_view w) {
  static const char* const kWords[] = {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "(", "time"};
  for (const char* k : kWords) {
    if (w == k) return true;
  }
  return false;
}

bool IsWrapper(std::string_view w) {
  return w == "sudo" || w == "env" || w == "nice" || w == "nohup" || w == "command" || w == "exec" || w == "doas";
}

struct Probe {
  const char* id;
  bool (*matches)(const lint::Command&);
};

bool Yum(const lint::Command& c) { return lint::IsYumLike(c, {"yum"}); }
bool Dnf(const lint::Command& c) { return lint::IsYumLike(c, {"dnf", "dnf5", "microdnf"}); }
bool Zypper(const lint::Command& c) {
  return lint::IsCommand(c, {"zypper"}) && (lint::ToolSubcommand(c) == "install" || lint::ToolSubcommand(c) == "in");
}

const Probe kProbes[] = {
    {"DL3009", lint::IsAptUpdate},   {"DL3015", lint::AptInstallWithRecommends},
    {"DL3019", lint::ApkAddWithCache}, {"DL3032", Yum},
    {"DL3036", Zypper},              {"DL3040", Dnf},
    {"DL3042", lint::PipInstallWithCache}, {"DL3060", lint::IsYarnInstall},
    {"WS001", lint::IsNpmInstall},
};

}  // namespace

std::vector<UnreadableRun> FindUnreadableRuns(const lint::RuleContext& ctx) {
  std::vector<UnreadableRun> out;
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const lint::RunFacts* run = ctx.Run(i);
    if (run == nullptr || run->certain || !ctx.InScope(i, lint::RuleScope::kShipping)) continue;
    std::string why = "shell not understood (" + run->script.reason + ")";
    std::vector<std::string> ids;
    auto add = [&](const std::string& id, const std::string& reason) {
      for (const std::string& have : ids) {
        if (have == id) return;
      }
      ids.push_back(id);
      out.push_back({i, id, reason});
    };
    for (const lint::ShellCommand& sc : run->script.commands) {
      size_t k = 0;
      std::string variable;
      while (k < sc.argv.size()) {
        std::string_view w = sc.argv[k];
        if (IsKeyword(w) || IsWrapper(BaseName(w))) {
          ++k;
        } else if (StartsWith(w, "$") && variable.empty()) {
          variable = std::string(w);
          ++k;
        } else if (!w.empty() && w[0] == '-' && k > 0) {
          ++k;  // a wrapper's option
        } else {
          break;
        }
      }
      if (k >= sc.argv.size()) continue;
      lint::Command probe;
      for (size_t j = k; j < sc.argv.size(); ++j) {
        probe.argv.push_back(j == k ? BaseName(sc.argv[j]) : std::string_view(sc.argv[j]));
      }
      for (const std::string& e : sc.env) probe.env.push_back(e);
      std::string reason =
          variable.empty() ? why : "the command starts with a variable (" + variable + "): not rewritten";
      bool matched = false;
      for (const Probe& p : kProbes) {
        if (p.matches(probe)) {
          add(p.id, reason);
          matched = true;
        }
      }
      // `$PKG install curl`: the variable is the tool.
      if (!matched && !variable.empty() && k > 0 && sc.argv[k - 1] == variable) {
        std::string_view verb = probe.argv[0];
        if (verb == "install" || verb == "add" || verb == "ci" || verb == "update" || verb == "upgrade") {
          add("*", "the command is a variable (" + variable + " " + std::string(verb) +
                       "): cannot tell which tool runs");
        }
      }
    }
  }
  return out;
}

}  // namespace whittle::fix
