#include "explain/instruction_forms.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "explain/text_util.h"
#include "lint/ast_dump.h"
#include "lint/expand.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

using lint::InstructionKind;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void AddUnique(std::vector<std::string>* v, std::string s) {
  if (!Contains(*v, s)) v->push_back(std::move(s));
}

std::vector<std::string> CollapseAll(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const std::string& s : v) out.push_back(CollapseWhitespace(s));
  return out;
}

// "a=1 b=2" -> {"a", "b"}: the names of NAME=... (or bare NAME) tokens.
std::vector<std::string> TokenNames(std::string_view text) {
  std::vector<std::string> names;
  for (std::string_view tok : Split(text, ' ')) {
    if (tok.empty()) continue;
    size_t eq = tok.find('=');
    names.emplace_back(tok.substr(0, eq));
  }
  return names;
}

// True when |keys| appear in |names| in order (not necessarily adjacent:
// a value with spaces leaves extra tokens).
bool KeysInOrder(const std::vector<std::string>& keys, const std::vector<std::string>& names) {
  size_t k = 0;
  for (const std::string& n : names) {
    if (k < keys.size() && n == keys[k]) ++k;
  }
  return !keys.empty() && k == keys.size();
}

// The simple-heredoc test of BuildKit's dispatchRun: the whole command is
// one heredoc word ("<<EOF", "<<-EOF", "<<'EOF'").
bool IsSingleHeredocWord(std::string_view text) {
  text = TrimWhitespace(text);
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (text.substr(i, 2) != "<<") return false;
  i += 2;
  if (i < text.size() && text[i] == '-') ++i;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i >= text.size()) return false;
  for (; i < text.size(); ++i) {
    if (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == '<') return false;
  }
  return true;
}

// The bracketed test vector at the start of a Go %+v HealthcheckConfig:
// "&{["CMD" "/bin/true"] "5s" ...}" -> {"CMD", "/bin/true"}.
bool ParseHealthcheckTest(std::string_view s, std::vector<std::string>* out) {
  if (!StartsWith(s, "&{[")) return false;
  size_t i = 2;
  bool quoted = false;
  for (size_t k = i + 1; k < s.size(); ++k) {
    char c = s[k];
    if (quoted) {
      if (c == '\\') {
        ++k;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ']') {
      return ParseBracketList(s.substr(i, k + 1 - i), out);
    }
  }
  return false;
}

EntryScore Score(MatchConfidence c, const char* reason, bool close = false) {
  EntryScore s;
  s.confidence = c;
  s.close = close;
  s.reason = reason;
  return s;
}

}  // namespace

const char* ConfidenceName(MatchConfidence confidence) {
  switch (confidence) {
    case MatchConfidence::kNone:
      return "none";
    case MatchConfidence::kHistoryOnly:
      return "history-only";
    case MatchConfidence::kPositional:
      return "positional";
    case MatchConfidence::kNormalized:
      return "normalized";
    case MatchConfidence::kExact:
      return "exact";
  }
  return "none";
}

std::vector<std::string> NormalizePorts(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const std::string& w : words) {
    if (w.empty()) continue;
    std::string_view port = w;
    std::string proto = "tcp";
    size_t slash = port.find('/');
    if (slash != std::string_view::npos) {
      proto.clear();
      for (char c : port.substr(slash + 1))
        proto.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      port = port.substr(0, slash);
    }
    size_t dash = port.find('-');
    bool expanded = false;
    if (dash != std::string_view::npos) {
      std::string_view a = port.substr(0, dash), b = port.substr(dash + 1);
      bool digits = !a.empty() && !b.empty() && a.size() <= 5 && b.size() <= 5;
      for (char c : a) digits = digits && std::isdigit(static_cast<unsigned char>(c));
      for (char c : b) digits = digits && std::isdigit(static_cast<unsigned char>(c));
      if (digits) {
        int lo = std::stoi(std::string(a)), hi = std::stoi(std::string(b));
        if (lo <= hi && hi - lo <= 1024) {
          for (int p = lo; p <= hi; ++p) out.push_back(StrFormat("%d/%s", p, proto.c_str()));
          expanded = true;
        }
      }
    }
    if (!expanded) out.push_back(std::string(port) + "/" + proto);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void BuildState::Apply(const lint::Instruction& ins) {
  switch (ins.kind) {
    case InstructionKind::kEnv: {
      std::vector<std::pair<std::string, std::string>> add;
      for (const lint::KeyValue& kv : ins.key_values) add.emplace_back(kv.key, Expand(kv.value));
      for (auto& p : add) env.push_back(std::move(p));
      break;
    }
    case InstructionKind::kArg:
      for (const lint::KeyValue& kv : ins.key_values) {
        if (kv.has_value) {
          args.emplace_back(kv.key, Expand(kv.value));
        } else if (global_args != nullptr) {
          for (auto it = global_args->rbegin(); it != global_args->rend(); ++it) {
            if (it->key == kv.key && it->has_value) {
              args.emplace_back(kv.key, it->value);
              break;
            }
          }
        }
      }
      break;
    case InstructionKind::kWorkdir: {
      if (ins.args.empty()) break;
      std::string p = Expand(TrimWhitespace(ins.args[0]));
      if (!p.empty() && p[0] == '/') {
        workdir = CleanPath(p);
      } else if (!workdir.empty()) {
        workdir = ResolvePath(workdir, p);
      }
      break;
    }
    case InstructionKind::kShell:
      if (ins.is_exec_form() && !ins.args.empty()) shell = ins.args;
      break;
    default:
      break;
  }
}

std::string BuildState::Expand(std::string_view word, bool* complete) const {
  bool all_set = true;
  lint::VarLookup lookup = [&](std::string_view name) -> std::optional<std::string_view> {
    for (auto it = env.rbegin(); it != env.rend(); ++it) {
      if (it->first == name) return std::string_view(it->second);
    }
    for (auto it = args.rbegin(); it != args.rend(); ++it) {
      if (it->first == name) return std::string_view(it->second);
    }
    all_set = false;
    return std::nullopt;
  };
  bool ok = true;
  std::string out = lint::ExpandVariables(word, lookup, escape, &ok);
  if (complete != nullptr) *complete = ok && all_set;
  return out;
}

InstructionForms::InstructionForms(const lint::Instruction& ins, const BuildState& before)
    : ins_(&ins), shell_(JoinWords(before.shell)), workdir_before_(before.workdir) {
  std::string_view line = ins.line;
  size_t k = 0;
  while (k < line.size() && !std::isspace(static_cast<unsigned char>(line[k]))) ++k;
  written_ = CollapseWhitespace(line.substr(k));

  switch (ins.kind) {
    case InstructionKind::kRun: {
      if (ins.is_exec_form()) {
        AddUnique(&commands_, CollapseWhitespace(JoinWords(ins.args)));
      } else if (!ins.heredocs.empty()) {
        // BuildKit's dispatchRun: a command that is one heredoc runs its
        // body (a "#!" body as the file /dev/pipes/NAME); otherwise the
        // line and every body followed by its delimiter go to the shell.
        const lint::Heredoc& h = ins.heredocs[0];
        if (IsSingleHeredocWord(ins.args_text())) {
          std::string body = h.strip_tabs ? h.EffectiveBody() : std::string(h.body);
          if (StartsWith(body, "#!")) {
            AddUnique(&commands_, "/dev/pipes/" + h.name);
          } else {
            AddUnique(&commands_, CollapseWhitespace(body));
          }
        } else {
          std::string text(ins.args_text());
          for (const lint::Heredoc& d : ins.heredocs) {
            text += "\n";
            text += d.body;
            text += d.name;
          }
          AddUnique(&commands_, CollapseWhitespace(text));
        }
        AddUnique(&commands_, CollapseWhitespace(ins.args_text()));
      } else {
        AddUnique(&commands_, CollapseWhitespace(ins.args_text()));
      }
      break;
    }
    case InstructionKind::kCopy:
    case InstructionKind::kAdd: {
      if (ins.args.size() < 2) break;
      const std::string& dest = ins.args.back();
      for (size_t i = 0; i + 1 < ins.args.size(); ++i) {
        sources_.push_back(ins.args[i]);
        sources_expanded_.push_back(before.Expand(ins.args[i]));
      }
      AddUnique(&dests_exact_, CleanPath(dest));
      if (!before.workdir.empty()) AddUnique(&dests_exact_, ResolvePath(before.workdir, dest));
      std::string expanded = before.Expand(dest);
      if (expanded != dest) {
        AddUnique(&dests_normalized_, CleanPath(expanded));
        if (!before.workdir.empty()) AddUnique(&dests_normalized_, ResolvePath(before.workdir, expanded));
      }
      break;
    }
    case InstructionKind::kEnv:
    case InstructionKind::kLabel:
    case InstructionKind::kArg: {
      std::string plain, expanded;
      for (const lint::KeyValue& kv : ins.key_values) {
        keys_.push_back(kv.key);
        bool bare = ins.kind == InstructionKind::kArg && !kv.has_value;
        std::string one = bare ? kv.key : kv.key + "=" + kv.value;
        std::string exp = bare ? kv.key : kv.key + "=" + before.Expand(kv.value);
        plain += (plain.empty() ? "" : " ") + one;
        expanded += (expanded.empty() ? "" : " ") + exp;
      }
      AddUnique(&exact_, written_);
      AddUnique(&exact_, CollapseWhitespace(plain));
      std::string e = CollapseWhitespace(expanded);
      if (!Contains(exact_, e)) normalized_.push_back(e);
      break;
    }
    case InstructionKind::kCmd:
    case InstructionKind::kEntrypoint:
      if (ins.is_exec_form()) {
        vector_ = ins.args;
      } else if (ins.form == lint::ArgForm::kShell) {
        vector_ = before.shell;
        vector_.emplace_back(ins.args_text());
      }
      vector_ = CollapseAll(vector_);
      break;
    case InstructionKind::kVolume:
    case InstructionKind::kShell:
      vector_ = CollapseAll(ins.args);
      for (const std::string& a : ins.args) normalized_.push_back(CollapseWhitespace(before.Expand(a)));
      break;
    case InstructionKind::kHealthcheck: {
      if (ins.args.empty()) break;
      std::string type;
      for (char c : ins.args[0]) type.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      if (type == "NONE") {
        vector_ = {"NONE"};
      } else if (type == "CMD" && ins.args.size() >= 2) {
        if (ins.is_exec_form()) {
          vector_.push_back("CMD");
          vector_.insert(vector_.end(), ins.args.begin() + 1, ins.args.end());
        } else {
          vector_ = {"CMD-SHELL", ins.args[1]};
        }
      }
      vector_ = CollapseAll(vector_);
      break;
    }
    case InstructionKind::kWorkdir:
      if (!ins.args.empty()) workdir_expanded_ = CollapseWhitespace(before.Expand(TrimWhitespace(ins.args[0])));
      break;
    case InstructionKind::kUser:
    case InstructionKind::kStopsignal:
    case InstructionKind::kMaintainer: {
      std::string e = CollapseWhitespace(before.Expand(written_));
      if (e != written_) normalized_.push_back(e);
      break;
    }
    case InstructionKind::kExpose: {
      std::vector<std::string> expanded;
      for (const std::string& a : ins.args) expanded.push_back(before.Expand(a));
      ports_ = NormalizePorts(expanded);
      break;
    }
    default:
      break;
  }
}

EntryScore InstructionForms::Compare(const CreatedBy& e) const {
  if (e.kind != ins_->kind) {
    // The classic builder writes an exec-form RUN as the bare command.
    if (ins_->kind == InstructionKind::kRun && e.kind == InstructionKind::kUnknown) {
      EntryScore s = CompareRun(e);
      if (s.confidence == MatchConfidence::kExact) {
        s.reason = "same command (an exec-form RUN, recorded without a shell)";
        return s;
      }
    }
    return EntryScore();
  }
  switch (ins_->kind) {
    case InstructionKind::kRun:
      return CompareRun(e);
    case InstructionKind::kCopy:
    case InstructionKind::kAdd:
      return CompareCopy(e);
    case InstructionKind::kEnv:
    case InstructionKind::kLabel:
      return ComparePairs(e);
    case InstructionKind::kArg:
      return CompareArg(e);
    case InstructionKind::kCmd:
    case InstructionKind::kEntrypoint:
    case InstructionKind::kVolume:
    case InstructionKind::kShell:
      return CompareVector(e);
    case InstructionKind::kHealthcheck:
      return CompareHealthcheck(e);
    case InstructionKind::kExpose:
      return CompareExpose(e);
    case InstructionKind::kWorkdir:
      return CompareWorkdir(e);
    case InstructionKind::kUnknown:
    case InstructionKind::kFrom:
      return EntryScore();
    default:
      return CompareText(e);
  }
}

EntryScore InstructionForms::CompareRun(const CreatedBy& e) const {
  const std::string& raw = e.raw;
  for (const std::string& c : commands_) {
    if (c.empty()) continue;
    if (e.kind == InstructionKind::kRun && e.args == c) return Score(MatchConfidence::kExact, "same command");
    if (raw == c) return Score(MatchConfidence::kExact, "same command");
    // "<prefix> <command>": the prefix must be shell words, a build-arg
    // prefix, or both; matching the end keeps build-arg values with
    // spaces harmless.
    if (raw.size() <= c.size() + 1 || !EndsWith(raw, c) || raw[raw.size() - c.size() - 1] != ' ') continue;
    std::string_view prefix(raw.data(), raw.size() - c.size() - 1);
    bool args_prefix = !prefix.empty() && prefix[0] == '|';
    for (const std::string& sh : {shell_, std::string("/bin/sh -c")}) {
      if (prefix == sh || (args_prefix && EndsWith(prefix, " " + sh))) {
        return Score(MatchConfidence::kExact, args_prefix ? "same command after the build-arg prefix and shell"
                                                          : "same command after the shell");
      }
    }
    if (args_prefix && ins_->is_exec_form()) {
      return Score(MatchConfidence::kExact, "same command after the build-arg prefix");
    }
  }
  if (e.kind != InstructionKind::kRun) return EntryScore();
  return Score(MatchConfidence::kPositional, "a RUN with another command");
}

EntryScore InstructionForms::CompareCopy(const CreatedBy& e) const {
  if (e.args == written_) return Score(MatchConfidence::kExact, "recorded as written");
  std::string dest = CleanPath(e.copy_dest);
  bool dest_exact = !e.copy_dest.empty() && Contains(dests_exact_, dest);
  bool dest_norm = !e.copy_dest.empty() && Contains(dests_normalized_, dest);
  if (e.hashed_sources) {
    if (dest_exact) {
      return Score(MatchConfidence::kNormalized, "same destination; the sources are content hashes in this history");
    }
    if (dest_norm) {
      return Score(MatchConfidence::kNormalized,
                   "same destination once variables are expanded; the sources are content hashes");
    }
    return Score(MatchConfidence::kPositional, "another destination");
  }
  bool src_exact = e.copy_sources == sources_;
  bool src_norm = e.copy_sources == sources_expanded_;
  if (dest_exact && src_exact) return Score(MatchConfidence::kExact, "same sources and destination");
  if ((dest_exact || dest_norm) && (src_exact || src_norm)) {
    return Score(MatchConfidence::kNormalized, "same sources and destination once variables are expanded");
  }
  if (dest_exact || dest_norm) return Score(MatchConfidence::kPositional, "same destination, other sources", true);
  return Score(MatchConfidence::kPositional, "another destination");
}

EntryScore InstructionForms::ComparePairs(const CreatedBy& e) const {
  if (Contains(exact_, e.args)) return Score(MatchConfidence::kExact, "same keys and values");
  if (Contains(normalized_, e.args)) {
    return Score(MatchConfidence::kNormalized, "same keys and values once variables are expanded");
  }
  if (KeysInOrder(keys_, TokenNames(e.args))) {
    return Score(MatchConfidence::kPositional, "same keys, other values", true);
  }
  return Score(MatchConfidence::kPositional, "other keys");
}

EntryScore InstructionForms::CompareArg(const CreatedBy& e) const {
  if (Contains(exact_, e.args)) return Score(MatchConfidence::kExact, "same names and defaults");
  if (Contains(normalized_, e.args)) {
    return Score(MatchConfidence::kNormalized, "same names and defaults once variables are expanded");
  }
  std::vector<std::string> names = TokenNames(e.args);
  bool all = !keys_.empty();
  for (const std::string& k : keys_) all = all && Contains(names, k);
  if (all) return Score(MatchConfidence::kNormalized, "same names (values not compared)");
  return Score(MatchConfidence::kPositional, "other names");
}

EntryScore InstructionForms::CompareVector(const CreatedBy& e) const {
  if (e.args == written_) return Score(MatchConfidence::kExact, "recorded as written");
  std::vector<std::string> list;
  if (ParseBracketList(e.args, &list)) {
    list = CollapseAll(list);
    if (!vector_.empty() && list == vector_) return Score(MatchConfidence::kExact, "same arguments");
    if (!normalized_.empty() && list == normalized_) {
      return Score(MatchConfidence::kNormalized, "same arguments once variables are expanded");
    }
  }
  // Go %v of a list whose items hold spaces cannot be split back.
  if (!vector_.empty() && e.args == "[" + JoinWords(vector_) + "]") {
    return Score(MatchConfidence::kExact, "same arguments");
  }
  return Score(MatchConfidence::kPositional, "other arguments");
}

EntryScore InstructionForms::CompareHealthcheck(const CreatedBy& e) const {
  if (e.args == written_) return Score(MatchConfidence::kExact, "recorded as written");
  std::vector<std::string> test;
  if (!vector_.empty() && ParseHealthcheckTest(e.args, &test) && CollapseAll(test) == vector_) {
    return Score(MatchConfidence::kExact, "same test command");
  }
  return Score(MatchConfidence::kPositional, "another test command");
}

EntryScore InstructionForms::CompareExpose(const CreatedBy& e) const {
  std::string_view a = e.args;
  std::vector<std::string> words;
  if (StartsWith(a, "map[") && EndsWith(a, "]")) {
    for (std::string_view tok : Split(a.substr(4, a.size() - 5), ' ')) {
      if (EndsWith(tok, ":{}")) tok.remove_suffix(3);
      if (!tok.empty()) words.emplace_back(tok);
    }
  } else {
    for (std::string_view tok : Split(a, ' ')) {
      if (!tok.empty()) words.emplace_back(tok);
    }
  }
  if (!ports_.empty() && NormalizePorts(words) == ports_) return Score(MatchConfidence::kExact, "same ports");
  return Score(MatchConfidence::kPositional, "other ports");
}

EntryScore InstructionForms::CompareWorkdir(const CreatedBy& e) const {
  if (ins_->args.empty()) return Score(MatchConfidence::kPositional, "another directory");
  std::string raw = CollapseWhitespace(ins_->args[0]);
  if (e.args == raw) return Score(MatchConfidence::kExact, "recorded as written");
  // BuildKit and the classic builder record the directory expanded and
  // resolved against the previous WORKDIR.
  auto resolved = [&](const std::string& p) -> std::string {
    if (!p.empty() && p[0] == '/') return CleanPath(p);
    return workdir_before_.empty() ? std::string() : ResolvePath(workdir_before_, p);
  };
  std::string got = CleanPath(e.args);
  bool has_var = raw.find('$') != std::string::npos;
  if (!has_var && resolved(raw) == got) return Score(MatchConfidence::kExact, "same directory");
  if (has_var && !workdir_expanded_.empty() && resolved(workdir_expanded_) == got) {
    return Score(MatchConfidence::kNormalized, "same directory once variables are expanded");
  }
  std::string rel = has_var ? workdir_expanded_ : raw;
  if (workdir_before_.empty() && !rel.empty() && rel[0] != '/' && EndsWith(got, "/" + CleanPath(rel))) {
    return Score(MatchConfidence::kNormalized, "same directory under the base image's WORKDIR");
  }
  return Score(MatchConfidence::kPositional, "another directory");
}

EntryScore InstructionForms::CompareText(const CreatedBy& e) const {
  if (e.args == written_) return Score(MatchConfidence::kExact, "recorded as written");
  if (Contains(normalized_, e.args)) {
    return Score(MatchConfidence::kNormalized, "same text once variables are expanded");
  }
  return Score(MatchConfidence::kPositional, "other text");
}

}  // namespace whittle::explain
