// Fuzz target for the whole read pipeline: bytes -> gzip/zstd (sniffed) ->
// tar -> layer scanner, twice over each input:
//  1. as a layer blob (ScanStreamedBlob, what every layer of every image
//     goes through), and
//  2. as a whole image archive read in one pass (ScanImageStream: outer
//     decompression, outer tar, JSON members kept, layer members scanned as
//     they stream by, manifest resolution, scans adopted), as
//     `docker save | gzip | whittle profile -` would read it.
// Must never crash, hang or overrun. Checked for every input:
//  - errors: one non-empty line that names the input ("fuzz...").
//  - a layer that scans: every byte accounted for (members' tar bytes plus
//    the end region are the tar stream; their blob bytes plus the end blob
//    bytes are the input), paths interned.
//  - an archive that scans: one scan per layer, each accounted the same way.
// Replayed over tests/fuzz/corpus/pipeline by fuzz_replay_pipeline.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "image/stream_archive.h"
#include "io/byte_source.h"
#include "io/compression.h"
#include "io/decompress.h"
#include "scan/layer_scan.h"
#include "scan/open_and_scan.h"
#include "util/strings.h"

namespace {

using whittle::StrFormat;

constexpr char kName[] = "fuzz";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "pipeline invariant broken: %s\n", what.c_str());
  std::abort();
}

void CheckError(const whittle::Status& st) {
  const std::string& m = st.message();
  if (m.empty() || m.find('\n') != std::string::npos) Fail("error is empty or not one line: " + m);
  if (m.rfind(kName, 0) != 0) Fail("error does not name the input: " + m);
}

void CheckLayer(const whittle::LayerScan& l, const whittle::PathInterner& paths, uint64_t blob_size) {
  uint64_t tar = l.end_tar_bytes, blob = l.end_blob_bytes;
  for (const auto& e : l.entries) {
    tar += e.tar_bytes();
    blob += e.blob_bytes;
    if (e.padding >= 512) Fail("padding of 512 bytes or more");
    if (e.path != whittle::kNoPath && e.path >= paths.size()) Fail("path id not interned");
  }
  if (tar != l.tar_size) Fail(StrFormat("members and end region make %llu tar bytes, the stream has %llu",
                                        static_cast<unsigned long long>(tar),
                                        static_cast<unsigned long long>(l.tar_size)));
  if (blob != l.blob_size) Fail(StrFormat("members and end make %llu blob bytes, the blob has %llu",
                                          static_cast<unsigned long long>(blob),
                                          static_cast<unsigned long long>(l.blob_size)));
  if (blob_size != UINT64_MAX && l.blob_size != blob_size) Fail("blob size is not the input's size");
}

void ScanAsLayer(std::string_view input) {
  whittle::Compression c = whittle::SniffCompression(input.data(), input.size());
  whittle::ScanOptions options;
  options.threads = 1;
  whittle::PathInterner paths;
  whittle::LayerScan out;
  std::string blob_digest, diff_digest;
  whittle::Status st = whittle::ScanStreamedBlob(whittle::MakeMemorySource(std::string(input), kName), input.size(),
                                                 c, options, paths, &out, &blob_digest, &diff_digest);
  if (!st.ok()) return CheckError(st);
  if (blob_digest.size() != 71 || blob_digest.rfind("sha256:", 0) != 0) Fail("blob digest is not sha256:<64 hex>");
  CheckLayer(out, paths, input.size());
}

void ScanAsArchive(std::string_view input) {
  whittle::ImageStream stream;
  stream.name = kName;
  stream.source = whittle::MakeMemorySource(std::string(input), kName);
  whittle::Compression c = whittle::SniffCompression(input.data(), input.size());
  if (c != whittle::Compression::kNone) stream.source = whittle::MakeDecompressor(c, std::move(stream.source));
  whittle::OpenOptions open;
  open.platform = "linux/amd64";
  whittle::ScanOptions options;
  options.threads = 1;
  auto scanned = whittle::ScanImageStream(stream, open, options);
  if (!scanned) return CheckError(scanned.error());
  if (scanned->scan.layers.size() != scanned->image.layers.size()) Fail("not one scan per layer");
  for (const auto& l : scanned->scan.layers) CheckLayer(l, *scanned->scan.paths, UINT64_MAX);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ScanAsLayer(input);
  ScanAsArchive(input);
  return 0;
}
