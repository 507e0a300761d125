#include "explore/pending_owners.h"

#include <sys/resource.h>
#include <unistd.h>

namespace whittle {

namespace {

// True when the scan captured a package database body, which is exactly
// when PackageAttribution finds one (any_database()).
bool CapturedPackageDatabase(const ImageScan& scan, const CaptureRules& rules) {
  for (size_t r = 0; r < rules.size(); ++r) {
    if (rules[r].name != kPackageDbRule) continue;
    for (const LayerScan& layer : scan.layers) {
      for (const CapturedBody& c : layer.captured) {
        if (c.rule == r) return true;
      }
    }
  }
  return false;
}

}  // namespace

PendingOwners::PendingOwners(const ImageScan& scan, const CaptureRules& rules)
    : scan_(scan), rules_(rules), has_database_(CapturedPackageDatabase(scan, rules)) {}

PendingOwners::~PendingOwners() { Wait(); }

void PendingOwners::Start() {
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);  // Linux: this thread only
    value_ = std::make_unique<PackageAttribution>(scan_, rules_);
    ready_.store(true, std::memory_order_release);
  });
}

void PendingOwners::Wait() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace whittle
