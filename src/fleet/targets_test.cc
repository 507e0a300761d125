#include "fleet/targets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace whittle::fleet {
namespace {

TEST(ShardTest, ParsesAndRefuses) {
  auto s = ParseShard("3/4");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 3u);
  EXPECT_EQ(s->count, 4u);
  for (const char* bad : {"4/4", "1", "/4", "1/", "a/4", "1/0", "-1/4", "1/99999", "1/4/5", ""}) {
    auto r = ParseShard(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), Errc::kUsage);
  }
}

TEST(ShardTest, HashIsFnv1a64) {
  // The published FNV-1a 64 test vectors: "" and "a", "foobar".
  EXPECT_EQ(RepositoryHash(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(RepositoryHash("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(RepositoryHash("foobar"), 0x85944171f73967e8ull);
}

TEST(ShardTest, ShardsPartitionByRepository) {
  std::vector<WorkItem> items;
  for (int r = 0; r < 40; ++r) {
    for (const char* tag : {"v1", "v2"}) {
      auto item = TargetFromReference("127.0.0.1:5000/app" + std::to_string(r) + ":" + tag);
      ASSERT_TRUE(item);
      items.push_back(*item);
    }
  }
  std::map<std::string, int> shard_of;
  size_t total = 0;
  for (uint32_t i = 0; i < 4; ++i) {
    std::vector<WorkItem> part = InShard(items, Shard{i, 4});
    EXPECT_FALSE(part.empty());
    total += part.size();
    for (const WorkItem& w : part) {
      auto [it, fresh] = shard_of.emplace(w.repository, static_cast<int>(i));
      EXPECT_EQ(it->second, static_cast<int>(i)) << w.repository << " in two shards";
      (void)fresh;
    }
  }
  EXPECT_EQ(total, items.size());
  EXPECT_EQ(InShard(items, Shard{0, 1}).size(), items.size());
}

TEST(TargetsTest, NormalisesReferences) {
  auto a = TargetFromReference("docker://127.0.0.1:5000/team/app:v1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->reference, "127.0.0.1:5000/team/app:v1");
  EXPECT_EQ(a->repository, "127.0.0.1:5000/team/app");
  auto hub = TargetFromReference("alpine");
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub->reference, "registry-1.docker.io/library/alpine:latest");
  EXPECT_FALSE(TargetFromReference("127.0.0.1:5000/App:v1"));
}

TEST(TargetsTest, NextLink) {
  EXPECT_EQ(NextLink("</v2/_catalog?last=b&n=2>; rel=\"next\""), "/v2/_catalog?last=b&n=2");
  EXPECT_EQ(NextLink("<https://r.example/v2/x/tags/list?last=3&n=3>; rel=\"next\""), "/v2/x/tags/list?last=3&n=3");
  EXPECT_EQ(NextLink("</v2/a>; rel=\"prev\", </v2/b>; rel=\"next\""), "/v2/b");
  EXPECT_EQ(NextLink("</v2/a>; rel=\"prev\""), "");
  EXPECT_EQ(NextLink(""), "");
  EXPECT_EQ(NextLink("<relative>; rel=\"next\""), "");
}

class TargetFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/whittle-targets-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& text) {
    std::string path = dir_ + "/refs.txt";
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(TargetFileTest, SkipsCommentsAndBlanksSortsAndDedupes) {
  std::string path = Write(
      "# fleet\n\n  127.0.0.1:5000/b:v1  \ndocker://127.0.0.1:5000/a:v2\n127.0.0.1:5000/b:v1\n\t# indented comment\n");
  auto items = ReadTargetFile(path);
  ASSERT_TRUE(items) << items.error().message();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].reference, "127.0.0.1:5000/a:v2");
  EXPECT_EQ((*items)[1].reference, "127.0.0.1:5000/b:v1");
}

TEST_F(TargetFileTest, BadLineIsFileLine) {
  std::string path = Write("127.0.0.1:5000/a:v1\n# ok\n127.0.0.1:5000/Bad Name\n");
  auto items = ReadTargetFile(path);
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().code(), Errc::kUsage);
  EXPECT_EQ(items.error().message().rfind(path + ":3: ", 0), 0u) << items.error().message();
  path = Write("127.0.0.1:5000/a:\n");
  items = ReadTargetFile(path);
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().message().rfind(path + ":1: ", 0), 0u) << items.error().message();
}

TEST_F(TargetFileTest, MissingFileIsIo) {
  auto items = ReadTargetFile(dir_ + "/none");
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().code(), Errc::kIo);
}

}  // namespace
}  // namespace whittle::fleet
