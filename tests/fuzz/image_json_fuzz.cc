// Fuzz target for the image JSON parsers: manifests, indexes
// (ParseManifestDoc) and configs (ParseImageConfig); invariants in
// image_json_fuzz.h. Built as a libFuzzer binary by -DWHITTLE_FUZZ=ON
// (fuzz/run) and replayed over tests/fuzz/corpus/image_json by the
// image_json_fuzz_replay test.
#include "fuzz/image_json_fuzz.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "image/image_config.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle::fuzz {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kManifestName[] = "fuzz:manifest";
constexpr char kConfigName[] = "fuzz:config";

Json DescriptorToJson(const Descriptor& d) {
  Json j = Json::object();
  if (!d.media_type.empty()) j["mediaType"] = d.media_type;
  j["digest"] = d.digest;
  if (d.size != -1) j["size"] = d.size;
  if (d.platform) {
    Json p = Json::object();
    p["os"] = d.platform->os;
    p["architecture"] = d.platform->architecture;
    if (!d.platform->variant.empty()) p["variant"] = d.platform->variant;
    j["platform"] = p;
  }
  if (!d.annotations.empty()) {
    Json a = Json::object();
    for (const auto& [k, v] : d.annotations) a[k] = v;
    j["annotations"] = a;
  }
  return j;
}

std::string CheckDescriptor(const Descriptor& d, const std::string& field) {
  if (!IsValidSha256Digest(d.digest)) return field + ": accepted digest " + EscapeForMessage(d.digest, 80);
  if (d.size < -1) return field + ": accepted size " + std::to_string(d.size);
  return "";
}

// One line, "WHERE: ...", and a byte position inside |text| when it names one.
std::string CheckError(std::string_view text, const Status& st, const char* where) {
  const std::string& m = st.message();
  if (m.empty()) return "empty error message";
  if (m.find('\n') != std::string::npos || m.find('\r') != std::string::npos) {
    return "error is not one line: " + EscapeForMessage(m);
  }
  if (!StartsWith(m, std::string(where) + ": ")) return "error does not name the document: " + EscapeForMessage(m);
  // Only whittle's own parse error, right after "WHERE: ": a message may
  // quote a bad value from the document, which can hold these words too.
  const std::string parse_error = std::string(where) + ": invalid JSON at byte ";
  if (StartsWith(m, parse_error)) {
    unsigned long long byte = std::strtoull(m.c_str() + parse_error.size(), nullptr, 10);
    if (byte > text.size()) {
      return StrFormat("error names byte %llu of a %zu-byte document: %s", byte, text.size(),
                       EscapeForMessage(m).c_str());
    }
  }
  return "";
}

}  // namespace

std::string ManifestToJson(const ManifestDoc& doc) {
  Json j = Json::object();
  j["schemaVersion"] = 2;
  if (!doc.media_type.empty()) j["mediaType"] = doc.media_type;
  if (doc.is_index) {
    Json m = Json::array();
    for (const Descriptor& d : doc.manifests) m.push_back(DescriptorToJson(d));
    j["manifests"] = m;
  } else {
    j["config"] = DescriptorToJson(doc.config);
    Json l = Json::array();
    for (const Descriptor& d : doc.layers) l.push_back(DescriptorToJson(d));
    j["layers"] = l;
  }
  return j.dump();
}

std::string ConfigToJson(const Image& image) {
  Json j = Json::object();
  if (!image.os.empty()) j["os"] = image.os;
  if (!image.architecture.empty()) j["architecture"] = image.architecture;
  if (!image.variant.empty()) j["variant"] = image.variant;
  if (!image.created.empty()) j["created"] = image.created;
  Json ids = Json::array();
  for (const std::string& id : image.diff_ids) ids.push_back(id);
  j["rootfs"] = Json{{"type", "layers"}, {"diff_ids", ids}};
  Json h = Json::array();
  for (const HistoryEntry& e : image.history) {
    Json row = Json::object();
    if (!e.created.empty()) row["created"] = e.created;
    if (!e.created_by.empty()) row["created_by"] = e.created_by;
    if (!e.author.empty()) row["author"] = e.author;
    if (!e.comment.empty()) row["comment"] = e.comment;
    if (e.empty_layer) row["empty_layer"] = true;
    h.push_back(row);
  }
  j["history"] = h;
  return j.dump();
}

std::string CheckManifestDoc(std::string_view text, const Result<ManifestDoc>& parsed) {
  if (!parsed.has_value()) {
    Errc c = parsed.error().code();
    if (c != Errc::kCorrupt && c != Errc::kUnsupported) return "unexpected error kind: " + parsed.error().message();
    return CheckError(text, parsed.error(), kManifestName);
  }
  const ManifestDoc& doc = *parsed;
  if (doc.is_index) {
    if (!doc.config.digest.empty() || !doc.layers.empty()) return "an index with a config or layers";
    for (size_t i = 0; i < doc.manifests.size(); ++i) {
      std::string bad = CheckDescriptor(doc.manifests[i], StrFormat("manifests[%zu]", i));
      if (!bad.empty()) return bad;
    }
  } else {
    if (!doc.manifests.empty()) return "an image manifest with manifests";
    if (!doc.media_type.empty() && doc.media_type != kOciManifestType && doc.media_type != kDockerManifestType) {
      return "an image manifest of unknown media type " + EscapeForMessage(doc.media_type, 80);
    }
    std::string bad = CheckDescriptor(doc.config, "config");
    if (!bad.empty()) return bad;
    for (size_t i = 0; i < doc.layers.size(); ++i) {
      bad = CheckDescriptor(doc.layers[i], StrFormat("layers[%zu]", i));
      if (!bad.empty()) return bad;
    }
  }
  std::string once = ManifestToJson(doc);
  Result<ManifestDoc> again = ParseManifestDoc(once, kManifestName);
  if (!again.has_value()) return "the re-serialised manifest does not parse: " + again.error().message();
  std::string twice = ManifestToJson(*again);
  if (once != twice)
    return "manifest round trip changed the values: " + EscapeForMessage(once, 120) + " -> " +
           EscapeForMessage(twice, 120);
  return "";
}

std::string CheckImageConfig(std::string_view text, const Status& st, const Image& image) {
  if (!st.ok()) {
    if (st.code() != Errc::kCorrupt) return "unexpected error kind: " + st.message();
    return CheckError(text, st, kConfigName);
  }
  for (size_t i = 0; i < image.diff_ids.size(); ++i) {
    if (!IsValidSha256Digest(image.diff_ids[i])) {
      return StrFormat("rootfs.diff_ids[%zu]: accepted %s", i, EscapeForMessage(image.diff_ids[i], 80).c_str());
    }
  }
  std::string once = ConfigToJson(image);
  Image again;
  Status st2 = ParseImageConfig(once, kConfigName, &again);
  if (!st2.ok()) return "the re-serialised config does not parse: " + st2.message();
  std::string twice = ConfigToJson(again);
  if (once != twice)
    return "config round trip changed the values: " + EscapeForMessage(once, 120) + " -> " +
           EscapeForMessage(twice, 120);
  return "";
}

std::string CheckImageJsonInput(std::string_view input) {
  if (input.empty()) return "";
  std::string_view text = input.substr(1);
  if (input[0] & 1) {
    Result<ManifestDoc> a = ParseManifestDoc(text, kManifestName);
    std::string bad = CheckManifestDoc(text, a);
    if (!bad.empty()) return bad;
    Result<ManifestDoc> b = ParseManifestDoc(text, kManifestName);
    if (a.has_value() != b.has_value() ||
        (a.has_value() ? ManifestToJson(*a) != ManifestToJson(*b) : a.error().message() != b.error().message())) {
      return "a second parse of the same manifest differs";
    }
    return "";
  }
  Image a, b;
  Status sa = ParseImageConfig(text, kConfigName, &a);
  std::string bad = CheckImageConfig(text, sa, a);
  if (!bad.empty()) return bad;
  Status sb = ParseImageConfig(text, kConfigName, &b);
  if (sa.ok() != sb.ok() || sa.message() != sb.message() || (sa.ok() && ConfigToJson(a) != ConfigToJson(b))) {
    return "a second parse of the same config differs";
  }
  return "";
}

}  // namespace whittle::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string bad = whittle::fuzz::CheckImageJsonInput(input);
  if (!bad.empty()) {
    std::fprintf(stderr, "image JSON invariant broken: %s\n", bad.c_str());
    std::abort();
  }
  return 0;
}
