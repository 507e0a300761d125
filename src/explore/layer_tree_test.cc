#include "explore/layer_tree.h"

#include <gtest/gtest.h>

#include "waste/scan_builder_for_test.h"

namespace whittle {
namespace {

using namespace testing_waste;

// Layer 0 stores /a/{x,y} and /b/big; layer 1 overwrites /a/x, deletes
// /b/big and adds /c; layer 2 adds /d/e/f without listing /d or /d/e.
ImageScan ThreeLayers() {
  return BuildScan({
      {D("/a"), F("/a/x", 10), F("/a/y", 20), D("/b"), F("/b/big", 100)},
      {D("/a"), F("/a/x", 15), WH("/b/big"), F("/c", 5)},
      {F("/d/e/f", 3), S("/a/link", "/a/y")},
  });
}

class LayerTreeTest : public ::testing::Test {
 protected:
  LayerTreeTest() : scan_(ThreeLayers()), fates_(ClassifyEntries(scan_)), tree_(scan_, fates_) {}
  NodeId Node(std::string_view path) const {
    for (NodeId n = 0; n < tree_.node_count(); ++n) {
      if (tree_.path(n) == path) return n;
    }
    ADD_FAILURE() << "no node " << path;
    return kRootNode;
  }
  ImageScan scan_;
  ImageFates fates_;
  LayerTree tree_;
};

TEST_F(LayerTreeTest, OneNodePerPathWithImpliedDirectories) {
  // root, /a, /a/x, /a/y, /b, /b/big, /c, /d, /d/e, /d/e/f, /a/link; no whiteout node.
  EXPECT_EQ(tree_.node_count(), 11u);
  EXPECT_EQ(tree_.name(Node("/d/e/f")), "f");
  EXPECT_EQ(tree_.parent(Node("/d/e/f")), Node("/d/e"));
  EXPECT_EQ(tree_.versions(Node("/a/x")).size(), 2u);
  EXPECT_TRUE(tree_.is_dir(Node("/d")));  // implied by its contents
  EXPECT_EQ(tree_.member(Node("/d")), nullptr);
  EXPECT_EQ(tree_.path(kRootNode), "/");
}

// An implied directory that a later layer stores, or whose path is also a
// link target (so interned), keeps one node and gains the member.
TEST(LayerTreeImplied, LaterMemberJoinsTheImpliedNode) {
  ImageScan scan = BuildScan({
      {F("/p/q/r", 1), S("/l", "/p/q")},
      {D("/p/q"), D("/p")},
  });
  ImageFates fates = ClassifyEntries(scan);
  LayerTree tree(scan, fates);
  // root, /p, /p/q, /p/q/r, /l.
  ASSERT_EQ(tree.node_count(), 5u);
  for (NodeId n = 1; n < tree.node_count(); ++n) {
    EXPECT_EQ(tree.versions(n).size(), 1u) << tree.path(n);
    EXPECT_GT(n, tree.parent(n)) << tree.path(n);
  }
  tree.SelectLayer(0);
  EXPECT_EQ(tree.member(2), nullptr);  // /p/q: implied at layer 1
  EXPECT_EQ(tree.path(2), "/p/q");
  tree.SelectLayer(1);
  ASSERT_NE(tree.member(2), nullptr);
  EXPECT_EQ(tree.member(2)->kind, EntryKind::kDir);
}

TEST_F(LayerTreeTest, StartsAtTheTopLayer) { EXPECT_EQ(tree_.layer(), 2u); }

// explore builds the nodes while another thread classifies: a NodesOnly tree
// must not read the fates before SelectLayer, and then answer as the eager one.
TEST_F(LayerTreeTest, NodesOnlyReadsTheFatesFromSelectLayerOn) {
  ImageFates fates;  // still empty while the nodes are built
  LayerTree lazy(scan_, fates, LayerTree::NodesOnly{});
  ASSERT_EQ(lazy.node_count(), tree_.node_count());
  fates = ClassifyEntries(scan_);
  for (size_t layer = 0; layer < tree_.layer_count(); ++layer) {
    lazy.SelectLayer(layer);
    tree_.SelectLayer(layer);
    for (NodeId n = 0; n < tree_.node_count(); ++n) {
      EXPECT_EQ(lazy.path(n), tree_.path(n));
      EXPECT_EQ(lazy.visible(n), tree_.visible(n)) << tree_.path(n);
      EXPECT_EQ(lazy.mark(n), tree_.mark(n)) << tree_.path(n);
      EXPECT_EQ(lazy.total_bytes(n), tree_.total_bytes(n)) << tree_.path(n);
      EXPECT_EQ(lazy.waste_bytes(n), tree_.waste_bytes(n)) << tree_.path(n);
    }
  }
}

TEST_F(LayerTreeTest, FirstLayerIsAllAdded) {
  tree_.SelectLayer(0);
  EXPECT_TRUE(tree_.visible(Node("/a/x")));
  EXPECT_EQ(tree_.mark(Node("/a/x")), Mark::kAdded);
  EXPECT_FALSE(tree_.visible(Node("/c")));
  EXPECT_FALSE(tree_.visible(Node("/d")));
  EXPECT_EQ(tree_.total_bytes(Node("/a")), 30u);
  EXPECT_EQ(tree_.total_bytes(kRootNode), 130u);
  // Waste as of layer 0: what layers 1+ delete or overwrite.
  EXPECT_EQ(tree_.waste_bytes(Node("/a")), 10u);
  EXPECT_EQ(tree_.waste_bytes(Node("/b")), 100u);
  EXPECT_EQ(tree_.waste_bytes(kRootNode), 110u);
}

TEST_F(LayerTreeTest, SecondLayerMarksModifiedRemovedAdded) {
  tree_.SelectLayer(1);
  EXPECT_EQ(tree_.mark(Node("/a/x")), Mark::kModified);
  EXPECT_EQ(tree_.own_bytes(Node("/a/x")), 15u);
  EXPECT_EQ(tree_.entry(Node("/a/x"))->layer, 1u);
  EXPECT_EQ(tree_.mark(Node("/a/y")), Mark::kNone);
  EXPECT_EQ(tree_.mark(Node("/b/big")), Mark::kRemoved);
  EXPECT_FALSE(tree_.visible(Node("/b/big")));
  EXPECT_EQ(tree_.total_bytes(Node("/b/big")), 100u);  // what was removed
  EXPECT_EQ(tree_.mark(Node("/c")), Mark::kAdded);
  EXPECT_TRUE(tree_.changed(Node("/b")));
  EXPECT_EQ(tree_.mark(Node("/b")), Mark::kNone);  // only its contents changed
  EXPECT_EQ(tree_.total_bytes(Node("/b")), 0u);
  EXPECT_EQ(tree_.total_bytes(kRootNode), 40u);
  EXPECT_EQ(tree_.waste_bytes(kRootNode), 0u);  // nothing later kills what is visible here
}

TEST_F(LayerTreeTest, AFileAddedInLayerNExistsOnlyFromN) {
  const NodeId f = Node("/d/e/f");
  tree_.SelectLayer(0);
  EXPECT_FALSE(tree_.visible(f));
  tree_.SelectLayer(1);
  EXPECT_FALSE(tree_.visible(f));
  EXPECT_EQ(tree_.mark(f), Mark::kNone);
  tree_.SelectLayer(2);
  EXPECT_TRUE(tree_.visible(f));
  EXPECT_EQ(tree_.mark(f), Mark::kAdded);
  EXPECT_EQ(tree_.mark(Node("/d")), Mark::kAdded);  // implied directory appears too
  EXPECT_FALSE(tree_.changed(Node("/b")));          // the removal was layer 1's
  EXPECT_FALSE(tree_.visible(Node("/b/big")));
  EXPECT_EQ(tree_.mark(Node("/a/x")), Mark::kNone);
}

TEST(LayerTreeSameLayer, LaterMemberOfOneTarWins) {
  ImageScan scan = BuildScan({{F("/f", 1), F("/f", 2)}});
  auto fates = ClassifyEntries(scan);
  LayerTree tree(scan, fates);
  EXPECT_EQ(tree.total_bytes(kRootNode), 2u);
  EXPECT_EQ(tree.entry(1)->index, 1u);
  EXPECT_EQ(tree.mark(1), Mark::kAdded);
}

TEST(LayerTreeOpaque, OpaqueDirectoryHidesLowerContents) {
  ImageScan scan = BuildScan({{D("/o"), F("/o/old", 4)}, {D("/o"), OPQ("/o"), F("/o/new", 2)}});
  auto fates = ClassifyEntries(scan);
  LayerTree tree(scan, fates);
  NodeId old_file = 2, new_file = 3;
  ASSERT_EQ(tree.path(old_file), "/o/old");
  ASSERT_EQ(tree.path(new_file), "/o/new");
  EXPECT_EQ(tree.mark(old_file), Mark::kRemoved);
  EXPECT_EQ(tree.mark(new_file), Mark::kAdded);
  EXPECT_EQ(tree.total_bytes(kRootNode), 2u);
  tree.SelectLayer(0);
  EXPECT_EQ(tree.waste_bytes(kRootNode), 4u);
}

}  // namespace
}  // namespace whittle
