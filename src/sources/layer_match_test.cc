#include "sources/layer_match.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

Image MakeImage(const std::vector<std::pair<std::string, std::string>>& layers) {
  Image img;
  for (const auto& [diff_id, created_by] : layers) {
    LayerRef l;
    l.diff_id = diff_id;
    img.layers.push_back(l);
    img.diff_ids.push_back(diff_id);
    HistoryEntry h;
    h.created_by = created_by;
    img.history.push_back(h);
  }
  return img;
}

TEST(MatchLayers, ByDiffIdThenByCleanedInstruction) {
  Image old_img = MakeImage({{"sha256:base", "/bin/sh -c #(nop) ADD file:aaaa in /"},
                             {"sha256:o1", "RUN |1 V=1 /bin/sh -c apt-get update # buildkit"},
                             {"sha256:o2", "/bin/sh -c make"}});
  Image new_img = MakeImage({{"sha256:base", "/bin/sh -c #(nop) ADD file:aaaa in /"},
                             {"sha256:n1", "RUN |1 V=2 /bin/sh -c apt-get update # buildkit"},
                             {"sha256:n2", "/bin/sh -c make install"}});
  LayerMatchResult m = MatchLayers(old_img, new_img);
  ASSERT_EQ(m.old_labels.size(), 3u);
  EXPECT_EQ(m.how[0], LayerMatch::kDiffId);
  EXPECT_EQ(m.new_index[0], 0);
  EXPECT_EQ(m.how[1], LayerMatch::kInstruction);  // build args differ, text the same
  EXPECT_EQ(m.new_index[1], 1);
  EXPECT_EQ(m.old_labels[1], "#2 RUN apt-get update");
  EXPECT_EQ(m.how[2], LayerMatch::kNone);
  EXPECT_EQ(m.old_labels[2], "#3 RUN make");  // its own label: a [DEL] row
}

TEST(MatchLayers, ShiftedLayersKeepTheirNewNumbers) {
  // NEW inserted a layer: OLD #2 is NEW #3, found by diff_id.
  Image old_img = MakeImage({{"sha256:a", "/bin/sh -c a"}, {"sha256:b", "/bin/sh -c b"}});
  Image new_img = MakeImage({{"sha256:a", "/bin/sh -c a"}, {"sha256:x", "/bin/sh -c x"}, {"sha256:b", "/bin/sh -c b"}});
  LayerMatchResult m = MatchLayers(old_img, new_img);
  EXPECT_EQ(m.old_labels[1], "#3 RUN b");
  EXPECT_EQ(m.new_index[1], 2);
}

TEST(MatchLayers, EachNewLayerMatchesOnce) {
  Image old_img = MakeImage({{"sha256:e", "/bin/sh -c true"}, {"sha256:e", "/bin/sh -c true"}});
  Image new_img = MakeImage({{"sha256:e", "/bin/sh -c true"}});
  LayerMatchResult m = MatchLayers(old_img, new_img);
  EXPECT_EQ(m.new_index[0], 0);
  EXPECT_EQ(m.new_index[1], -1);
  EXPECT_EQ(m.old_labels[1], "#2 RUN true");
}

}  // namespace
}  // namespace whittle
