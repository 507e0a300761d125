#include "explain/history_match.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "image/image_config.h"
#include "lint/dockerfile_parser.h"
#include "util/strings.h"

namespace whittle::explain {
namespace {

const std::string kData = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/explain/";
const std::string kDive = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// An Image from a config JSON alone: history, and one layer per diff_id
// (the matcher reads only the history and the number of layers).
Image ImageFromConfig(const std::string& file) {
  Image image;
  Status st = ParseImageConfig(ReadFile(kData + file), file, &image);
  EXPECT_TRUE(st.ok()) << st.message();
  image.layers.resize(image.diff_ids.size());
  return image;
}

// A parsed Dockerfile together with the text it points into.
struct ParsedDockerfile {
  std::string text;
  lint::Dockerfile df;
};

std::unique_ptr<ParsedDockerfile> LoadDockerfile(const std::string& path) {
  auto p = std::make_unique<ParsedDockerfile>();
  p->text = ReadFile(path);
  auto df = lint::ParseDockerfile(p->text, path);
  EXPECT_TRUE(df.has_value()) << df.error().message();
  if (df.has_value()) p->df = std::move(*df);
  return p;
}

HistoryMapping Match(const Image& image, const lint::Dockerfile& df, const std::string& target = "") {
  MatchOptions opt;
  opt.target = target;
  auto m = MatchHistory(image, df, opt);
  EXPECT_TRUE(m.has_value()) << m.error().message();
  return m.has_value() ? std::move(*m) : HistoryMapping();
}

// Per layer, where it came from: "12" = line 12 of the target stage,
// "^5" = line 5 of a parent stage, "base:2" = the base image of FROM line 2,
// "?" = unmatched, "-" = layer not mapped.
std::vector<std::string> LayerOrigins(const HistoryMapping& m, const lint::Dockerfile& df) {
  std::vector<std::string> out;
  for (size_t l = 0; l < m.layer_entries.size(); ++l) {
    const EntryMatch* e = m.ForLayer(l);
    if (e == nullptr) {
      out.push_back("-");
      continue;
    }
    int line = e->instruction >= 0 ? df.instructions[static_cast<size_t>(e->instruction)].start_line() : 0;
    switch (e->origin) {
      case EntryOrigin::kStage:
        out.push_back(std::to_string(line));
        break;
      case EntryOrigin::kParentStage:
        out.push_back("^" + std::to_string(line));
        break;
      case EntryOrigin::kBaseImage:
        out.push_back("base:" + std::to_string(line));
        break;
      case EntryOrigin::kUnmatched:
        out.push_back("?");
        break;
    }
  }
  return out;
}

std::vector<std::string> LayerConfidences(const HistoryMapping& m) {
  std::vector<std::string> out;
  for (size_t l = 0; l < m.layer_entries.size(); ++l) {
    const EntryMatch* e = m.ForLayer(l);
    out.push_back(e == nullptr ? "-" : ConfidenceName(e->confidence));
  }
  return out;
}

// Lines of the chain's instructions that matched nothing.
std::vector<int> UnmatchedLines(const HistoryMapping& m, const lint::Dockerfile& df) {
  std::vector<int> out;
  for (size_t i : m.UnmatchedInstructions()) out.push_back(df.instructions[i].start_line());
  return out;
}

// Line -> confidence for every chain instruction, "line:confidence".
std::vector<std::string> InstructionConfidences(const HistoryMapping& m, const lint::Dockerfile& df) {
  std::vector<std::string> out;
  for (const InstructionMatch& im : m.instructions) {
    out.push_back(std::to_string(df.instructions[im.instruction].start_line()) + ":" +
                  (im.expected_missing ? "expected-missing" : ConfidenceName(im.confidence)));
  }
  return out;
}

bool AnyNoteContains(const HistoryMapping& m, const std::string& text) {
  for (const std::string& n : m.summary.notes) {
    if (n.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string Notes(const HistoryMapping& m) {
  std::string out;
  for (const std::string& n : m.summary.notes) out += n + "\n";
  return out;
}

using V = std::vector<std::string>;

// ---------------------------------------------------------------------------
// Driftwood (shared corpus): Dockerfile.naive lines 6, 8, 11, 13 (13-14),
// 16, 18, 20, 22, 23, 24 make layers; FROM is line 2. Checked by reading
// tests/data/explain/Dockerfile.naive.

TEST(HistoryMatchTest, BuildahNaive) {
  auto d = LoadDockerfile(kData + "Dockerfile.naive");
  Image image = ImageFromConfig("driftwood-naive.buildah.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"base:2", "6", "8", "11", "13", "16", "18", "20", "22", "23", "24"}));
  EXPECT_EQ(LayerConfidences(m), (V{"exact", "exact", "exact", "normalized", "exact", "exact", "exact", "exact",
                                    "exact", "exact", "exact"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_EQ(m.producer, Producer::kBuildah);
  EXPECT_TRUE(m.base_hint.found);
  EXPECT_EQ(m.base_hint.first_build_entry, 3u);  // LABEL, commented "FROM localhost/corpus/base-full:bookworm"
  EXPECT_EQ(m.summary.base_entries, 3u);
  EXPECT_EQ(m.summary.base_layers, 1u);
  EXPECT_EQ(m.summary.exact, 15u);
  EXPECT_EQ(m.summary.normalized, 1u);  // COPY . /app: "dir:<hash> in /app"
  EXPECT_TRUE(UnmatchedLines(m, d->df).empty());
  // Empty entries map too: LABEL line 3, ENV 4, WORKDIR 9, EXPOSE 25, HEALTHCHECK 26, CMD 29.
  std::vector<int> empty_lines;
  for (const EntryMatch& e : m.entries) {
    if (e.layer < 0 && e.origin == EntryOrigin::kStage) {
      empty_lines.push_back(d->df.instructions[static_cast<size_t>(e.instruction)].start_line());
    }
  }
  EXPECT_EQ(empty_lines, (std::vector<int>{3, 4, 9, 25, 26, 29}));
  EXPECT_TRUE(AnyNoteContains(m, "Every instruction of stage 0 matched a history entry, in order")) << Notes(m);
}

TEST(HistoryMatchTest, BuildKitNaive) {
  auto d = LoadDockerfile(kData + "Dockerfile.naive");
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  HistoryMapping m = Match(image, d->df);
  // BuildKit's WORKDIR (line 9) makes a layer; COPY keeps its sources.
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"base:2", "6", "8", "9", "11", "13", "16", "18", "20", "22", "23", "24"}));
  for (const std::string& c : LayerConfidences(m)) EXPECT_EQ(c, "exact");
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_EQ(m.producer, Producer::kBuildKit);
  EXPECT_FALSE(m.base_hint.found);
  EXPECT_EQ(m.summary.exact, 16u);
  EXPECT_EQ(m.summary.base_entries, 3u);
  // The base layer counts for FROM line 2.
  const EntryMatch* base = m.ForLayer(0);
  ASSERT_NE(base, nullptr);
  EXPECT_EQ(d->df.instructions[static_cast<size_t>(base->target_instruction)].start_line(), 2);
}

// Dockerfile.slim: the last stage (FROM line 12) makes layers at lines 15,
// 19 (COPY --from=builder) and 20; the builder stage (lines 2-10) is not
// in the image's history.
TEST(HistoryMatchTest, BuildahSlim) {
  auto d = LoadDockerfile(kData + "Dockerfile.slim");
  Image image = ImageFromConfig("driftwood-slim.buildah.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"base:12", "15", "19", "20"}));
  EXPECT_EQ(LayerConfidences(m), (V{"exact", "exact", "normalized", "normalized"}));
  EXPECT_EQ(m.target_stage, 1u);
  EXPECT_EQ(m.chain, (std::vector<size_t>{1}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_EQ(InstructionConfidences(m, d->df), (V{"13:exact", "14:exact", "15:exact", "19:normalized", "20:normalized",
                                                 "21:exact", "22:exact", "23:exact", "24:exact", "25:exact"}));
}

TEST(HistoryMatchTest, BuildKitSlim) {
  auto d = LoadDockerfile(kData + "Dockerfile.slim");
  Image image = ImageFromConfig("driftwood-slim.buildkit.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"base:12", "15", "19", "20"}));
  EXPECT_EQ(LayerConfidences(m), (V{"exact", "exact", "exact", "exact"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_EQ(m.summary.exact, 10u);
}

// ---------------------------------------------------------------------------
// Mismatches: the naive image against Dockerfile.slim.

TEST(HistoryMatchTest, NaiveImageAgainstSlimDockerfileBuildKit) {
  auto d = LoadDockerfile(kData + "Dockerfile.slim");
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(m.summary.verdict, Verdict::kDoesNotMatch) << Notes(m);
  // Only EXPOSE and HEALTHCHECK are the same text; RUN (line 15) and CMD
  // pair by position with the naive build's last RUN and its CMD. Nothing
  // in a BuildKit history says where the base ends, so every entry before
  // that RUN counts as base, and the notes say that this is a guess.
  EXPECT_EQ(UnmatchedLines(m, d->df), (std::vector<int>{13, 14, 19, 20, 21, 24}));
  EXPECT_EQ(InstructionConfidences(m, d->df), (V{"13:none", "14:none", "15:positional", "19:none", "20:none", "21:none",
                                                 "22:exact", "23:exact", "24:none", "25:positional"}));
  EXPECT_EQ(m.summary.base_entries, 15u);
  EXPECT_TRUE(AnyNoteContains(m,
                              "Only 2 of 10 instructions of stage 1 matched a history entry by their text: the "
                              "image was probably not built from this Dockerfile"))
      << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m,
                              "6 instructions did not match any history entry (line 13 LABEL, line 14 ENV, "
                              "line 19 COPY, line 20 COPY, line 21 USER, line 24 ENTRYPOINT): "
                              "was the image built from another Dockerfile, or another --target?"))
      << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m,
                              "2 instructions matched only by position, their text differs (line 15 RUN, line "
                              "25 CMD)"))
      << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m, "Where the base image ends is a guess")) << Notes(m);
}

TEST(HistoryMatchTest, NaiveImageAgainstSlimDockerfileBuildah) {
  auto d = LoadDockerfile(kData + "Dockerfile.slim");
  Image image = ImageFromConfig("driftwood-naive.buildah.config.json");
  HistoryMapping m = Match(image, d->df);
  // buildah's comment pins the start of the build at LABEL, so the naive
  // build's entries must be accounted for: paired by position where the
  // kinds agree, the rest reported as extra.
  EXPECT_EQ(m.summary.verdict, Verdict::kDoesNotMatch) << Notes(m);
  EXPECT_EQ(m.summary.base_entries, 3u);
  EXPECT_EQ(InstructionConfidences(m, d->df),
            (V{"13:positional", "14:exact", "15:positional", "19:none", "20:positional", "21:none", "22:exact",
               "23:exact", "24:none", "25:positional"}));
  EXPECT_EQ(UnmatchedLines(m, d->df), (std::vector<int>{19, 21, 24}));
  EXPECT_EQ(m.summary.extra, 9u);
  EXPECT_TRUE(AnyNoteContains(m,
                              "3 instructions did not match any history entry (line 19 COPY, line 21 USER, "
                              "line 24 ENTRYPOINT)"))
      << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m,
                              "4 instructions matched only by position, their text differs (line 13 LABEL, "
                              "line 15 RUN, line 20 COPY, line 25 CMD)"))
      << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m,
                              "9 history entries inside the build matched no instruction (#7 RUN apt-get "
                              "install"))
      << Notes(m);
}

TEST(HistoryMatchTest, SlimImageAgainstNaiveDockerfile) {
  auto d = LoadDockerfile(kData + "Dockerfile.naive");
  Image image = ImageFromConfig("driftwood-slim.buildkit.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(m.summary.verdict, Verdict::kDoesNotMatch) << Notes(m);
  EXPECT_EQ(UnmatchedLines(m, d->df), (std::vector<int>{6, 9, 13, 16, 18, 20, 22, 23, 24}));
  EXPECT_EQ(m.summary.extra, 3u);  // COPY config/..., USER, ENTRYPOINT
  EXPECT_TRUE(AnyNoteContains(m,
                              "9 instructions did not match any history entry (line 6 RUN, line 9 WORKDIR, "
                              "line 13 RUN, line 16 RUN, line 18 RUN, line 20 RUN, line 22 RUN, line 23 RUN "
                              "and 1 more)"))
      << Notes(m);
}

TEST(HistoryMatchTest, NaiveImageAgainstSlimBuilderStage) {
  auto d = LoadDockerfile(kData + "Dockerfile.slim");
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  HistoryMapping m = Match(image, d->df, "builder");
  EXPECT_EQ(m.target_stage, 0u);
  EXPECT_EQ(m.summary.verdict, Verdict::kDoesNotMatch) << Notes(m);
}

// ---------------------------------------------------------------------------
// Dockerfile.stages, built by BuildKit, the classic builder and buildah:
// stage "tools" (lines 4-11) <- "build" (13-21); the last stage (23-42) is
// FROM tools too. Checked by reading tests/data/explain/Dockerfile.stages.

TEST(HistoryMatchTest, StagesBuildKit) {
  auto d = LoadDockerfile(kData + "Dockerfile.stages");
  Image image = ImageFromConfig("stages.buildkit.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(m.chain, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"^5", "^6", "^9", "^11", "26", "27", "28", "29", "30", "31", "32", "33", "34"}));
  EXPECT_EQ(InstructionConfidences(m, d->df),
            (V{"5:exact",  "6:exact",       "7:exact",  "8:exact",  "9:exact",  "11:normalized",
               "24:exact", "25:exact",      "26:exact", "27:exact", "28:exact", "29:exact",
               "30:exact", "31:normalized", "32:exact", "33:exact", "34:exact", "35:expected-missing",
               "36:exact", "37:exact",      "38:exact", "39:exact", "40:exact", "41:exact",
               "42:exact"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m, "Line 35 (ONBUILD) has no history entry, as expected: BuildKit records none"))
      << Notes(m);
  // Parent-stage entries count for the target's FROM (line 23).
  const EntryMatch* first = m.ForLayer(0);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(d->df.instructions[static_cast<size_t>(first->target_instruction)].start_line(), 23);
  EXPECT_EQ(m.summary.base_entries, 6u);
  EXPECT_EQ(m.summary.base_layers, 4u);
  // Instruction indices: 0 global ARG, 1 FROM tools, ...; the last stage's
  // FROM (line 23) is instruction 16, COPY --from (line 26) 19.
  ASSERT_EQ(d->df.instructions[16].start_line(), 23);
  EXPECT_EQ(m.LayersFor(16), (std::vector<size_t>{0, 1, 2, 3}));
  ASSERT_EQ(d->df.instructions[19].start_line(), 26);
  EXPECT_EQ(m.LayersFor(19), (std::vector<size_t>{4}));
  EXPECT_TRUE(m.LayersFor(1).empty());  // tools' FROM: its entries count for line 23
  EXPECT_TRUE(AnyNoteContains(m,
                              "6 history entries (4 layers) came with FROM tools (line 23): 6 entries from the "
                              "parent stages (4 layers)."))
      << Notes(m);
}

TEST(HistoryMatchTest, StagesClassic) {
  auto d = LoadDockerfile(kData + "Dockerfile.stages");
  Image image = ImageFromConfig("stages.classic.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"^5", "^6", "^9", "26", "27", "28", "29", "30", "31", "32", "33", "34"}));
  EXPECT_EQ(LayerConfidences(m), (V{"normalized", "exact", "exact", "normalized", "normalized", "normalized",
                                    "normalized", "exact", "normalized", "normalized", "exact", "exact"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_EQ(m.producer, Producer::kClassic);
}

TEST(HistoryMatchTest, StagesBuildah) {
  auto d = LoadDockerfile(kData + "Dockerfile.stages");
  Image image = ImageFromConfig("stages.buildah.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"^5", "^6", "^9", "26", "27", "28", "29", "31", "32", "33", "34"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_EQ(m.producer, Producer::kBuildah);
  EXPECT_FALSE(m.base_hint.found);  // FROM scratch: no named base in any comment
}

TEST(HistoryMatchTest, StagesTargetBuild) {
  auto d = LoadDockerfile(kData + "Dockerfile.stages");
  struct Row {
    const char* config;
    V layers;
  };
  const Row rows[] = {
      {"stages.buildkit-build.config.json", {"^5", "^6", "^9", "^11", "16", "18", "20", "21"}},
      {"stages.classic-build.config.json", {"^5", "^6", "^9", "16", "18", "20", "21"}},
      {"stages.buildah-build.config.json", {"^5", "^6", "^9", "16", "18", "20", "21"}},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.config);
    Image image = ImageFromConfig(r.config);
    HistoryMapping m = Match(image, d->df, "build");
    EXPECT_EQ(m.target_stage, 1u);
    EXPECT_EQ(LayerOrigins(m, d->df), r.layers);
    EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
    // Same by index.
    HistoryMapping by_index = Match(image, d->df, "1");
    EXPECT_EQ(LayerOrigins(by_index, d->df), r.layers);
  }
  // The final image against --target build: the last stage's instructions
  // are not in the chain, so its entries are extra.
  Image image = ImageFromConfig("stages.buildkit.config.json");
  HistoryMapping m = Match(image, d->df, "build");
  EXPECT_NE(m.summary.verdict, Verdict::kMatches) << Notes(m);
}

// ---------------------------------------------------------------------------
// dive's test image: classic builder (docker save) and kaniko, from
// tests/data/dive/Dockerfile.test-image (FROM busybox:latest on line 1,
// then one layer per line 2-14).

Image OpenDive(const std::string& file) {
  OpenOptions opt;
  auto image = OpenImage(kDive + file, opt);
  EXPECT_TRUE(image.has_value()) << image.error().message();
  return image.has_value() ? std::move(*image) : Image();
}

TEST(HistoryMatchTest, DiveClassicBuilder) {
  auto d = LoadDockerfile(kDive + "Dockerfile.test-image");
  Image image = OpenDive("test-docker-image.tar");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df),
            (V{"base:1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"}));
  // The base layer is as sure as the first instruction after it: ADD
  // (line 2), recorded as "file:<hash> in /somefile.txt".
  EXPECT_EQ(LayerConfidences(m), (V{"normalized", "normalized", "exact", "exact", "exact", "exact", "exact", "exact",
                                    "exact", "exact", "normalized", "exact", "exact", "exact"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_EQ(m.producer, Producer::kClassic);
  EXPECT_EQ(m.summary.base_entries, 2u);  // busybox's ADD and CMD ["sh"]
}

TEST(HistoryMatchTest, DiveKaniko) {
  auto d = LoadDockerfile(kDive + "Dockerfile.test-image");
  Image image = OpenDive("test-kaniko-image.tar");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df),
            (V{"base:1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"}));
  for (size_t l = 1; l < 14; ++l) EXPECT_EQ(LayerConfidences(m)[l], "exact") << l;
  EXPECT_EQ(m.producer, Producer::kKaniko);
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
}

// ---------------------------------------------------------------------------
// Heredocs, build args and an exec-form RUN with --mount (BuildKit forms;
// the config is synthesised from BuildKit's source, see the README).

TEST(HistoryMatchTest, HeredocsBuildKit) {
  auto d = LoadDockerfile(kData + "Dockerfile.heredoc");
  Image image = ImageFromConfig("heredoc.buildkit-synthesized.config.json");
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"base:2", "4", "8", "12", "16", "19"}));
  EXPECT_EQ(InstructionConfidences(m, d->df),
            (V{"3:exact", "4:exact", "8:exact", "12:exact", "16:exact", "19:exact", "20:exact"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
}

// ---------------------------------------------------------------------------
// The alignment does not shift: a missing or extra entry costs one gap.

TEST(HistoryMatchTest, MissingEntryDoesNotShift) {
  auto d = LoadDockerfile(kData + "Dockerfile.naive");
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  // Drop "RUN pip install" (line 16) from the history (and its layer).
  size_t drop = 0;
  for (size_t i = 0; i < image.history.size(); ++i) {
    if (image.history[i].created_by.find("pip install") != std::string::npos) drop = i;
  }
  ASSERT_GT(drop, 0u);
  image.history.erase(image.history.begin() + static_cast<std::ptrdiff_t>(drop));
  image.layers.pop_back();
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(UnmatchedLines(m, d->df), (std::vector<int>{16}));
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"base:2", "6", "8", "9", "11", "13", "18", "20", "22", "23", "24"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMostlyMatches) << Notes(m);
  EXPECT_EQ(m.summary.exact, 15u);
  EXPECT_TRUE(AnyNoteContains(m, "1 instruction did not match any history entry (line 16 RUN)")) << Notes(m);
}

TEST(HistoryMatchTest, ExtraEntryDoesNotShift) {
  auto d = LoadDockerfile(kData + "Dockerfile.naive");
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  // A RUN that is not in the Dockerfile, after "COPY . /app".
  size_t at = 0;
  for (size_t i = 0; i < image.history.size(); ++i) {
    if (image.history[i].created_by == "COPY . /app # buildkit") at = i + 1;
  }
  ASSERT_GT(at, 0u);
  HistoryEntry extra;
  extra.created_by = "RUN /bin/sh -c touch /app/extra # buildkit";
  extra.comment = "buildkit.dockerfile.v0";
  image.history.insert(image.history.begin() + static_cast<std::ptrdiff_t>(at), extra);
  image.layers.emplace_back();
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"base:2", "6", "8", "9", "11", "?", "13", "16", "18", "20", "22", "23", "24"}));
  EXPECT_TRUE(UnmatchedLines(m, d->df).empty());
  EXPECT_EQ(m.summary.extra, 1u);
  EXPECT_EQ(m.summary.verdict, Verdict::kMostlyMatches) << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m,
                              "1 history entry inside the build matched no instruction (#10 RUN touch "
                              "/app/extra)"))
      << Notes(m);
}

TEST(HistoryMatchTest, EditedRunMatchesByPosition) {
  // The Dockerfile changed after the build: line 16's command differs.
  std::string text = ReadFile(kData + "Dockerfile.naive");
  size_t at = text.find("--no-build-isolation");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 20, "--no-cache-dir");
  auto df = lint::ParseDockerfile(text, "Dockerfile.edited");
  ASSERT_TRUE(df.has_value());
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  HistoryMapping m = Match(image, *df);
  EXPECT_EQ(LayerOrigins(m, *df), (V{"base:2", "6", "8", "9", "11", "13", "16", "18", "20", "22", "23", "24"}));
  EXPECT_EQ(LayerConfidences(m)[6], "positional");
  EXPECT_EQ(m.summary.verdict, Verdict::kMostlyMatches) << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m,
                              "1 instruction matched only by position, their text differs (line 16 RUN): the "
                              "Dockerfile may have changed since the image was built."))
      << Notes(m);
}

TEST(HistoryMatchTest, HistoryAndLayersDoNotPair) {
  auto d = LoadDockerfile(kData + "Dockerfile.naive");
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  image.layers.pop_back();  // one layer fewer than non-empty entries
  HistoryMapping m = Match(image, d->df);
  for (const std::string& o : LayerOrigins(m, d->df)) EXPECT_EQ(o, "-");
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches);  // the history itself still matches
  EXPECT_TRUE(AnyNoteContains(m, "The history has 12 non-empty entries for 11 layers")) << Notes(m);
}

TEST(HistoryMatchTest, NoHistory) {
  auto d = LoadDockerfile(kData + "Dockerfile.naive");
  Image image;
  image.layers.resize(2);
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(m.summary.verdict, Verdict::kDoesNotMatch);
  EXPECT_EQ(m.summary.missing, 16u);
  EXPECT_TRUE(AnyNoteContains(m, "The image has no history: its 2 layers cannot be tied to instructions.")) << Notes(m);
}

TEST(HistoryMatchTest, FromOnlyDockerfile) {
  std::string text = "FROM localhost/corpus/base-full:bookworm\n";
  auto df = lint::ParseDockerfile(text, "Dockerfile");
  ASSERT_TRUE(df.has_value());
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  HistoryMapping m = Match(image, *df);
  // Every entry came with FROM, for sure: the stage has nothing else.
  for (const EntryMatch& e : m.entries) {
    EXPECT_EQ(e.origin, EntryOrigin::kBaseImage);
    EXPECT_EQ(e.confidence, MatchConfidence::kExact);
  }
}

TEST(HistoryMatchTest, Errors) {
  auto d = LoadDockerfile(kData + "Dockerfile.slim");
  Image image = ImageFromConfig("driftwood-slim.buildkit.config.json");
  MatchOptions opt;
  opt.target = "nope";
  auto m = MatchHistory(image, d->df, opt);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code(), Errc::kUsage);
  EXPECT_EQ(m.error().message(), kData + "Dockerfile.slim: target stage 'nope' not found");

  lint::Dockerfile empty;
  empty.filename = "Dockerfile";
  auto e = MatchHistory(image, empty, MatchOptions());
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(), "Dockerfile: no FROM instruction: no stage to match the image with");

  std::string huge = "FROM x\n";
  for (size_t i = 0; i <= kMaxChainInstructions; ++i) huge += "USER a\n";
  auto hdf = lint::ParseDockerfile(huge, "Dockerfile.huge");
  ASSERT_TRUE(hdf.has_value());
  auto h = MatchHistory(image, *hdf, MatchOptions());
  ASSERT_FALSE(h.has_value());
  EXPECT_EQ(h.error().code(), Errc::kTooLarge);
  EXPECT_EQ(h.error().message(),
            "Dockerfile.huge: 10001 instructions in the target stage and its parents; at most 10000 are matched");
}

TEST(HistoryMatchTest, LongHistoryAlignsItsEnd) {
  // More entries than the table holds: only the last ones are aligned, the
  // build (at the end) still maps.
  auto d = LoadDockerfile(kData + "Dockerfile.naive");
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  const size_t pad = kMaxAlignCells / 16 + 10;  // 16 instructions in the chain
  HistoryEntry filler;
  filler.created_by = "/bin/sh -c #(nop)  ENV FILLER=1";
  filler.empty_layer = true;
  image.history.insert(image.history.begin(), pad, filler);
  HistoryMapping m = Match(image, d->df);
  EXPECT_EQ(LayerOrigins(m, d->df), (V{"base:2", "6", "8", "9", "11", "13", "16", "18", "20", "22", "23", "24"}));
  EXPECT_EQ(m.summary.verdict, Verdict::kMatches) << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m, StrFormat("The history has %zu entries: only the last %zu were aligned",
                                           image.history.size(), kMaxAlignCells / 16)))
      << Notes(m);
}

// ---------------------------------------------------------------------------
// Without a Dockerfile.

TEST(HistoryOnlyTest, BuildahNaive) {
  Image image = ImageFromConfig("driftwood-naive.buildah.config.json");
  HistoryMapping m = MatchHistoryOnly(image);
  EXPECT_FALSE(m.has_dockerfile);
  EXPECT_EQ(m.summary.verdict, Verdict::kHistoryOnly);
  EXPECT_TRUE(m.base_hint.found);
  EXPECT_EQ(m.summary.base_entries, 3u);
  EXPECT_EQ(m.summary.base_layers, 1u);
  V kinds;
  for (size_t l = 0; l < image.layers.size(); ++l) {
    const EntryMatch* e = m.ForLayer(l);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->confidence, MatchConfidence::kHistoryOnly);
    EXPECT_EQ(e->instruction, -1);
    kinds.push_back(std::string(l == 0 ? "base " : "") + e->parsed.keyword);
  }
  EXPECT_EQ(kinds, (V{"base ADD", "RUN", "RUN", "COPY", "RUN", "RUN", "RUN", "RUN", "RUN", "RUN", "RUN"}));
  EXPECT_EQ(m.ForLayer(1)->parsed.args, "apt-get update");
  EXPECT_EQ(m.ForLayer(3)->parsed.copy_dest, "/app");
  EXPECT_TRUE(AnyNoteContains(m, "No Dockerfile: instructions are read from the image history alone")) << Notes(m);
  EXPECT_TRUE(AnyNoteContains(m,
                              "3 history entries came with the base image: buildah's comment \"FROM "
                              "localhost/corpus/base-full:bookworm\" on history entry #4"))
      << Notes(m);
}

TEST(HistoryOnlyTest, BuildKitNaive) {
  Image image = ImageFromConfig("driftwood-naive.buildkit.config.json");
  HistoryMapping m = MatchHistoryOnly(image);
  EXPECT_FALSE(m.base_hint.found);
  EXPECT_EQ(m.producer, Producer::kBuildKit);
  EXPECT_EQ(m.ForLayer(3)->parsed.kind, lint::InstructionKind::kWorkdir);
  EXPECT_EQ(m.ForLayer(4)->parsed.copy_sources, (std::vector<std::string>{"."}));
  EXPECT_TRUE(AnyNoteContains(m, "Where the base image ends cannot be told from this history alone")) << Notes(m);
}

TEST(HistoryOnlyTest, ClassicExecFormIsUnknownKind) {
  Image image = ImageFromConfig("stages.classic.config.json");
  HistoryMapping m = MatchHistoryOnly(image);
  // "/bin/busybox --install -s /bin" carries no mark of being a RUN.
  EXPECT_EQ(m.ForLayer(1)->parsed.kind, lint::InstructionKind::kUnknown);
  EXPECT_EQ(m.ForLayer(1)->label, "/bin/busybox --install -s /bin");
  EXPECT_TRUE(AnyNoteContains(m, "1 entry is in no known builder form")) << Notes(m);
}

TEST(BaseHintTest, OnlyWhenTheBuildIsBuildah) {
  std::vector<HistoryEntry> h(4);
  h[0].comment = "";
  h[1].comment = "FROM 978f833eed43";
  h[2].comment = "FROM docker.io/library/debian:bookworm";
  h[3].comment = "FROM 1d1aae330c00";
  BaseHint hint = FindBaseHint(h);
  EXPECT_TRUE(hint.found);
  EXPECT_EQ(hint.first_build_entry, 2u);
  // Finished by another builder: the named comment sits in the base.
  h[3].comment = "buildkit.dockerfile.v0";
  EXPECT_FALSE(FindBaseHint(h).found);
  h[3].comment = "FROM sha256:1d1aae330c00ab";
  EXPECT_TRUE(FindBaseHint(h).found);
}

}  // namespace
}  // namespace whittle::explain
