// Body capture: the scan hook that hands a few member bodies to the data
// sources that asked for them, during the one streaming pass over the layers
// (issue 18 §2). Package databases (`var/lib/dpkg/status`, `info/*.list`,
// `lib/apk/db/installed`, `rpmdb.sqlite`), Python `RECORD` files, Node
// `package.json` files and the build info of Go binaries are small next to
// the layers; everything else is still skipped, never read.
//
//   TarReader::Next ──> rule.wants(path, entry)? ──no──> skip the data
//                                 │yes
//                                 v
//            rule.extract(MemberBody&) ──> CapturedBody{entry, rule, payload}
//
// A rule's extract may read any prefix of the body (Go build info lives a
// few megabytes into a binary; a dpkg .list is read whole) and returns the
// compact payload to keep: the whole text, or only what it parsed out.
// Payloads live in LayerScan::captured until the sources turn them into
// their indexes; no file data is kept beyond what a rule returns.
//
// Severity: a body that fails to extract (truncated, over its rule's cap,
// malformed) is a warning on its layer; the scan and the byte accounting go
// on. Not thread-affine: rules are shared by the layer workers, so wants()
// and extract() must not touch shared mutable state.
#ifndef WHITTLE_SCAN_BODY_CAPTURE_H_
#define WHITTLE_SCAN_BODY_CAPTURE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace whittle {

enum class EntryKind : uint8_t;

/// Forward-only access to the data of the member being captured.
class MemberBody {
 public:
  virtual ~MemberBody() = default;
  /// Reads up to |n| bytes; 0 at the end of the member's data.
  virtual Result<size_t> Read(void* buf, size_t n) = 0;
  /// Bytes of member data not read yet.
  virtual uint64_t remaining() const = 0;
  /// Reads up to |max| bytes (all that is left when fewer) into |out|.
  /// Errors: whatever Read returns.
  Status ReadUpTo(uint64_t max, std::string* out);
  /// Reads and drops |n| bytes (or all that is left).
  Status Skip(uint64_t n);
};

/// What a rule sees of a member before deciding to read it.
struct CaptureCandidate {
  std::string_view path;  // normalised absolute path
  EntryKind kind;
  uint32_t mode = 0;
  uint64_t stored_size = 0;
};

struct CaptureRule {
  /// For messages: "dpkg status", "go build info".
  std::string name;
  /// Cheap test run on every member of every layer: compare names, never
  /// allocate. Only regular files with data are offered.
  std::function<bool(const CaptureCandidate&)> wants;
  /// Reads what it needs from |body| and returns the payload to keep; an
  /// empty payload keeps nothing. An error becomes a warning
  /// "LAYER: PATH: RULE: message".
  std::function<Result<std::string>(const CaptureCandidate&, MemberBody& body)> extract;
};

/// Returns the whole body as the payload, refusing bodies over |cap| bytes
/// (kTooLarge) before reading them.
Result<std::string> ExtractWhole(const CaptureCandidate& c, MemberBody& body, uint64_t cap);

/// One captured body: the member (index into LayerScan::entries), the rule
/// (index into the rule list given to the scan) and the rule's payload.
struct CapturedBody {
  uint32_t entry = 0;
  uint32_t rule = 0;
  std::string payload;
};

/// The rules of one scan. Index order is the `rule` index in CapturedBody.
using CaptureRules = std::vector<CaptureRule>;

/// The first rule of |rules| that wants |c|, or -1.
int FirstWantingRule(const CaptureRules& rules, const CaptureCandidate& c);

/// Runs rule |r|'s extract on the member |entry| and keeps what it gives:
/// a non-empty payload in |captured|, a complaint in |warnings| as
/// "STREAM: PATH: RULE: message". The caller checks its stream afterwards:
/// a failure to read the body is fatal, unlike the rule's complaint.
void ExtractWithRule(const CaptureRules& rules, int r, const CaptureCandidate& c, uint32_t entry, MemberBody& body,
                     const std::string& stream_name, std::vector<CapturedBody>* captured,
                     std::vector<std::string>* warnings);

}  // namespace whittle

#endif  // WHITTLE_SCAN_BODY_CAPTURE_H_
