// Status and Result<T>: how every fallible function in whittle reports failure.
//
// No exceptions cross a module boundary and whittle's code throws none
// (STYLE.md §6). A Status is either ok or an error code plus a one-line,
// user-facing message that already names the file and offset or line.
// Result<T> mirrors the std::expected interface (value(), error(),
// has_value(), operator*, operator->) so a move to C++23 is a rename.
#ifndef WHITTLE_UTIL_STATUS_H_
#define WHITTLE_UTIL_STATUS_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace whittle {

/// Error categories. They decide the exit code (see ExitCode) and let callers
/// tell a missing file from a corrupt one; the message carries the detail.
enum class Errc {
  kOk = 0,
  kUsage,           // bad command line or configuration
  kIo,              // open/read/write failed
  kNotFound,        // a named file, blob, image or key does not exist
  kCorrupt,         // input violates its format (truncated, bad checksum...)
  kDigestMismatch,  // bytes do not hash to the digest that names them
  kTooLarge,        // a size read from input exceeds a safety cap
  kUnsupported,     // well-formed input we do not handle
  kInternal,        // a bug: an invariant failed
};

/// Process exit codes, the same for every verb (STYLE.md §6).
enum class ExitCode : int {
  kOk = 0,
  kCheckFailed = 1,  // lint findings at the threshold, a CI rule failed
  kError = 2,        // usage, configuration, unreadable or corrupt input
  kInterrupted = 130,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Errc code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Errc::kOk; }
  Errc code() const { return code_; }
  const std::string& message() const { return message_; }

  /// Returns a copy whose message is "prefix: message" (adds context such as
  /// the file name while an error travels up).
  Status WithPrefix(const std::string& prefix) const {
    if (ok()) return *this;
    return Status(code_, prefix + ": " + message_);
  }

 private:
  Errc code_ = Errc::kOk;
  std::string message_;
};

inline Status Error(Errc code, std::string message) {
  return Status(code, std::move(message));
}

/// A value or an error Status. Construct from a T for success or from a
/// non-ok Status for failure.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : v_(value) {}
  Result(T&& value) : v_(std::move(value)) {}
  Result(Status status) : v_(std::move(status)) {
    assert(!std::get<Status>(v_).ok() && "Result built from an ok Status");
  }

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; only valid when !has_value().
  const Status& error() const { return std::get<1>(v_); }
  /// Ok when a value is held, else the error (for RETURN_IF_ERROR).
  Status status() const { return has_value() ? Status::Ok() : error(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace whittle

#define WHITTLE_CONCAT_INNER_(a, b) a##b
#define WHITTLE_CONCAT_(a, b) WHITTLE_CONCAT_INNER_(a, b)

/// Returns from the enclosing function if |expr| (a Status) is an error.
#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    ::whittle::Status whittle_status_ = (expr);       \
    if (!whittle_status_.ok()) return whittle_status_; \
  } while (0)

/// `ASSIGN_OR_RETURN(auto x, F());` binds the value of a Result or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(WHITTLE_CONCAT_(whittle_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.has_value()) return tmp.error();    \
  lhs = std::move(tmp).value()

#endif  // WHITTLE_UTIL_STATUS_H_
