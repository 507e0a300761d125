#include "fix/dockerignore.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "lint/rules/context.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

enum class Kind { kAny, kDir, kFile };

struct IgnoreRule {
  const char* category;
  const char* glob;  // matched against the entry's base name
  Kind kind;
};

// Category order is the order of the sections in the suggestion.
const IgnoreRule kRules[] = {
    {"version control", ".git", Kind::kAny},
    {"version control", ".hg", Kind::kDir},
    {"version control", ".svn", Kind::kDir},
    {"secrets-looking files", ".env", Kind::kAny},
    {"secrets-looking files", ".env.*", Kind::kFile},
    {"secrets-looking files", "*.pem", Kind::kFile},
    {"secrets-looking files", "*.key", Kind::kFile},
    {"secrets-looking files", "*.p12", Kind::kFile},
    {"secrets-looking files", "*.pfx", Kind::kFile},
    {"secrets-looking files", "id_rsa*", Kind::kFile},
    {"secrets-looking files", "id_dsa*", Kind::kFile},
    {"secrets-looking files", "id_ecdsa*", Kind::kFile},
    {"secrets-looking files", "id_ed25519*", Kind::kFile},
    {"secrets-looking files", ".npmrc", Kind::kFile},
    {"secrets-looking files", ".pypirc", Kind::kFile},
    {"secrets-looking files", ".netrc", Kind::kFile},
    {"secrets-looking files", ".git-credentials", Kind::kFile},
    {"secrets-looking files", "credentials*", Kind::kAny},
    {"secrets-looking files", "*secret*", Kind::kAny},
    {"secrets-looking files", ".aws", Kind::kDir},
    {"secrets-looking files", ".ssh", Kind::kDir},
    {"tests", "test", Kind::kDir},
    {"tests", "tests", Kind::kDir},
    {"tests", "__tests__", Kind::kDir},
    {"tests", "spec", Kind::kDir},
    {"tests", "specs", Kind::kDir},
    {"tests", "testdata", Kind::kDir},
    {"tests", "e2e", Kind::kDir},
    {"notes and docs", "notes", Kind::kDir},
    {"notes and docs", "docs", Kind::kDir},
    {"notes and docs", "doc", Kind::kDir},
    {"data", "data", Kind::kDir},
    {"data", "datasets", Kind::kDir},
    {"data", "dataset", Kind::kDir},
    {"logs", "logs", Kind::kDir},
    {"logs", "log", Kind::kDir},
    {"logs", "*.log", Kind::kFile},
    {"editor files", ".vscode", Kind::kDir},
    {"editor files", ".idea", Kind::kDir},
    {"editor files", "*.swp", Kind::kFile},
    {"editor files", "*.swo", Kind::kFile},
    {"editor files", "*~", Kind::kFile},
    {"editor files", ".#*", Kind::kFile},
    {"editor files", ".DS_Store", Kind::kFile},
    {"editor files", "*.orig", Kind::kFile},
    {"editor files", "*.rej", Kind::kFile},
    {"editor files", "*.bak", Kind::kFile},
    {"caches and local environments", "node_modules", Kind::kDir},
    {"caches and local environments", "__pycache__", Kind::kDir},
    {"caches and local environments", "*.pyc", Kind::kFile},
    {"caches and local environments", ".pytest_cache", Kind::kDir},
    {"caches and local environments", ".mypy_cache", Kind::kDir},
    {"caches and local environments", ".ruff_cache", Kind::kDir},
    {"caches and local environments", ".tox", Kind::kDir},
    {"caches and local environments", ".venv", Kind::kDir},
    {"caches and local environments", "venv", Kind::kDir},
    {"caches and local environments", ".cache", Kind::kDir},
    {"caches and local environments", ".gradle", Kind::kDir},
    {"caches and local environments", ".terraform", Kind::kDir},
};

// Files named like a template of a secret are meant to be shared.
bool IsTemplateName(std::string_view name) {
  for (const char* s : {".example", ".sample", ".template", ".dist"}) {
    if (EndsWith(name, s)) return true;
  }
  return false;
}

const IgnoreRule* Classify(const std::string& name, bool is_dir) {
  for (const IgnoreRule& r : kRules) {
    if (r.kind == Kind::kDir && !is_dir) continue;
    if (r.kind == Kind::kFile && is_dir) continue;
    if (fnmatch(r.glob, name.c_str(), FNM_PERIOD) != 0 && !(r.glob[0] == '.' && name == r.glob)) continue;
    if (std::strcmp(r.category, "secrets-looking files") == 0 && IsTemplateName(name)) continue;
    return &r;
  }
  return nullptr;
}

bool HasGlob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

std::string CleanSource(std::string_view s) {
  std::string p(s);
  while (StartsWith(p, "./")) p.erase(0, 2);
  while (StartsWith(p, "/")) p.erase(0, 1);
  while (!p.empty() && p.back() == '/') p.pop_back();
  if (p == ".") p.clear();
  return p;
}

bool IsWhole(const std::string& clean) { return clean.empty() || clean == "*" || clean == "**"; }

// Context paths the Dockerfile names: COPY/ADD sources without --from and
// bind-mount sources, cleaned ("" = the whole context).
std::vector<std::string> NamedSources(const lint::Dockerfile& df) {
  std::vector<std::string> out;
  for (const lint::Instruction& ins : df.instructions) {
    if (ins.kind == lint::InstructionKind::kCopy || ins.kind == lint::InstructionKind::kAdd) {
      if (ins.FindFlag("from") != nullptr || ins.args.size() < 2) continue;
      for (size_t k = 0; k + 1 < ins.args.size(); ++k) {
        const std::string& a = ins.args[k];
        if (a.find("://") != std::string::npos || StartsWith(a, "<<") || StartsWith(a, "git@")) continue;
        out.push_back(CleanSource(a));
      }
    } else if (ins.kind == lint::InstructionKind::kRun) {
      for (const lint::Flag* f : ins.FindFlags("mount")) {
        std::string type = "bind", source, from;
        bool has_source = false;
        for (std::string_view field : Split(f->value, ',')) {
          size_t eq = field.find('=');
          std::string_view k = field.substr(0, eq);
          std::string_view v = eq == std::string_view::npos ? std::string_view() : field.substr(eq + 1);
          if (k == "type") type = std::string(v);
          else if (k == "from") from = std::string(v);
          else if (k == "source" || k == "src") {
            source = std::string(v);
            has_source = true;
          }
        }
        if (type != "bind" || !from.empty()) continue;
        out.push_back(has_source ? CleanSource(source) : std::string());
      }
    }
  }
  return out;
}

bool IsPathChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '/' || c == '+' ||
         c == '@';
}

std::string JoinPath(const std::string& dir, std::string_view rel) {
  if (rel.empty() || rel == ".") return dir;
  if (rel[0] == '/') return NormalizePath(rel);
  return NormalizePath(dir + "/" + std::string(rel));
}

// Context paths the image's own commands use after a whole-context copy:
// `COPY . /app` then `RUN cp /app/data/x /tmp` or `CMD ["/app/run.sh"]`
// names data/x and run.sh, and a relative word in a RUN whose working
// directory is the copy (`WORKDIR /app`, `RUN python3 tools/gen.py`) names
// tools/gen.py. Words are the shell splitter's (the rules' own facts); a
// RUN it cannot read still gives the words it did read.
void PathsUsedAfterWholeCopy(const lint::Dockerfile& df, std::vector<std::string>* out) {
  auto ctx = lint::RuleContext::Build(df, "", lint::ContextFacts());
  if (!ctx.has_value()) return;
  for (const lint::Stage& st : df.stages) {
    std::string workdir = "/";
    std::vector<std::string> copies;  // absolute destinations of whole-context copies
    auto scan = [&](std::string_view w) {
      for (const std::string& d : copies) {
        std::string prefix = d == "/" ? "/" : d + "/";
        for (size_t at = w.find(prefix); at != std::string_view::npos; at = w.find(prefix, at + 1)) {
          size_t b = at + prefix.size(), e = b;
          while (e < w.size() && IsPathChar(w[e])) ++e;
          if (e > b) out->push_back(CleanSource(w.substr(b, e - b)));
        }
        if (workdir == d && !w.empty() && w[0] != '-' && w[0] != '/' && w.find_first_of("=$") == std::string_view::npos) {
          size_t e = 0;
          while (e < w.size() && IsPathChar(w[e])) ++e;
          std::string rel = CleanSource(w.substr(0, e));
          if (!rel.empty() && rel.find("..") == std::string::npos) out->push_back(rel);
        }
      }
    };
    for (size_t i = st.from_instruction + 1; i < st.end_instruction && i < df.instructions.size(); ++i) {
      const lint::Instruction& x = df.instructions[i];
      switch (x.kind) {
        case lint::InstructionKind::kWorkdir:
          if (!x.args.empty()) workdir = JoinPath(workdir, x.args[0]);
          break;
        case lint::InstructionKind::kCopy:
        case lint::InstructionKind::kAdd: {
          if (x.FindFlag("from") != nullptr || x.args.size() < 2) break;
          bool whole = false;
          for (size_t k = 0; k + 1 < x.args.size(); ++k) whole |= IsWhole(CleanSource(x.args[k]));
          if (whole && x.args.back().find('$') == std::string::npos) copies.push_back(JoinPath(workdir, x.args.back()));
          break;
        }
        case lint::InstructionKind::kRun:
          if (const lint::RunFacts* run = ctx->Run(i)) {
            for (const lint::ShellCommand& c : run->script.commands) {
              for (const std::string& w : c.argv) scan(w);
            }
          }
          break;
        case lint::InstructionKind::kCmd:
        case lint::InstructionKind::kEntrypoint:
        case lint::InstructionKind::kHealthcheck:
          for (const std::string& a : x.args) {
            for (std::string_view w : Split(a, ' ')) scan(w);
          }
          break;
        default:
          break;
      }
    }
  }
}

// Does a source name |rel| (the entry, something in it, or something it is in)?
bool Named(const std::vector<std::string>& sources, const std::string& rel) {
  for (const std::string& s : sources) {
    if (IsWhole(s)) continue;
    size_t dollar = s.find('$');
    if (dollar != std::string::npos) {
      // A variable: only its literal prefix is known.
      std::string prefix = s.substr(0, dollar);
      if (prefix.empty() || StartsWith(rel, prefix) || StartsWith(prefix, rel + "/")) return true;
      continue;
    }
    if (HasGlob(s)) {
      if (fnmatch(s.c_str(), rel.c_str(), FNM_PATHNAME) == 0) return true;
      // `COPY tests/*.py` names files inside `tests`; `COPY src*` names `src/x`.
      std::string literal = s.substr(0, s.find_first_of("*?["));
      if (StartsWith(literal, rel + "/")) return true;
      size_t slash = rel.find('/');
      while (slash != std::string::npos) {
        if (fnmatch(s.c_str(), rel.substr(0, slash).c_str(), FNM_PATHNAME) == 0) return true;
        slash = rel.find('/', slash + 1);
      }
      continue;
    }
    if (s == rel || StartsWith(s, rel + "/") || StartsWith(rel, s + "/")) return true;
  }
  return false;
}

struct Match {
  const IgnoreRule* rule;
  std::string rel;
  uint64_t bytes = 0;
  uint64_t files = 0;
};

class Walker {
 public:
  Walker(const WalkLimits& limits, std::vector<std::string> skip_names)
      : limits_(limits), skip_(std::move(skip_names)) {}

  Status Walk(const std::string& dir, const std::string& rel, int depth, std::vector<Match>* out) {
    std::vector<std::pair<std::string, struct stat>> kids;
    if (!List(dir, &kids)) {
      if (depth == 0) {
        int e = errno;
        return Error(e == ENOENT || e == ENOTDIR ? Errc::kNotFound : Errc::kIo,
                     StrFormat("%s: cannot read the build context: %s", dir.c_str(), std::strerror(e)));
      }
      return Status::Ok();  // an unreadable subdirectory: skipped
    }
    for (auto& [name, st] : kids) {
      if (++visited_ > limits_.max_entries) {
        truncated_ = true;
        return Status::Ok();
      }
      std::string child_rel = rel.empty() ? name : rel + "/" + name;
      if (depth == 0 && std::find(skip_.begin(), skip_.end(), name) != skip_.end()) continue;
      bool is_dir = S_ISDIR(st.st_mode);
      const IgnoreRule* r = Classify(name, is_dir);
      if (r != nullptr) {
        Match m{r, child_rel};
        if (is_dir) {
          Size(dir + "/" + name, depth + 1, &m);
        } else if (S_ISREG(st.st_mode)) {
          m.bytes = static_cast<uint64_t>(st.st_size);
          m.files = 1;
        }
        out->push_back(std::move(m));
        continue;
      }
      if (is_dir) {
        if (depth + 1 >= limits_.max_depth) {
          truncated_ = true;
          continue;
        }
        RETURN_IF_ERROR(Walk(dir + "/" + name, child_rel, depth + 1, out));
      }
    }
    return Status::Ok();
  }

  bool truncated() const { return truncated_; }

 private:
  // Lists a directory's entries (lstat: symlinks are not followed), sorted.
  bool List(const std::string& dir, std::vector<std::pair<std::string, struct stat>>* kids) {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return false;
    while (struct dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      struct stat st;
      if (lstat((dir + "/" + name).c_str(), &st) != 0) continue;
      kids->emplace_back(std::move(name), st);
    }
    closedir(d);
    std::sort(kids->begin(), kids->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return true;
  }

  void Size(const std::string& dir, int depth, Match* m) {
    std::vector<std::pair<std::string, struct stat>> kids;
    if (depth >= limits_.max_depth) {
      truncated_ = true;
      return;
    }
    if (!List(dir, &kids)) return;
    for (auto& [name, st] : kids) {
      if (++visited_ > limits_.max_entries) {
        truncated_ = true;
        return;
      }
      if (S_ISDIR(st.st_mode)) {
        Size(dir + "/" + name, depth + 1, m);
      } else if (S_ISREG(st.st_mode)) {
        m->bytes += static_cast<uint64_t>(st.st_size);
        ++m->files;
      }
    }
  }

  WalkLimits limits_;
  std::vector<std::string> skip_;
  size_t visited_ = 0;
  bool truncated_ = false;
};

}  // namespace

bool CopiesWholeContext(const lint::Dockerfile& df) {
  for (const std::string& s : NamedSources(df)) {
    if (IsWhole(s)) return true;
  }
  return false;
}

uint64_t DockerignoreSuggestion::bytes() const {
  uint64_t n = 0;
  for (const DockerignoreEntry& e : entries) n += e.bytes;
  return n;
}

std::string DockerignoreSuggestion::Text(std::string_view dockerfile) const {
  std::string out = "# .dockerignore suggested by `whittle fix` for " + std::string(dockerfile) + "\n";
  out += "# Build context: " + context_dir + "\n";
  out += "# Each entry is in the build context and the Dockerfile never names it (no COPY,\n";
  out += "# ADD, bind mount or command uses it)";
  out += whole_context ? "; `COPY .` sends and copies it into the image." : ".";
  out += "\n# Review, then save as .dockerignore.\n";
  if (truncated) out += "# (the context is large: the walk stopped early, sizes are lower bounds)\n";
  if (entries.empty()) {
    out += "# Nothing to suggest.\n";
    return out;
  }
  std::string category;
  for (size_t i = 0; i < entries.size(); ++i) {
    const DockerignoreEntry& e = entries[i];
    if (e.category != category) {
      category = e.category;
      uint64_t bytes = 0, files = 0;
      for (size_t k = i; k < entries.size() && entries[k].category == category; ++k) {
        bytes += entries[k].bytes;
        files += entries[k].files;
      }
      out += StrFormat("\n# %s: %s in %llu file%s\n", category.c_str(), FormatSizeWithUnit(bytes).c_str(),
                       static_cast<unsigned long long>(files), files == 1 ? "" : "s");
    }
    out += e.pattern + "\n";
  }
  return out;
}

Result<DockerignoreSuggestion> SuggestDockerignore(const lint::Dockerfile& df, const std::string& context_dir,
                                                   const WalkLimits& limits) {
  DockerignoreSuggestion sug;
  sug.context_dir = context_dir;
  std::vector<std::string> sources = NamedSources(df);
  for (const std::string& s : sources) sug.whole_context |= IsWhole(s);
  PathsUsedAfterWholeCopy(df, &sources);
  // The Dockerfile and ignore files are always sent, and BuildKit handles them.
  std::string df_name(BaseName(df.filename));
  Walker w(limits, {".dockerignore", df_name, df_name + ".dockerignore"});
  std::vector<Match> matches;
  RETURN_IF_ERROR(w.Walk(context_dir, "", 0, &matches));
  sug.truncated = w.truncated();
  // Keep what no source names; file globs found below the top level
  // (`a/b.log`, many `*.pyc`) collapse into one `**/glob` line.
  std::vector<Match> kept;
  for (Match& m : matches) {
    if (!Named(sources, m.rel)) kept.push_back(std::move(m));
  }
  for (size_t ri = 0; ri < std::size(kRules); ++ri) {
    const IgnoreRule* r = &kRules[ri];
    std::vector<const Match*> mine;
    bool nested = false;
    for (const Match& m : kept) {
      if (m.rule != r) continue;
      mine.push_back(&m);
      nested |= m.rel.find('/') != std::string::npos;
    }
    if (mine.empty()) continue;
    bool glob = std::strpbrk(r->glob, "*?[") != nullptr;
    if (glob && nested && mine.size() > 3) {
      DockerignoreEntry e{std::string("**/") + r->glob, r->category};
      for (const Match* m : mine) {
        e.bytes += m->bytes;
        e.files += m->files;
      }
      sug.entries.push_back(std::move(e));
    } else {
      for (const Match* m : mine) sug.entries.push_back({m->rel, r->category, m->bytes, m->files});
    }
  }
  // Sections in category order (kRules lists each category's rules together).
  std::stable_sort(sug.entries.begin(), sug.entries.end(), [](const DockerignoreEntry& a, const DockerignoreEntry& b) {
    auto rank = [](const std::string& c) {
      for (size_t i = 0; i < std::size(kRules); ++i) {
        if (c == kRules[i].category) return i;
      }
      return std::size(kRules);
    };
    return rank(a.category) < rank(b.category);
  });
  return sug;
}

}  // namespace whittle::fix
