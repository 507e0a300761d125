// PackageAttribution: which package owns each tar entry of an image, layer
// by layer (the `packages` data source, the `kinds` source's package facts,
// and explain's toolchain and debug-tool findings).
//
// The package databases an image carries (dpkg, apk, rpm, pip, npm; see
// pkg/db_paths.h) are captured during the scan (CaptureRules from
// AddPackageCaptureRules). A database written in one layer describes the
// files of that layer and the layers below, and a later layer may rewrite
// or delete it (apt-get purge, rm -rf /var/lib/dpkg/info/x.list), so the
// owner of an entry depends on the layer that stores it:
//
//   1. Stack the database files layer by layer as the runtime stacks the
//      filesystem (a later version replaces an earlier one; whiteouts and
//      opaque directories delete them). Each layer that changes the stack
//      starts a new *snapshot*, an OwnershipIndex of the stack as it stands
//      after that layer (pkg/ownership.h decides between claims).
//   2. An entry stored in layer L is owned by what the latest snapshot at
//      or below L says: the databases as they were right after its layer.
//      A file deleted later still belongs to the package that shipped it.
//   3. If that snapshot does not know the path, the earliest later snapshot
//      that does is asked: a database written in a later layer describes
//      files stored in earlier ones (a layer added by hand, then registered).
//   4. A regular file carrying Go build info, owned by nothing else, is
//      go:MODULE. Otherwise the entry is [unowned], or "[rpm db not read]"
//      when an rpm database in the image could not be read (bdb/ndb), so
//      files are labelled so, not guessed.
//
// Malformed databases are warnings (their claims are skipped); the byte
// accounting never depends on them.
#ifndef WHITTLE_SOURCES_PACKAGE_ATTRIBUTION_H_
#define WHITTLE_SOURCES_PACKAGE_ATTRIBUTION_H_

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/ownership.h"
#include "scan/body_capture.h"
#include "scan/layer_scan.h"

namespace whittle {

/// Rule names, so sources that need the same bodies share one rule.
inline constexpr const char* kPackageDbRule = "package database";
inline constexpr const char* kGoBuildInfoRule = "go build info";

/// Adds the rules that capture package databases and Go build info.
void AddPackageCaptureRules(CaptureRules* rules);

/// Label of files whose rpm database could not be read.
inline constexpr std::string_view kRpmUnreadLabel = "[rpm db not read]";

/// One installed OS package as the final databases describe it (for
/// explain): name, version, whether apt marked it automatically installed,
/// its Depends/Pre-Depends/Recommends (dpkg only), the owner label.
struct InstalledPackage {
  std::string label;  // "deb:gcc-12"
  std::string name;
  std::string version;
  bool auto_installed = false;
  bool essential = false;
  std::string priority;
  std::string depends, pre_depends, recommends;
};

class PackageAttribution {
 public:
  /// Builds the attribution from |scan|'s captured bodies. |rules| is the
  /// rule list the scan ran with (CapturedBody::rule indexes it).
  PackageAttribution(const ImageScan& scan, const CaptureRules& rules);
  PackageAttribution(const PackageAttribution&) = delete;
  PackageAttribution& operator=(const PackageAttribution&) = delete;

  /// The owner label of entry |entry| of layer |layer| ("deb:gcc-12",
  /// "[unowned]", ...). Views live as long as this object.
  std::string_view OwnerLabel(size_t layer, size_t entry) const;

  /// The OS packages of the topmost dpkg/apk/rpm database (dpkg facts are
  /// the richest: status + extended_states).
  const std::vector<InstalledPackage>& installed() const { return installed_; }
  /// Oddities met while reading the databases (malformed files...).
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// Number of snapshots (layers that changed the databases), for tests.
  size_t snapshots() const { return snapshots_; }
  /// True when any package database was found.
  bool any_database() const { return any_database_; }
  /// What any_database() of the attribution of |scan| and |rules| is,
  /// without building it: whether the scan captured a package database
  /// body, or queued one (ScanOptions::defer_capture). Cheap (looks only
  /// at which bodies were captured or queued).
  static bool AnyDatabase(const ImageScan& scan, const CaptureRules& rules);

 private:
  struct Snapshot;
  void Build(const ImageScan& scan, const CaptureRules& rules);

  // The owner label of every entry with data, resolved during Build;
  // views into indexes_ or strings_.
  std::vector<std::vector<std::string_view>> labels_;
  // Snapshot indexes, kept alive for the label views.
  std::vector<std::unique_ptr<pkg::OwnershipIndex>> indexes_;
  size_t snapshots_ = 0;
  std::deque<std::string> strings_;  // storage for go labels
  std::vector<InstalledPackage> installed_;
  std::vector<std::string> warnings_;
  bool any_database_ = false;
};

}  // namespace whittle

#endif  // WHITTLE_SOURCES_PACKAGE_ATTRIBUTION_H_
