#include "lint/rules/image_facts.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <vector>

#include "lint/rules/command_match.h"
#include "util/strings.h"

namespace whittle::lint {

ImageRef ParseImage(std::string_view s) {
  ImageRef r;
  size_t at = s.find('@');
  if (at != std::string_view::npos) {
    r.digest = std::string(s.substr(at + 1));
    s = s.substr(0, at);
  }
  size_t slash = s.rfind('/');
  size_t colon = s.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.tag = std::string(s.substr(colon + 1));
    s = s.substr(0, colon);
  }
  size_t first = s.find('/');
  if (first != std::string_view::npos) {
    std::string_view head = s.substr(0, first);
    if (head.find('.') != std::string_view::npos || head.find(':') != std::string_view::npos ||
        head == "localhost") {
      r.registry = std::string(head);
      s = s.substr(first + 1);
    }
  }
  r.path = std::string(s);
  size_t last = s.rfind('/');
  r.name = std::string(last == std::string_view::npos ? s : s.substr(last + 1));
  return r;
}

bool IsOfficial(const ImageRef& r) {
  bool hub = r.registry.empty() || r.registry == "docker.io" || r.registry == "index.docker.io" ||
             r.registry == "registry-1.docker.io";
  return hub && (r.path == r.name || r.path == "library/" + r.name);
}

std::string PackageName(std::string_view p) {
  size_t end = p.find_first_of("=<>!~[;@ ");
  std::string n(p.substr(0, end));
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return n;
}

bool IsToolchainPackage(const std::string& n) {
  static const std::set<std::string> kExact = {
      "build-essential", "gcc", "g++", "gcc-c++", "clang", "make", "cmake", "cargo", "rustc", "golang",
      "golang-go", "go", "build-base", "autoconf", "automake", "libtool", "pkg-config", "pkgconf", "gfortran",
      "musl-dev", "linux-headers", "ninja-build", "meson", "alpine-sdk", "devtoolset", "nodejs-dev"};
  if (kExact.count(n)) return true;
  if (StartsWith(n, "gcc-") || StartsWith(n, "g++-") || StartsWith(n, "clang-") || StartsWith(n, "golang-1.")) {
    return true;
  }
  return EndsWith(n, "-dev") || EndsWith(n, "-devel");
}

bool IsPackageInstall(const Command& c) {
  std::string_view s = ToolSubcommand(c);
  if (IsCommand(c, {"apt-get", "apt", "aptitude"})) return s == "install";
  if (IsCommand(c, {"yum", "dnf", "dnf5", "microdnf"})) return s == "install" || s == "in";
  if (IsCommand(c, {"zypper"})) return s == "install" || s == "in";
  if (IsCommand(c, {"apk"})) return s == "add";
  return false;
}

bool IsPackageRemove(const Command& c) {
  std::string_view s = ToolSubcommand(c);
  if (IsCommand(c, {"apt-get", "apt", "aptitude"})) {
    return s == "purge" || s == "remove" || s == "autoremove" || s == "autopurge";
  }
  if (IsCommand(c, {"yum", "dnf", "dnf5", "microdnf"})) return s == "remove" || s == "erase" || s == "autoremove";
  if (IsCommand(c, {"zypper"})) return s == "remove" || s == "rm";
  if (IsCommand(c, {"apk"})) return s == "del";
  return false;
}

namespace {
const char* const kCodenames[] = {"bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal"};
// Ubuntu releases buildpack-deps is built on; ubuntu has no -slim tags.
const char* const kUbuntuCodenames[] = {"bionic", "focal", "jammy", "noble", "oracular", "plucky", "questing"};

bool IsUbuntuCodename(std::string_view t) {
  for (const char* c : kUbuntuCodenames) {
    if (t == c) return true;
  }
  return false;
}

// buildpack-deps:TAG -> the base image without the compilers: the curl and
// scm variants (`bookworm-curl`, `noble-scm`, `curl`) hold none ("").
std::string BuildpackDepsCandidate(const std::string& tag) {
  if (tag == "curl" || tag == "scm" || EndsWith(tag, "-curl") || EndsWith(tag, "-scm")) return "";
  if (tag.empty() || tag == "latest") return "debian:stable-slim";  // buildpack-deps:latest follows stable
  if (IsUbuntuCodename(tag)) return "ubuntu:" + tag;
  return "debian:" + tag + "-slim";  // bookworm, trixie, stable, sid...
}
}  // namespace


std::string SlimCandidate(const ImageRef& r) {
  const std::string& t = r.tag;
  if (r.name == "buildpack-deps") return BuildpackDepsCandidate(t);
  for (const char* v : {"slim", "alpine", "windowsservercore", "nanoserver", "distroless"}) {
    if (t.find(v) != std::string::npos) return "";
  }
  std::string ver = t, codename;
  for (const char* c : kCodenames) {
    std::string suffix = std::string("-") + c;
    if (EndsWith(t, suffix)) {
      ver = t.substr(0, t.size() - suffix.size());
      codename = c;
    } else if (t == c) {
      ver = "";
      codename = c;
    }
  }
  if (ver == "latest") ver = "";
  auto join = [](std::initializer_list<std::string> parts) {
    std::string out;
    for (const std::string& p : parts) {
      if (p.empty()) continue;
      if (!out.empty()) out += '-';
      out += p;
    }
    return out;
  };
  const std::string& n = r.name;
  if (n == "perl") {
    // perl's variants put slim first: 5.40-slim-threaded-bookworm.
    std::string threaded;
    if (ver == "threaded") {
      ver = "";
      threaded = "threaded";
    } else if (EndsWith(ver, "-threaded")) {
      ver.resize(ver.size() - 9);
      threaded = "threaded";
    }
    return n + ":" + join({ver, "slim", threaded, codename});
  }
  if (n == "python" || n == "ruby") return n + ":" + join({ver, "slim", codename});
  if (n == "node") return n + ":" + join({ver, codename, "slim"});
  if (n == "golang") return "gcr.io/distroless/static-debian12 (or scratch) with the binary built in a golang stage";
  if (n == "rust") return "gcr.io/distroless/cc-debian12 (or debian:bookworm-slim) with the binary built in a rust stage";
  if (n == "gcc") return "debian:bookworm-slim (or distroless) with the program built in a gcc stage";
  if (n == "openjdk" || n == "maven" || n == "gradle") return "a JRE-only image such as eclipse-temurin:<version>-jre";
  return "";
}

namespace {

bool IsHelperScript(std::string_view path) {
  std::string_view b = BaseName(path);
  return EndsWith(b, ".sh") || StartsWith(b, "docker-") || b.find("entrypoint") != std::string_view::npos;
}

// The words of a CMD/ENTRYPOINT (exec form, or the shell form split on
// blanks, which is enough to see its program and flags).
std::vector<std::string> CommandWords(const Instruction& ins) {
  if (ins.form == ArgForm::kExec) return ins.args;
  std::vector<std::string> words;
  for (std::string_view w : Split(ins.args.empty() ? std::string_view() : std::string_view(ins.args[0]), ' ')) {
    if (!w.empty()) words.emplace_back(w);
  }
  return words;
}

// An interactive interpreter or shell with nothing but flags: what a
// language runtime image runs by default (python3, irb, node, php -a).
bool IsBareInterpreter(const std::vector<std::string>& argv) {
  static const std::set<std::string> kInterpreters = {
      "sh",   "bash",    "ash",  "dash", "zsh",  "python", "python2", "python3", "ipython", "node",
      "irb",  "ruby",    "php",  "perl", "jshell", "ghci",  "iex",     "erl",     "R",       "julia",
      "lua",  "tclsh",   "pwsh", "scala", "groovysh", "swift", "bun", "deno", "elixir", "racket"};
  if (argv.empty()) return false;
  if (kInterpreters.count(std::string(BaseName(argv[0]))) == 0) return false;
  for (size_t k = 1; k < argv.size(); ++k) {
    if (!StartsWith(argv[k], "-")) return false;
  }
  return true;
}

}  // namespace

bool ShipsABaseImage(const RuleContext& ctx) {
  const Dockerfile& df = ctx.df();
  if (df.stages.empty()) return false;
  std::optional<std::vector<std::string>> cmd, entrypoint;  // the last ones that apply
  // The target stage and the stages it is built FROM, root first.
  std::vector<const Stage*> chain;
  for (const Stage* s = &df.stages[ctx.target_stage()]; s != nullptr; s = ctx.ParentStage(*s)) chain.push_back(s);
  std::reverse(chain.begin(), chain.end());
  for (const Stage* s : chain) {
    for (size_t i = s->from_instruction + 1; i < s->end_instruction && i < df.instructions.size(); ++i) {
      const Instruction& ins = df.instructions[i];
      switch (ins.kind) {
        case InstructionKind::kOnbuild:
          return true;  // triggers for the images built FROM this one
        case InstructionKind::kCopy:
        case InstructionKind::kAdd: {
          // Another stage's results (the golang image copies its built
          // toolchain this way) say nothing either way.
          if (ins.FindFlag("from") != nullptr) break;
          const std::vector<std::string>& args = ctx.FileArgs(i);
          for (size_t k = 0; k + 1 < args.size(); ++k) {
            if (!IsHelperScript(args[k])) return false;  // application content
          }
          break;
        }
        case InstructionKind::kCmd:
          cmd = CommandWords(ins);
          break;
        case InstructionKind::kEntrypoint:
          entrypoint = CommandWords(ins);
          cmd.reset();  // a new ENTRYPOINT resets an inherited CMD
          break;
        default:
          break;
      }
    }
  }
  if (entrypoint && !entrypoint->empty() && !IsHelperScript((*entrypoint)[0]) &&
      !IsBareInterpreter(*entrypoint)) {
    return false;
  }
  if (cmd && !cmd->empty() && !IsBareInterpreter(*cmd)) return false;
  return true;
}

}  // namespace whittle::lint
