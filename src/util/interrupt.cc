#include "util/interrupt.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>

#include "util/strings.h"

namespace whittle {

namespace {

static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

// A slot of the live temp-file table. kFree -> kFilling (one thread owns
// it, writing the path) -> kLive (the handler may claim it) -> kFree, or
// kLive -> kClaimed by the handler, which unlinks the path; a claimed slot
// is never written again (the process is about to end).
enum SlotState : int { kFree, kFilling, kLive, kClaimed };

struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX] = {};  // initialised, so the table is constant-initialised (.bss): no page touched at start
};

Slot g_slots[TempFile::kMaxLiveTempFiles];
// Threads between registering a name and creating its file.
std::atomic<int> g_creating{0};
// Set by the handler that is ending the process.
std::atomic<int> g_exiting{0};
// Open CooperativeInterrupts scopes, and the signal recorded under them.
std::atomic<int> g_cooperative{0};
std::atomic<int> g_signal{0};
std::atomic<bool> g_installed{false};

// The handler is ending the process from another thread: wait for it.
[[noreturn]] void WaitForExit() {
  for (;;) pause();
}

void WriteStderr(const char* s) {
  size_t n = std::strlen(s);
  while (n > 0) {
    ssize_t w = write(STDERR_FILENO, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

// Not instrumented by AddressSanitizer. The signal may land on any thread
// that does not block it, including one the sanitizer is still setting up
// or already tearing down (its stack bounds unknown). In an instrumented
// handler the compiler puts __asan_handle_no_return before _exit, and on
// such a thread that prints a "false positive error reports may follow"
// warning after our line (CI's ASan run of tests/e2e/signals_test.sh saw
// it once). The handler only touches atomics and the static slot table.
#if defined(__clang__) || defined(__GNUC__)
__attribute__((no_sanitize("address")))
#endif
void OnSignal(int sig) {
  if (g_cooperative.load() > 0) {
    g_signal.store(sig);
    return;
  }
  if (g_exiting.exchange(1) != 0) return;  // another thread is already ending the process
  int saved_errno = errno;
  // A creation in flight on another thread finishes first (its file then
  // exists and is removed below); on this thread it never will, so the
  // wait is bounded (200 ms).
  struct timespec ms = {0, 1000000};
  for (int i = 0; i < 200 && g_creating.load() != 0; ++i) nanosleep(&ms, nullptr);
  for (Slot& s : g_slots) {
    int live = kLive;
    if (s.state.compare_exchange_strong(live, kClaimed)) unlink(s.path);
  }
  WriteStderr("whittle: interrupted\n");
  errno = saved_errno;
  _exit(128 + sig);
}

// Frees |slot| unless the handler has claimed it (then the process is
// ending: this thread waits for it).
void FreeSlot(int slot) {
  int live = kLive;
  if (!g_slots[slot].state.compare_exchange_strong(live, kFree)) WaitForExit();
}

// A name for the next attempt: six characters from pid, time and a counter.
std::string RandomSuffix() {
  static std::atomic<uint64_t> counter{0};
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t x = (static_cast<uint64_t>(ts.tv_nsec) << 20) ^ static_cast<uint64_t>(ts.tv_sec) ^
               (static_cast<uint64_t>(getpid()) << 40) ^ (counter.fetch_add(1) * 0x9e3779b97f4a7c15ull);
  x ^= x >> 29;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 32;
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out(6, 'x');
  for (char& c : out) {
    c = kChars[x % 62];
    x /= 62;
  }
  return out;
}

}  // namespace

void InstallInterruptHandlers() {
  if (g_installed.exchange(true)) return;
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old = {};
    sigaction(sig, nullptr, &old);
    // A signal the parent chose to ignore (a background job of a shell
    // without job control, nohup) stays ignored.
    if (old.sa_handler == SIG_IGN) continue;
    struct sigaction sa = {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART;  // cooperative code polls; reads are not cut short
    sigaction(sig, &sa, nullptr);
  }
}

int InterruptSignal() { return g_signal.load(); }

CooperativeInterrupts::CooperativeInterrupts() {
  InstallInterruptHandlers();
  if (g_cooperative.fetch_add(1) == 0) g_signal.store(0);
}

CooperativeInterrupts::~CooperativeInterrupts() { g_cooperative.fetch_sub(1); }

Result<TempFile> TempFile::Create(const std::string& dest) {
  std::string dir = ".";
  if (size_t slash = dest.rfind('/'); slash != std::string::npos) dir = slash == 0 ? "/" : dest.substr(0, slash);
  // Announce the creation before anything else: from here the handler
  // waits for it, or (already exiting) this thread waits for the handler.
  g_creating.fetch_add(1);
  if (g_exiting.load() != 0) {
    g_creating.fetch_sub(1);
    WaitForExit();
  }
  auto done = [](Status st) {
    g_creating.fetch_sub(1);
    return st;
  };
  int slot = -1;
  for (int i = 0; i < kMaxLiveTempFiles && slot < 0; ++i) {
    int free = kFree;
    if (g_slots[i].state.compare_exchange_strong(free, kFilling)) slot = i;
  }
  if (slot < 0) return done(Error(Errc::kInternal, StrFormat("%s: more than %d temporary files at once", dest.c_str(), kMaxLiveTempFiles)));
  Slot& s = g_slots[slot];
  std::string prefix = dir + "/.whittle-tmp-";
  if (prefix.size() + 6 >= sizeof s.path) {
    s.state.store(kFree);
    return done(Error(Errc::kInternal, dest + ": directory name too long for a temporary file"));
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string path = prefix + RandomSuffix();
    std::memcpy(s.path, path.c_str(), path.size() + 1);
    s.state.store(kLive);  // registered before the file exists
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      g_creating.fetch_sub(1);
      return TempFile(fd, slot, std::move(path));
    }
    int e = errno;
    // Back to kFilling to write the next name (unless the handler claimed
    // the slot: it is ending the process).
    int live = kLive;
    if (!s.state.compare_exchange_strong(live, kFilling)) {
      g_creating.fetch_sub(1);
      WaitForExit();
    }
    if (e != EEXIST) {
      s.state.store(kFree);
      return done(
          Error(Errc::kIo, StrFormat("%s: cannot create a temporary file in %s: %s", dest.c_str(), dir.c_str(),
                                     std::strerror(e))));
    }
  }
  s.state.store(kFree);
  return done(Error(Errc::kIo, dest + ": cannot create a temporary file in " + dir + ": no free name after 100 tries"));
}

TempFile::TempFile(TempFile&& other) noexcept : fd_(other.fd_), slot_(other.slot_), path_(std::move(other.path_)) {
  other.fd_ = -1;
  other.slot_ = -1;
}

TempFile::~TempFile() {
  if (slot_ < 0) return;
  if (fd_ >= 0) close(fd_);
  unlink(path_.c_str());
  Release();
}

void TempFile::Release() {
  if (slot_ < 0) return;
  FreeSlot(slot_);
  slot_ = -1;
}

Status TempFile::CommitTo(const std::string& dest) {
  if (slot_ < 0) return Error(Errc::kInternal, dest + ": temporary file already committed");
  int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) {
    int e = errno;
    unlink(path_.c_str());
    Release();
    return Error(Errc::kIo, StrFormat("%s: cannot write: %s", dest.c_str(), std::strerror(e)));
  }
  if (rename(path_.c_str(), dest.c_str()) != 0) {
    int e = errno;
    unlink(path_.c_str());
    Release();
    return Error(Errc::kIo, StrFormat("%s: cannot replace: %s", dest.c_str(), std::strerror(e)));
  }
  // A signal between the rename and here unlinks a name that is gone.
  Release();
  return Status::Ok();
}

}  // namespace whittle
