#include "util/interrupt.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace whittle {
namespace {

namespace fs = std::filesystem;

std::string MakeDir() {
  std::string tmpl = (fs::temp_directory_path() / "whittle-interrupt-XXXXXX").string();
  EXPECT_NE(mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteAll(int fd, const std::string& s) { ASSERT_EQ(write(fd, s.data(), s.size()), static_cast<ssize_t>(s.size())); }

TEST(TempFileTest, CommitReplacesTheDestination) {
  std::string dir = MakeDir();
  std::ofstream(dir + "/out") << "old";
  auto t = TempFile::Create(dir + "/out");
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->path().rfind(dir + "/.whittle-tmp-", 0), 0u) << t->path();
  EXPECT_EQ(t->path().size(), dir.size() + 20);  // "/.whittle-tmp-" and 6 characters
  WriteAll(t->fd(), "new");
  EXPECT_EQ(Slurp(dir + "/out"), "old");
  ASSERT_TRUE(t->CommitTo(dir + "/out").ok());
  EXPECT_EQ(t->fd(), -1);
  EXPECT_EQ(Slurp(dir + "/out"), "new");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out"});
  fs::remove_all(dir);
}

TEST(TempFileTest, DestroyedUncommittedIsRemoved) {
  std::string dir = MakeDir();
  {
    auto t = TempFile::Create(dir + "/out");
    ASSERT_TRUE(t);
    WriteAll(t->fd(), "partial");
    EXPECT_EQ(Names(dir).size(), 1u);
  }
  EXPECT_TRUE(Names(dir).empty());
  fs::remove_all(dir);
}

TEST(TempFileTest, CommitFailureNamesTheDestinationAndRemovesTheTemp) {
  std::string dir = MakeDir();
  fs::create_directories(dir + "/dest/sub");  // rename onto a non-empty directory fails
  auto t = TempFile::Create(dir + "/out");
  ASSERT_TRUE(t);
  Status st = t->CommitTo(dir + "/dest");
  EXPECT_EQ(st.code(), Errc::kIo);
  EXPECT_EQ(st.message(), dir + "/dest: cannot replace: Is a directory");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"dest"});
  fs::remove_all(dir);
}

TEST(TempFileTest, MissingDirectory) {
  auto t = TempFile::Create("/nonexistent-whittle-dir/out");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().message(),
            "/nonexistent-whittle-dir/out: cannot create a temporary file in /nonexistent-whittle-dir: No such file or "
            "directory");
}

TEST(TempFileTest, TheTableIsBoundedAndSlotsAreReused) {
  std::string dir = MakeDir();
  for (int round = 0; round < 2; ++round) {
    std::vector<TempFile> live;
    for (int i = 0; i < TempFile::kMaxLiveTempFiles; ++i) {
      auto t = TempFile::Create(dir + "/out");
      ASSERT_TRUE(t) << i << ": " << t.error().message();
      live.push_back(std::move(*t));
    }
    auto extra = TempFile::Create(dir + "/out");
    ASSERT_FALSE(extra);
    EXPECT_EQ(extra.error().code(), Errc::kInternal);
    EXPECT_EQ(Names(dir).size(), static_cast<size_t>(TempFile::kMaxLiveTempFiles));
  }
  EXPECT_TRUE(Names(dir).empty());
  fs::remove_all(dir);
}

// Runs |body| in a child process with stderr captured; returns the wait
// status and (in |*err|) what the child wrote to stderr.
int InChild(const std::function<void()>& body, std::string* err) {
  int pipefd[2];
  EXPECT_EQ(pipe(pipefd), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(pipefd[0]);
    dup2(pipefd[1], STDERR_FILENO);
    body();
    _exit(0);
  }
  close(pipefd[1]);
  char buf[256];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0) err->append(buf, static_cast<size_t>(n));
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(InterruptTest, ASignalRemovesLiveTempFilesAndExits128PlusN) {
  for (int sig : {SIGINT, SIGTERM}) {
    std::string dir = MakeDir();
    std::ofstream(dir + "/out") << "old";
    std::string err;
    int status = InChild(
        [&] {
          signal(SIGINT, SIG_DFL);
          signal(SIGTERM, SIG_DFL);
          InstallInterruptHandlers();
          auto a = TempFile::Create(dir + "/out");
          auto b = TempFile::Create(dir + "/out");
          auto c = TempFile::Create(dir + "/out");
          if (!a || !b || !c) _exit(3);
          if (!b->CommitTo(dir + "/committed").ok()) _exit(4);
          WriteAll(a->fd(), "partial");
          raise(sig);
          _exit(5);  // not reached
        },
        &err);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 128 + sig);
    EXPECT_EQ(err, "whittle: interrupted\n");
    EXPECT_EQ(Names(dir), (std::vector<std::string>{"committed", "out"}));
    EXPECT_EQ(Slurp(dir + "/out"), "old");
    fs::remove_all(dir);
  }
}

// A signal sent to the process while the main thread blocks it runs the
// handler on a worker: the same line, exit code and clean-up (the worker
// waits in a read, as the background readers do).
TEST(InterruptTest, ASignalHandledOnAWorkerThreadEndsTheRunTheSameWay) {
  std::string dir = MakeDir();
  std::string err;
  int status = InChild(
      [&] {
        signal(SIGTERM, SIG_DFL);
        InstallInterruptHandlers();
        auto t = TempFile::Create(dir + "/out");
        if (!t) _exit(3);
        int ready[2];
        int never[2];
        if (pipe(ready) != 0 || pipe(never) != 0) _exit(4);
        std::thread worker([&] {
          char c = 1;
          if (write(ready[1], &c, 1) != 1) _exit(5);
          (void)read(never[0], &c, 1);  // until the handler ends the process
          _exit(6);
        });
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);  // only the worker can take it
        char c;
        if (read(ready[0], &c, 1) != 1) _exit(7);
        kill(getpid(), SIGTERM);
        worker.join();
        _exit(8);  // not reached
      },
      &err);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 143);
  EXPECT_EQ(err, "whittle: interrupted\n");
  EXPECT_TRUE(Names(dir).empty());
  fs::remove_all(dir);
}

TEST(InterruptTest, AnIgnoredSignalStaysIgnored) {
  std::string err;
  int status = InChild(
      [] {
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_DFL);
        InstallInterruptHandlers();
        raise(SIGINT);
        _exit(7);
      },
      &err);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_EQ(err, "");
}

TEST(InterruptTest, CooperativeScopeOnlyRecordsTheSignal) {
  std::string dir = MakeDir();
  std::string err;
  int status = InChild(
      [&] {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        {
          CooperativeInterrupts scope;
          if (InterruptSignal() != 0) _exit(3);
          auto t = TempFile::Create(dir + "/out");
          if (!t) _exit(4);
          raise(SIGTERM);
          if (InterruptSignal() != SIGTERM) _exit(5);
          // The owner unwinds: the temp file goes with its TempFile.
        }
        {
          CooperativeInterrupts again;  // a new outermost scope starts clean
          if (InterruptSignal() != 0) _exit(6);
        }
        // Outside any scope the handler ends the process again.
        raise(SIGINT);
        _exit(8);
      },
      &err);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ(err, "whittle: interrupted\n");
  EXPECT_TRUE(Names(dir).empty());
  fs::remove_all(dir);
}

TEST(InterruptTest, ExitCodeForSignal) {
  EXPECT_EQ(static_cast<int>(ExitCodeForSignal(SIGINT)), 130);
  EXPECT_EQ(static_cast<int>(ExitCodeForSignal(SIGTERM)), 143);
}

}  // namespace
}  // namespace whittle
