// compact: writes an image whose final filesystem is the input's, without
// the bytes nobody can see. The base layers are copied byte for byte (same
// digests, still shared); the layers above them become one squashed layer
// holding only the members that survive (squash_plan.h). Before anything
// is moved into place, the final filesystem of the output is rebuilt from
// the written bytes and compared with the input's (fs_tree.h); if they
// differ, nothing is written and the first differing paths are reported.
#ifndef WHITTLE_COMPACT_COMPACT_H_
#define WHITTLE_COMPACT_COMPACT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "image/image.h"
#include "io/compress.h"
#include "util/status.h"

namespace whittle {

struct CompactOptions {
  std::string output;        // "oci:DIR[:REF]" or "docker-archive:PATH[:NAME:TAG]"
  int base_layers = -1;      // -1: detect (DetectBaseLayers)
  int keep_layers = 1;       // --keep N: output layers above the base
  CompressOptions compress;  // for the new layer; threads = -j
  unsigned threads = 0;      // layers read in parallel (0 = all cores)
};

/// How many layers form the base: the layers made before the first history
/// entry of the final stage. That stage starts after the last CMD or
/// ENTRYPOINT entry that some later layer-making entry follows (a base
/// image's history ends with one). |reason| says how the count was found.
int DetectBaseLayers(const Image& image, std::string* reason);

struct CompactLayerRow {
  std::string action;  // "kept", "replaced", "added"
  std::string label;   // "#3 RUN apt-get update" / "squash of #2-#5"
  std::string digest;
  uint64_t blob_size = 0;
  uint64_t tar_size = 0;
};

struct CompactResult {
  std::string input, output;
  int base_layers = 0;
  std::string base_reason;
  std::string compression;              // of the new layer
  std::vector<CompactLayerRow> layers;  // input layers (kept/replaced), then added
  uint64_t before_blob = 0, before_tar = 0, after_blob = 0, after_tar = 0;
  uint64_t members_total = 0, members_kept = 0, dropped_tar_bytes = 0, kept_for_links = 0;
  std::string tree_hash;  // of the final filesystem, input == output
  uint64_t tree_paths = 0;
  bool nothing_dropped = false;  // layers written as they are
};

/// Compacts |image| into options.output. Errors: kUsage for a bad or
/// existing output, kCorrupt if the verification fails (its message lists
/// the first differing paths), input errors as the scanner reports them.
Result<CompactResult> Compact(const Image& image, const CompactOptions& options);

}  // namespace whittle

#endif  // WHITTLE_COMPACT_COMPACT_H_
