#include "cli/flags.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "cli/common.h"

namespace whittle {

std::vector<std::string> Operands::All() const {
  std::vector<std::string> all = before_dashes;
  all.insert(all.end(), after_dashes.begin(), after_dashes.end());
  return all;
}

void FlagSet::Bool(const char* name, const char* short_name, bool* target) {
  Action(name, short_name, [target] { *target = true; });
}

void FlagSet::Action(const char* name, const char* short_name, std::function<void()> action) {
  entries_.push_back({name, short_name, Kind::kFlag, std::move(action), nullptr, nullptr});
}

void FlagSet::String(const char* name, const char* short_name, std::string* target) {
  Value(name, short_name, [target](const std::string& v) {
    *target = v;
    return Status::Ok();
  });
}

void FlagSet::Append(const char* name, const char* short_name, std::vector<std::string>* target) {
  Value(name, short_name, [target](const std::string& v) {
    target->push_back(v);
    return Status::Ok();
  });
}

void FlagSet::Value(const char* name, const char* short_name, ValueFn fn) {
  entries_.push_back({name, short_name, Kind::kValue, nullptr, std::move(fn), nullptr});
}

void FlagSet::Info(const char* name, const char* short_name, std::function<std::string()> text) {
  entries_.push_back({name, short_name, Kind::kInfo, nullptr, nullptr, std::move(text)});
}

void FlagSet::Alias(const char* short_name, const char* name) {
  for (Entry& e : entries_) {
    if (std::strcmp(e.name, name) == 0) e.short_name = short_name;
  }
}

std::vector<FlagSet::Declared> FlagSet::List() const {
  std::vector<Declared> out;
  for (const Entry& e : entries_) out.push_back({e.name, e.short_name, e.kind == Kind::kValue});
  return out;
}

Result<FlagSet::Parsed> FlagSet::Parse(const std::vector<std::string>& args) const {
  Parsed parsed;
  ArgParser p(args);
  while (!p.Done()) {
    if (p.TryDoubleDash()) {
      parsed.operands.saw_dashes = true;
      continue;
    }
    std::string value;
    if (p.TryPositional(&value)) {
      auto& list = p.after_dashes() ? parsed.operands.after_dashes : parsed.operands.before_dashes;
      list.push_back(std::move(value));
      continue;
    }
    const Entry* hit = nullptr;
    for (const Entry& e : entries_) {
      bool matched =
          e.kind == Kind::kValue ? p.TryOption(e.name, e.short_name, &value) : p.TryFlag(e.name, e.short_name);
      if (matched) {
        hit = &e;
        break;
      }
    }
    if (hit == nullptr) return Error(Errc::kUsage, p.UnexpectedMessage());
    if (!p.error().ok()) return p.error();
    switch (hit->kind) {
      case Kind::kFlag:
        hit->action();
        break;
      case Kind::kValue:
        RETURN_IF_ERROR(hit->value(value));
        break;
      case Kind::kInfo:
        parsed.info = hit->info();
        return parsed;
    }
  }
  return parsed;
}

Status ParseMaxRows(const std::string& value, size_t* rows) {
  long v = 0;
  if (!TryParseInt(value, 0, LONG_MAX, &v)) {
    return Error(Errc::kUsage, "-n needs a number >= 0, got '" + value + "'");
  }
  *rows = static_cast<size_t>(v);
  return Status::Ok();
}

bool TryParseInt(const std::string& text, long min, long max, long* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE || v < min || v > max) return false;
  *out = v;
  return true;
}

}  // namespace whittle
