// Rules about base images and what a shipping stage installs: unpinned or
// :latest bases (DL3006/DL3007: the size changes silently), untrusted
// registries (DL3026), build toolchains and full build images in what ships
// (WS004/WS005), and compiled wheels on musl (WS006).
#include <algorithm>
#include <cctype>
#include <set>

#include "lint/rules/checks.h"
#include "lint/rules/command_match.h"
#include "util/strings.h"

namespace whittle::lint::checks {
namespace {

struct ImageRef {
  std::string registry;  // "" = Docker Hub
  std::string path;      // "library/python", "python", "org/app"
  std::string name;      // last path component: "python"
  std::string tag;       // "" if none
  std::string digest;    // "" if none
};

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

// Stages whose FROM should be judged: built stages starting from an image.
template <typename Fn>
void ForEachImageStage(const RuleContext& ctx, Fn fn) {
  for (const Stage& s : ctx.df().stages) {
    if (ctx.RoleOfStage(s.index) == StageRole::kUnused || !s.parse_ok) continue;
    if (ctx.ParentStage(s) != nullptr) continue;
    const std::string& img = s.image_expanded;
    if (img.empty() || img.find('$') != std::string::npos) continue;  // cannot tell
    std::string lower = img;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "scratch") continue;
    fn(s, ParseImage(img));
  }
}

bool WildcardMatch(std::string_view pattern, std::string_view s) {
  if (StartsWith(pattern, "*.")) return EndsWith(s, pattern.substr(1));
  return pattern == s;
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

bool IsInstall(const Command& c) {
  std::string_view s = ToolSubcommand(c);
  if (IsCommand(c, {"apt-get", "apt", "yum", "dnf", "microdnf"})) return s == "install";
  if (IsCommand(c, {"zypper"})) return s == "install" || s == "in";
  if (IsCommand(c, {"apk"})) return s == "add";
  return false;
}

bool IsRemove(const Command& c) {
  std::string_view s = ToolSubcommand(c);
  if (IsCommand(c, {"apt-get", "apt"})) return s == "purge" || s == "remove" || s == "autoremove";
  if (IsCommand(c, {"yum", "dnf", "microdnf"})) return s == "remove" || s == "erase" || s == "autoremove";
  if (IsCommand(c, {"zypper"})) return s == "remove" || s == "rm";
  if (IsCommand(c, {"apk"})) return s == "del";
  return false;
}

bool IsAlpine(const ImageRef& r) {
  return r.name == "alpine" || r.tag.find("alpine") != std::string::npos;
}

const char* const kCodenames[] = {"bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal"};

// The slim candidate for an official full build image, or "" if none / not
// a full build image.
std::string SlimCandidate(const ImageRef& r) {
  const std::string& t = r.tag;
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
  if (n == "python" || n == "ruby" || n == "perl") return n + ":" + join({ver, "slim", codename});
  if (n == "node") return n + ":" + join({ver, codename, "slim"});
  if (n == "buildpack-deps") {
    return "debian:" + (codename.empty() ? std::string("bookworm") : codename) + "-slim";
  }
  if (n == "golang") return "gcr.io/distroless/static-debian12 (or scratch) with the binary built in a golang stage";
  if (n == "rust") return "gcr.io/distroless/cc-debian12 (or debian:bookworm-slim) with the binary built in a rust stage";
  if (n == "gcc") return "debian:bookworm-slim (or distroless) with the program built in a gcc stage";
  if (n == "openjdk" || n == "maven" || n == "gradle") return "a JRE-only image such as eclipse-temurin:<version>-jre";
  return "";
}

bool IsCompiledWheelPackage(const std::string& n) {
  static const std::set<std::string> kC = {
      "numpy", "pandas", "scipy", "scikit-learn", "sklearn", "cryptography", "lxml", "psycopg2", "grpcio",
      "pillow", "matplotlib", "uvloop", "orjson", "pydantic-core", "bcrypt", "cffi", "gevent", "greenlet",
      "mysqlclient", "pyarrow", "numba", "llvmlite", "torch", "tensorflow", "pyzmq", "h5py", "shapely",
      "ujson", "regex", "psutil", "msgpack", "zstandard", "pymssql", "confluent-kafka", "xgboost", "lightgbm"};
  return kC.count(n) > 0;
}

}  // namespace

void DL3006(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachImageStage(ctx, [&](const Stage& s, const ImageRef& r) {
    if (!r.tag.empty() || !r.digest.empty()) return;
    ctx.Report(out, "DL3006", s.from_instruction, s.image_range.start, "Always tag the version of an image explicitly");
  });
}

void DL3007(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachImageStage(ctx, [&](const Stage& s, const ImageRef& r) {
    if (r.tag != "latest" || !r.digest.empty()) return;
    ctx.Report(out, "DL3007", s.from_instruction, s.image_range.start,
               "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a "
               "release tag");
  });
}

void DL3026(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& trusted = ctx.context().trusted_registries;
  if (trusted.empty()) return;
  ForEachImageStage(ctx, [&](const Stage& s, const ImageRef& r) {
    std::string reg = r.registry.empty() ? "docker.io" : r.registry;
    for (const std::string& t : trusted) {
      if (WildcardMatch(t, reg)) return;
      if (reg == "docker.io" && (t == "hub.docker.com" || t == "index.docker.io")) return;
    }
    ctx.Report(out, "DL3026", s.from_instruction, s.image_range.start,
               "Use only an allowed registry in the FROM image");
  });
}

void WS004(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const RunFacts* run = ctx.Run(i);
    if (run == nullptr || !run->certain || !ctx.InScope(i, RuleScope::kShipping)) continue;
    std::set<std::string> removed;
    for (const Command& c : run->commands) {
      if (!IsRemove(c)) continue;
      for (std::string_view p : PackageArgs(c)) removed.insert(PackageName(p));
    }
    std::vector<std::string> tools;
    const Command* where = nullptr;
    for (const Command& c : run->commands) {
      if (!IsInstall(c)) continue;
      if (IsCommand(c, {"apk"})) {
        auto virt = FlagValue(c, "virtual", 't');
        if (virt && removed.count(std::string(*virt))) continue;  // `apk del .build-deps` later in this RUN
      }
      for (std::string_view p : PackageArgs(c)) {
        std::string n = PackageName(p);
        if (!IsToolchainPackage(n) || removed.count(n)) continue;
        if (tools.empty()) where = &c;
        if (std::find(tools.begin(), tools.end(), n) == tools.end()) tools.push_back(n);
      }
    }
    if (tools.empty()) continue;
    std::string list;
    for (size_t k = 0; k < tools.size() && k < 4; ++k) list += (k ? ", " : "") + tools[k];
    if (tools.size() > 4) list += StrFormat(", +%zu more", tools.size() - 4);
    ctx.Report(out, "WS004", i, ctx.CommandPos(i, *where),
               "build toolchain (" + list +
                   ") installed in a stage that ships: build in a separate stage and COPY --from only the "
                   "results (multi-stage build)");
  }
}

void WS005(const RuleContext& ctx, std::vector<Finding>* out) {
  if (ctx.df().stages.empty()) return;
  const Stage* s = &ctx.df().stages[ctx.target_stage()];
  while (const Stage* p = ctx.ParentStage(*s)) s = p;
  if (!s->parse_ok || s->image_expanded.find('$') != std::string::npos) return;
  ImageRef r = ParseImage(s->image_expanded);
  if (!IsOfficial(r)) return;
  std::string cand = SlimCandidate(r);
  if (cand.empty()) return;
  ctx.Report(out, "WS005", s->from_instruction, s->image_range.start,
             "the final image is based on the full build image " + s->image_expanded +
                 " (compilers, headers, docs); ship on " + cand + ", distroless or scratch instead");
}

void WS006(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const RunFacts* run = ctx.Run(i);
    if (run == nullptr || !run->certain || !ctx.InScope(i, RuleScope::kShipping)) continue;
    const Stage* st = ctx.df().StageOf(i);
    if (st == nullptr) continue;
    std::string root = ctx.RootImage(*st);
    if (root.empty() || !IsAlpine(ParseImage(root))) continue;
    for (const Command& c : run->commands) {
      if (!IsPip(c) || ToolSubcommand(c) != "install") continue;
      std::string hit;
      for (std::string_view p : PackageArgs(c)) {
        std::string n = PackageName(p);
        if (IsCompiledWheelPackage(n)) {
          hit = n;
          break;
        }
      }
      if (hit.empty()) continue;
      ctx.Report(out, "WS006", i, ctx.CommandPos(i, c),
                 "pip install of " + hit + " on an Alpine (musl) base: glibc (manylinux) wheels do not apply, so "
                 "it may build from source with a toolchain; a -slim (glibc) base is often simpler and not larger");
      break;
    }
  }
}

}  // namespace whittle::lint::checks
