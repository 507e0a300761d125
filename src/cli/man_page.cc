#include "cli/man_page.h"

#include "cli/commands.h"
#include "cli/run.h"
#include "cli/verb_runner.h"
#include "util/version.h"

namespace whittle {

std::string RoffVerbatim(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";  // an ASCII hyphen-minus, as typed, not a typographic hyphen
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

namespace {

// Prose paragraph: escaped like verbatim text, but filled.
std::string Para(std::string_view text) { return ".PP\n" + RoffVerbatim(text); }

std::string Verbatim(std::string_view text) { return ".nf\n" + RoffVerbatim(text) + ".fi\n"; }

}  // namespace

std::string ManPage() {
  std::string out;
  // No date: the page is the same for every build of one version.
  out += ".TH WHITTLE 1 \"\" \"whittle " + std::string(WhittleVersion()) + "\" \"User Commands\"\n";
  out += ".SH NAME\nwhittle \\- where the bytes of a container image are, and how to get rid of them\n";
  out += ".SH SYNOPSIS\n";
  out += Verbatim("whittle VERB [OPTION]... ARG...\nwhittle IMAGE\nwhittle --version\n");
  out += ".SH DESCRIPTION\n";
  out += Para(
      "whittle measures where the bytes of a container image are (per layer, path, package and kind), "
      "finds the bytes it stores but never shows, lints Dockerfiles for size and layer anti-patterns and "
      "rewrites them. It reads images from files with no daemon, from a Docker Engine's socket and from "
      "registries, and accounts for every byte of every layer.");
  out += Para("This is what 'whittle --help' prints:");
  out += ".PP\n" + Verbatim(TopLevelUsage());
  out += ".SH VERBS\n";
  out += Para("Each verb's section is what 'whittle VERB --help' prints.");
  for (const VerbSpec& v : Commands()) {
    out += ".SS \"whittle " + std::string(v.name) + "\"\n";
    out += RoffVerbatim(v.summary);
    out += ".PP\n" + Verbatim(VerbHelp(v));
  }
  out += ".SH \"EXIT STATUS\"\n";
  out += Para("The same for every verb:");
  out += Verbatim(
      "0    ok\n"
      "1    a check failed: lint or explain findings at the threshold, a ci rule,\n"
      "     fix --check with rewrites pending\n"
      "2    error: usage, configuration, unreadable or corrupt input\n"
      "130  interrupted (SIGINT); 143 for SIGTERM: 128 + the signal's number,\n"
      "     with no partial output file left behind\n");
  out += ".SH ENVIRONMENT\n";
  out += Verbatim(
      "NO_COLOR        set and not empty: no colour\n"
      "CLICOLOR_FORCE  set and not 0: colour even when stdout is not a terminal\n"
      "TERM            dumb: no colour, no progress line\n"
      "COLUMNS         the terminal width tables fit\n"
      "DOCKER_HOST     the Engine docker-daemon: reads (unix:///PATH or tcp://HOST:PORT)\n"
      "XDG_RUNTIME_DIR, DOCKER_CONFIG, HOME\n"
      "                registry credentials without --creds: the first of\n"
      "                $XDG_RUNTIME_DIR/containers/auth.json and $DOCKER_CONFIG/config.json\n"
      "                (or ~/.docker/config.json) that names the registry\n"
      "XDG_CACHE_HOME  the layer cache is $XDG_CACHE_HOME/whittle (else ~/.cache/whittle)\n"
      "                unless --cache-dir or --no-cache says otherwise\n");
  out += ".SH \"SEE ALSO\"\n";
  out += RoffVerbatim("docker(1), skopeo(1), and docs/ in whittle's source: using.md, ci.md, rules.md.");
  return out;
}

}  // namespace whittle
