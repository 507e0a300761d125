// FetchProgress: the progress line while a docker:// image's layers stream
// in, on a terminal's stderr only: "whittle: 2/5 layers, 12.3 MiB, 4.1
// MiB/s". It counts the bytes the scanner reads from the image's BlobStore
// (a wrapper around it, Wrap()) and the layers the scanner finishes, and a
// ticker thread redraws the line a few times a second (so a slow blob shows
// movement between layers). A pipe gets nothing: the loader makes no
// FetchProgress then.
#ifndef WHITTLE_CLI_FETCH_PROGRESS_H_
#define WHITTLE_CLI_FETCH_PROGRESS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "image/blob_store.h"

namespace whittle {

class Console;

class FetchProgress {
 public:
  /// Starts the ticker; the line goes to |console| (a terminal).
  explicit FetchProgress(Console& console);
  /// Stops the ticker and clears the line.
  ~FetchProgress();
  FetchProgress(const FetchProgress&) = delete;
  FetchProgress& operator=(const FetchProgress&) = delete;

  /// |store| with every byte read through it counted.
  std::unique_ptr<BlobStore> Wrap(std::unique_ptr<BlobStore> store);
  /// The scanner's progress callback (any thread).
  void LayerDone(size_t done, size_t total);

  /// "2/5 layers, 12.3 MiB, 4.1 MiB/s" (public for tests).
  static std::string Line(size_t done, size_t total, uint64_t bytes, double seconds);

 private:
  void Draw();

  Console& console_;
  std::atomic<uint64_t> bytes_{0};
  std::atomic<size_t> done_{0}, total_{0};
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mu_;  // guards stop_ and the console
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread ticker_;
};

}  // namespace whittle

#endif  // WHITTLE_CLI_FETCH_PROGRESS_H_
