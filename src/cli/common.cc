#include "cli/common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util/interrupt.h"
#include "util/strings.h"

namespace whittle {

ExitCode ExitCodeFor(const Status& status) {
  // No default: a new Errc must decide its exit code here.
  switch (status.code()) {
    case Errc::kOk:
      return ExitCode::kOk;
    case Errc::kUsage:
    case Errc::kIo:
    case Errc::kNotFound:
    case Errc::kCorrupt:
    case Errc::kDigestMismatch:
    case Errc::kTooLarge:
    case Errc::kUnsupported:
    case Errc::kInternal:
      return ExitCode::kError;
  }
  return ExitCode::kError;
}

const char* OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTty: return "tty";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kCsv: return "csv";
    case OutputFormat::kTsv: return "tsv";
    case OutputFormat::kSarif: return "sarif";
    case OutputFormat::kJunit: return "junit";
    case OutputFormat::kCheckstyle: return "checkstyle";
    case OutputFormat::kMarkdown: return "markdown";
    case OutputFormat::kCodeQuality: return "codequality";
  }
  return "?";
}

Result<OutputFormat> ParseOutputFormat(std::string_view v) {
  if (v == "text" || v == "human") return OutputFormat::kTty;
  if (v == "md") return OutputFormat::kMarkdown;
  for (OutputFormat f : kAllOutputFormats) {
    if (v == OutputFormatName(f)) return f;
  }
  std::string names;
  for (OutputFormat f : kAllOutputFormats) names += std::string(names.empty() ? "" : ", ") + OutputFormatName(f);
  return Error(Errc::kUsage, StrFormat("unknown --format '%s' (%s)", std::string(v).c_str(), names.c_str()));
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  ASSIGN_OR_RETURN(TempFile temp, TempFile::Create(path));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t w = write(temp.fd(), content.data() + done, content.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Error(Errc::kIo, StrFormat("%s: write failed: %s", path.c_str(), std::strerror(errno)));
    }
    done += static_cast<size_t>(w);
  }
  if (fchmod(temp.fd(), 0644) != 0) { /* keep the temp file's 0600 */ }
  return temp.CommitTo(path);
}

bool ArgParser::TryFlag(const char* name, const char* short_name) {
  if (Done() || after_dashes_) return false;
  const std::string& a = args_[i_];
  if (a == name || (short_name && a == short_name)) {
    ++i_;
    return true;
  }
  return false;
}

bool ArgParser::TryOption(const char* name, const char* short_name, std::string* value) {
  if (Done() || after_dashes_) return false;
  const std::string& a = args_[i_];
  std::string n = name;
  if (a == n || (short_name && a == short_name)) {
    if (i_ + 1 >= args_.size()) {
      error_ = Error(Errc::kUsage, StrFormat("option %s needs a value", a.c_str()));
      ++i_;
      return true;
    }
    *value = args_[i_ + 1];
    i_ += 2;
    return true;
  }
  if (StartsWith(a, n + "=")) {
    *value = a.substr(n.size() + 1);
    ++i_;
    return true;
  }
  // short option glued to its value: -n10
  if (short_name && std::strlen(short_name) == 2 && a.size() > 2 && StartsWith(a, short_name)) {
    *value = a.substr(2);
    ++i_;
    return true;
  }
  return false;
}

bool ArgParser::TryPositional(std::string* value) {
  if (Done()) return false;
  const std::string& a = args_[i_];
  if (after_dashes_ || a.empty() || a[0] != '-' || a == "-") {
    *value = a;
    ++i_;
    return true;
  }
  return false;
}

std::string ArgParser::UnexpectedMessage() const {
  if (!error_.ok()) return error_.message();
  return "unknown option '" + args_[i_] + "'";
}

bool ArgParser::TryDoubleDash() {
  if (!TryFlag("--")) return false;
  after_dashes_ = true;
  return true;
}

}  // namespace whittle
