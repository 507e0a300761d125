#include "e2e/accounting_util.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "e2e/run_util.h"

namespace whittle::testing {

namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string Hex(const std::string& digest) {
  return digest.size() > 7 ? digest.substr(7) : digest;
}

// A shell command printing layer |i|'s stored blob to stdout.
std::string BlobCommand(const ImageCase& c, size_t i, const nlohmann::json& layer) {
  std::string digest = layer.value("digest", nlohmann::json()).is_string()
                           ? layer["digest"].get<std::string>() : std::string();
  switch (c.container) {
    case Container::kOciDir:
      return "cat " + Quote(c.path + "/blobs/sha256/" + Hex(digest));
    case Container::kDirTransport:
      return "cat " + Quote(c.path + "/" + Hex(digest));
    case Container::kOciArchive:
      return "tar -xOf " + Quote(c.path) + " blobs/sha256/" + Hex(digest);
    case Container::kDockerArchive:
      return "tar -xOf " + Quote(c.path) + " \"$(tar -xOf " + Quote(c.path) +
             " manifest.json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"Layers\"][" +
             std::to_string(i) + "])')\"";
  }
  return "false";
}

}  // namespace

void CheckAccounting(const ImageCase& c) {
  SCOPED_TRACE(c.name);
  RunResult h = RunWhittle({"history", "--json", c.reference});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  nlohmann::json hist = nlohmann::json::parse(h.out, nullptr, false);
  ASSERT_TRUE(hist.is_array()) << h.out;
  RunResult p = RunWhittle({"profile", "--json", "-n", "0", "-d", "layers,files", c.reference});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  nlohmann::json prof = nlohmann::json::parse(p.out, nullptr, false);
  ASSERT_TRUE(prof.is_object()) << p.out;

  uint64_t sum_blob = 0, sum_tar = 0;
  std::vector<nlohmann::json> layers;
  for (const auto& row : hist) {
    if (row["emptyLayer"].get<bool>()) continue;
    sum_blob += row["blobSize"].get<uint64_t>();
    sum_tar += row["tarSize"].get<uint64_t>();
    layers.push_back(row);
  }
  ASSERT_FALSE(layers.empty());
  EXPECT_EQ(prof["total"]["blobSize"].get<uint64_t>(), sum_blob);
  EXPECT_EQ(prof["total"]["tarSize"].get<uint64_t>(), sum_tar);
  uint64_t rows_blob = 0, rows_tar = 0;
  for (const auto& r : prof["rows"]) {
    rows_blob += r["blobSize"].get<uint64_t>();
    rows_tar += r["tarSize"].get<uint64_t>();
  }
  EXPECT_EQ(rows_blob, sum_blob);
  EXPECT_EQ(rows_tar, sum_tar);

  // Regression: --verify stacks a diff_id hasher over the decompressor; the
  // BLOB attribution must not change (it once followed the hasher instead).
  RunResult pv = RunWhittle({"profile", "--json", "--verify", "-n", "0", "-d", "layers,files", c.reference});
  ASSERT_EQ(pv.exit_code, 0) << pv.err;
  nlohmann::json profv = nlohmann::json::parse(pv.out, nullptr, false);
  ASSERT_TRUE(profv.is_object());
  EXPECT_EQ(profv["total"], prof["total"]);
  ASSERT_EQ(profv["rows"].size(), prof["rows"].size());
  // TAR rows are exact and must not move; BLOB rows are interpolated
  // estimates (docs/how-it-works.md) whose read pattern may differ.
  uint64_t vblob = 0;
  for (size_t k = 0; k < profv["rows"].size(); ++k) {
    vblob += profv["rows"][k]["blobSize"].get<uint64_t>();
    EXPECT_EQ(profv["rows"][k]["tarSize"], prof["rows"][k]["tarSize"]);
    EXPECT_EQ(profv["rows"][k]["files"], prof["rows"][k]["files"]);
  }
  EXPECT_EQ(vblob, sum_blob);

  RunResult csv = RunWhittle({"profile", "--csv", "-n", "0", "-d", "layers,files", c.reference});
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(static_cast<size_t>(std::count(csv.out.begin(), csv.out.end(), '\n')), prof["rows"].size() + 1);

  // --raw-map: per layer, ranges contiguous from 0 to the layer's size in
  // both domains — no gaps, no overlaps (STYLE.md §9).
  RunResult raw = RunWhittle({"profile", "--raw-map", c.reference});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  {
    std::istringstream in(raw.out);
    std::string line;
    size_t blocks = 0;
    uint64_t want_tar = 0, want_blob = 0, tar = 0, blob = 0;
    auto close_block = [&] {
      if (blocks == 0) return;
      EXPECT_EQ(tar, want_tar) << "layer block " << blocks;
      EXPECT_EQ(blob, want_blob) << "layer block " << blocks;
    };
    while (std::getline(in, line)) {
      if (line.rfind("layer ", 0) == 0) {
        close_block();
        ++blocks;
        size_t t = line.rfind(": tar ");
        ASSERT_NE(t, std::string::npos) << line;
        want_tar = std::stoull(line.substr(t + 6));
        want_blob = std::stoull(line.substr(line.rfind(", blob ") + 7));
        tar = blob = 0;
        continue;
      }
      if (line.find("TAR_START") != std::string::npos) continue;
      std::istringstream f(line);
      uint64_t t0, t1, b0, b1;
      ASSERT_TRUE(static_cast<bool>(f >> t0 >> t1 >> b0 >> b1)) << line;
      EXPECT_EQ(t0, tar) << line;
      EXPECT_EQ(b0, blob) << line;
      EXPECT_LE(t0, t1) << line;
      EXPECT_LE(b0, b1) << line;
      tar = t1;
      blob = b1;
    }
    close_block();
    EXPECT_EQ(blocks, layers.size());
  }

  // Independent numbers from standard tools, per layer.
  std::string tmp = MakeTempDir();
  for (size_t i = 0; i < layers.size(); ++i) {
    SCOPED_TRACE("layer " + std::to_string(i + 1));
    std::string blob = tmp + "/blob";
    RunResult get = RunShell(BlobCommand(c, i, layers[i]) + " > " + Quote(blob));
    ASSERT_EQ(get.exit_code, 0) << get.err;
    std::string decompress = "{ if gzip -t " + Quote(blob) + " 2>/dev/null; then gzip -dc " + Quote(blob) +
                             "; elif zstd -qt " + Quote(blob) + " 2>/dev/null; then zstd -qdc " +
                             Quote(blob) + "; else cat " + Quote(blob) + "; fi; }";
    RunResult blob_size = RunShell("stat -c %s " + Quote(blob));
    RunResult tar_size = RunShell(decompress + " | wc -c");
    // Regular files, symlinks and hard links; whiteout markers are not files.
    RunResult files = RunShell(decompress +
                               " | tar -tvf - | awk '($1 ~ /^[lh]/) || ($1 ~ /^-/ && $NF !~ "
                               "/(^|\\/)\\.wh\\.[^\\/]*$/)' | wc -l");
    EXPECT_EQ(std::stoull(blob_size.out), layers[i]["blobSize"].get<uint64_t>());
    EXPECT_EQ(std::stoull(tar_size.out), layers[i]["tarSize"].get<uint64_t>());
    EXPECT_EQ(std::stoull(files.out), layers[i]["files"].get<uint64_t>());
  }
  RunShell("rm -rf " + Quote(tmp));
}

}  // namespace whittle::testing
