// What SIGINT and SIGTERM do to a whittle run, and the temporary files that
// must not outlive one.
//
// InstallInterruptHandlers() is called once at the start of every verb run
// (cli/verb_runner.cc). From then on a signal ends the process at once: the
// handler removes every live TempFile, writes "whittle: interrupted" to
// stderr and calls _exit(128 + signal) (130 for SIGINT, 143 for SIGTERM),
// as a shell reports a command a signal ended. A component that must clean
// up more than files (compact's staging directory) opens a
// CooperativeInterrupts scope instead: the handler then only records the
// signal, and the component polls InterruptSignal() and unwinds.
//
// The handler is async-signal-safe: the live temp paths sit in a
// fixed-size table of atomically claimed slots, and it calls only unlink,
// write, nanosleep and _exit. A TempFile's name is registered before the
// file is created, and the handler waits (briefly) for a creation in
// flight on another thread, so no interleaving leaves a file behind.
#ifndef WHITTLE_UTIL_INTERRUPT_H_
#define WHITTLE_UTIL_INTERRUPT_H_

#include <string>

#include "util/status.h"

namespace whittle {

/// Installs the SIGINT and SIGTERM handlers; later calls do nothing.
void InstallInterruptHandlers();

/// The signal (SIGINT, SIGTERM) that arrived while a CooperativeInterrupts
/// scope was open, or 0.
int InterruptSignal();

/// The exit code a shell gives a command |sig| ended: 128 + |sig|.
inline ExitCode ExitCodeForSignal(int sig) { return static_cast<ExitCode>(128 + sig); }

/// While one is alive, a signal only records itself for InterruptSignal();
/// the owner polls and cleans up. Opening the outermost scope installs the
/// handlers (if not yet) and clears a signal recorded by an earlier scope.
class CooperativeInterrupts {
 public:
  CooperativeInterrupts();
  ~CooperativeInterrupts();
  CooperativeInterrupts(const CooperativeInterrupts&) = delete;
  CooperativeInterrupts& operator=(const CooperativeInterrupts&) = delete;
};

/// A temporary file that a signal removes: DIR/.whittle-tmp-XXXXXX, written
/// through fd() and then renamed over its destination by CommitTo().
/// Destroying one that was not committed closes and removes it.
class TempFile {
 public:
  /// Creates a new empty file (mode 0600, O_EXCL) in the directory of
  /// |dest|, the file it will replace. Errors (kIo): "DEST: cannot create a
  /// temporary file in DIR: STRERROR"; kInternal when kMaxLiveTempFiles
  /// are live or the path is longer than PATH_MAX.
  static Result<TempFile> Create(const std::string& dest);
  static constexpr int kMaxLiveTempFiles = 64;

  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile();

  /// The open descriptor (-1 after CommitTo or a move).
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  /// Closes the file and renames it to |dest|. On error the temp file is
  /// removed and the error is kIo "DEST: cannot write: STRERROR" (close
  /// reports a delayed write error such as ENOSPC) or "DEST: cannot
  /// replace: STRERROR" (rename).
  Status CommitTo(const std::string& dest);

 private:
  TempFile(int fd, int slot, std::string path) : fd_(fd), slot_(slot), path_(std::move(path)) {}
  void Release();  // unregisters; the file itself is the caller's business
  int fd_ = -1;
  int slot_ = -1;
  std::string path_;
};

}  // namespace whittle

#endif  // WHITTLE_UTIL_INTERRUPT_H_
