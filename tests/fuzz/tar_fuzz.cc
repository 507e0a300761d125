// Fuzz target for the tar reader: reads every member of the input, pulls a
// little data from each, and finishes. Must never crash, hang or allocate
// from an unchecked size. Built as a libFuzzer target when a fuzzing build
// is configured, and replayed over tests/fuzz/corpus/tar by tar_fuzz_replay.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/byte_source.h"
#include "tar/tar_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto src = whittle::MakeMemorySource(std::string(reinterpret_cast<const char*>(data), size), "fuzz.tar");
  whittle::TarReader reader(src.get());
  whittle::TarEntry entry;
  char buf[256];
  uint64_t members = 0;
  while (true) {
    whittle::Result<bool> r = reader.Next(&entry);
    if (!r.has_value() || !*r) break;
    if (entry.end_offset() < entry.header_offset) __builtin_trap();
    // Read a little of every other member so both the skip and the read paths run.
    if (++members % 2 == 0) {
      whittle::Result<size_t> n = reader.ReadData(buf, sizeof buf);
      if (!n.has_value()) break;
    }
  }
  whittle::Result<uint64_t> end = reader.Finish();
  if (end.has_value() && reader.total_size() != size) __builtin_trap();
  return 0;
}
