// The image JSON parsers' fuzz invariants, shared by the libFuzzer target
// (image_json_fuzz.cc) and its ctest replay
// (src/image/image_json_fuzz_replay_test.cc). Test-only.
//
// The input's first byte picks the parser (odd: manifest or index through
// ParseManifestDoc; even: image config through ParseImageConfig), the rest
// is the document. Checked for every input (tests/README.md, "Fuzzing"):
//  - errors: one non-empty line, prefixed by the document's name, of an
//    expected kind; "invalid JSON at byte N" names a byte inside the text.
//  - validation: on success every digest is sha256:<64 hex>, every size is
//    >= -1, an index has no config or layers, a manifest has no manifests
//    and a known (or no) media type.
//  - round trip: the parsed values written back as JSON and parsed again
//    give the same values (nothing is lost or invented on the way).
//  - stability: parsing the same text again gives the same result.
#ifndef WHITTLE_TESTS_FUZZ_IMAGE_JSON_FUZZ_H_
#define WHITTLE_TESTS_FUZZ_IMAGE_JSON_FUZZ_H_

#include <string>
#include <string_view>

#include "image/image.h"
#include "image/manifest.h"

namespace whittle::fuzz {

/// The significant fields of a parsed manifest or index as canonical JSON
/// text (what a writer would emit for them).
std::string ManifestToJson(const ManifestDoc& doc);
/// The fields ParseImageConfig fills, as canonical config JSON text.
std::string ConfigToJson(const Image& image);

/// The invariants for one parsed manifest document (|text| is what was
/// parsed). Returns "" or the first violation.
std::string CheckManifestDoc(std::string_view text, const Result<ManifestDoc>& parsed);
/// The invariants for one parsed config (|st| from ParseImageConfig into
/// |image|, which started empty).
std::string CheckImageConfig(std::string_view text, const Status& st, const Image& image);

/// Parses |input| as the fuzz target does and checks everything above.
/// Returns "" or the first violation.
std::string CheckImageJsonInput(std::string_view input);

}  // namespace whittle::fuzz

#endif  // WHITTLE_TESTS_FUZZ_IMAGE_JSON_FUZZ_H_
