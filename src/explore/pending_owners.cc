#include "explore/pending_owners.h"

#include <sys/resource.h>
#include <unistd.h>

#include <utility>

namespace whittle {

PendingOwners::PendingOwners(const ImageScan& scan, const CaptureRules& rules, std::function<void()> before)
    : scan_(scan), rules_(rules), before_(std::move(before)),
      has_database_(PackageAttribution::AnyDatabase(scan, rules)) {}

PendingOwners::~PendingOwners() { Wait(); }

void PendingOwners::Start() {
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);  // Linux: this thread only
    if (before_) before_();
    value_ = std::make_unique<PackageAttribution>(scan_, rules_);
    ready_.store(true, std::memory_order_release);
  });
}

void PendingOwners::Wait() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace whittle
