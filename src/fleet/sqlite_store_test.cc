#include "fleet/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace whittle::fleet {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/whittle-fleet-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/fleet.sqlite";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqliteFleetStore> OpenStore(std::function<int64_t()> now = nullptr) {
    auto store = SqliteFleetStore::Open(path_, 30000, std::move(now));
    EXPECT_TRUE(store) << store.error().message();
    if (!store) return nullptr;
    Status st = (*store)->Migrate();
    EXPECT_TRUE(st.ok()) << st.message();
    return std::move(*store);
  }

  static std::vector<WorkItem> Items(int n) {
    std::vector<WorkItem> items;
    for (int i = 0; i < n; ++i) {
      WorkItem w;
      w.reference = "127.0.0.1:5000/app" + std::to_string(i) + ":v1";
      w.repository = "127.0.0.1:5000/app" + std::to_string(i);
      items.push_back(w);
    }
    return items;
  }

  static ImageRow Row(const std::string& digest, const std::string& tag) {
    ImageRow r;
    r.repository = "127.0.0.1:5000/app";
    r.digest = digest;
    r.tags = {tag};
    r.size = 300;
    r.pull_size = 120;
    r.reclaimable = 40;
    r.layers = {{"sha256:base", "sha256:basediff", 200, 80, 3}, {"sha256:top", "sha256:topdiff", 100, 40, 2}};
    r.findings = {{"caches", "same-run-cleanup", "apt lists", 30}, {"dead-bytes", "fewer-tighter-layers", "x", 10}};
    return r;
  }

  int64_t Count(const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(s), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
  }

  std::string dir_, path_;
};

TEST_F(SqliteStoreTest, MigrateTwiceKeepsOneVersion) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Migrate().ok());
  auto again = OpenStore();
  ASSERT_TRUE(again);
  auto v = again->SchemaVersion();
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, kSqliteFleetSchemaVersion);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_version"), kSqliteFleetSchemaVersion);
}

TEST_F(SqliteStoreTest, NewerStoreIsRefused) {
  ASSERT_TRUE(OpenStore());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_version VALUES(99)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = SqliteFleetStore::Open(path_);
  ASSERT_TRUE(store);
  Status st = (*store)->Migrate();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Errc::kUnsupported);
  EXPECT_NE(st.message().find("schema version 99 is newer"), std::string::npos) << st.message();
}

TEST_F(SqliteStoreTest, NotADatabaseIsCorrupt) {
  std::ofstream(path_) << std::string(8192, 'x');
  auto store = SqliteFleetStore::Open(path_);
  Status st = store ? (*store)->Migrate() : store.error();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Errc::kCorrupt) << st.message();
  EXPECT_NE(st.message().find(path_), std::string::npos);
}

TEST_F(SqliteStoreTest, EnqueueIsIdempotentAndClaimDrains) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Enqueue(Items(5)).ok());
  ASSERT_TRUE(store->Enqueue(Items(5)).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work"), 5);
  std::set<std::string> seen;
  for (;;) {
    auto c = store->Claim({"w1", 60});
    ASSERT_TRUE(c) << c.error().message();
    if (!*c) break;
    EXPECT_GT((*c)->id, 0);
    EXPECT_TRUE(seen.insert((*c)->reference).second) << (*c)->reference;
  }
  EXPECT_EQ(seen.size(), 5u);
  // Enqueue again while all are claimed: nothing becomes claimable.
  ASSERT_TRUE(store->Enqueue(Items(5)).ok());
  auto c = store->Claim({"w2", 60});
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
}

TEST_F(SqliteStoreTest, ExpiredLeaseIsClaimedAgain) {
  int64_t clock = 1000;
  auto store = OpenStore([&clock] { return clock; });
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Enqueue(Items(1)).ok());
  auto first = store->Claim({"dead", 10});
  ASSERT_TRUE(first && *first);
  clock = 1009;
  auto early = store->Claim({"other", 10});
  ASSERT_TRUE(early);
  EXPECT_FALSE(*early);  // the lease still holds
  clock = 1010;
  auto late = store->Claim({"other", 10});
  ASSERT_TRUE(late && *late);
  EXPECT_EQ((*late)->id, (*first)->id);
  EXPECT_EQ((*late)->reference, (*first)->reference);
}

TEST_F(SqliteStoreTest, ClaimsOfOthersSaysWhenTheFirstLeaseEnds) {
  int64_t clock = 1000;
  auto store = OpenStore([&clock] { return clock; });
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Enqueue(Items(3)).ok());
  auto none = store->ClaimsOfOthers({"w", 10});
  ASSERT_TRUE(none) << none.error().message();
  EXPECT_EQ(none->count, 0u);  // pending items are no one's claims
  auto a = store->Claim({"dead", 30});  // lease until 1030
  ASSERT_TRUE(a && *a);
  clock = 1005;
  auto b = store->Claim({"dead", 10});  // lease until 1015: the first to end
  ASSERT_TRUE(b && *b);
  auto c = store->Claim({"w", 10});
  ASSERT_TRUE(c && *c);
  auto others = store->ClaimsOfOthers({"w", 10});
  ASSERT_TRUE(others);
  EXPECT_EQ(others->count, 2u);  // w's own claim is not counted
  EXPECT_EQ(others->seconds_left, 10);
  auto dead = store->ClaimsOfOthers({"dead", 10});
  ASSERT_TRUE(dead);
  EXPECT_EQ(dead->count, 1u);
  EXPECT_EQ(dead->seconds_left, 10);  // w's, until 1015
  clock = 1020;  // b's lease has ended: claimable, no wait
  others = store->ClaimsOfOthers({"w", 10});
  ASSERT_TRUE(others);
  EXPECT_EQ(others->count, 2u);
  EXPECT_EQ(others->seconds_left, 0);
  auto taken = store->Claim({"w", 10});
  ASSERT_TRUE(taken && *taken);
  EXPECT_EQ((*taken)->id, (*b)->id);
  ASSERT_TRUE(store->Fail(**a, "gone").ok());
  others = store->ClaimsOfOthers({"w", 10});
  ASSERT_TRUE(others);
  EXPECT_EQ(others->count, 0u);  // failed and w's own: nothing to wait for
}

TEST_F(SqliteStoreTest, CompleteMergesTagsAndSharesLayers) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Enqueue(Items(3)).ok());
  auto a = store->Claim({"w", 60});
  auto b = store->Claim({"w", 60});
  auto c = store->Claim({"w", 60});
  ASSERT_TRUE(a && *a && b && *b && c && *c);
  auto has = store->HasImage("sha256:one");
  ASSERT_TRUE(has);
  EXPECT_FALSE(*has);
  ASSERT_TRUE(store->Complete(**a, Row("sha256:one", "v1")).ok());
  has = store->HasImage("sha256:one");
  ASSERT_TRUE(has);
  EXPECT_TRUE(*has);
  // The same digest under another tag (a rerun, or a second tag).
  ImageRow again = Row("sha256:one", "latest");
  again.reclaimable = 41;
  ASSERT_TRUE(store->Complete(**b, again).ok());
  ASSERT_TRUE(store->Enqueue(Items(4)).ok());
  auto d = store->Claim({"w", 60});
  ASSERT_TRUE(d && *d);
  EXPECT_EQ((*d)->reference, "127.0.0.1:5000/app3:v1");
  ASSERT_TRUE(store->CompleteStored(**d, "sha256:one", {"stable"}).ok());
  ImageRow other = Row("sha256:two", "v2");
  other.layers.pop_back();
  ASSERT_TRUE(store->Complete(**c, other).ok());

  auto images = store->Images();
  ASSERT_TRUE(images) << images.error().message();
  ASSERT_EQ(images->size(), 2u);
  const ImageRow& one = (*images)[0];
  EXPECT_EQ(one.digest, "sha256:one");
  EXPECT_EQ(one.tags, (std::vector<std::string>{"latest", "stable", "v1"}));
  EXPECT_EQ(one.reclaimable, 41u);
  ASSERT_EQ(one.layers.size(), 2u);
  EXPECT_EQ(one.layers[0].digest, "sha256:base");
  EXPECT_EQ(one.layers[0].files, 3u);
  ASSERT_EQ(one.findings.size(), 2u);
  EXPECT_EQ(one.findings[0].id, "caches");
  EXPECT_EQ(one.findings[0].bytes, 30u);
  EXPECT_EQ((*images)[1].layers.size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM layers"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM image_layers"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM findings"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work WHERE state='done'"), 4);
}

TEST_F(SqliteStoreTest, FailIsNotClaimedAgainUntilRequeued) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::vector<WorkItem> items = Items(2);
  ASSERT_TRUE(store->Enqueue(items).ok());
  auto a = store->Claim({"w", 60});
  auto b = store->Claim({"w", 60});
  ASSERT_TRUE(a && *a && b && *b);
  ASSERT_TRUE(store->Fail(**a, "docker://x: 404 not found").ok());
  ASSERT_TRUE(store->Complete(**b, Row("sha256:one", "v1")).ok());
  auto none = store->Claim({"w", 60});
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto failures = store->Failures();
  ASSERT_TRUE(failures);
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].first.reference, (*a)->reference);
  EXPECT_EQ((*failures)[0].second, "docker://x: 404 not found");
  // A new round: both come back, and the stored image stays.
  ASSERT_TRUE(store->Requeue(items).ok());
  failures = store->Failures();
  ASSERT_TRUE(failures);
  EXPECT_TRUE(failures->empty());
  int claimed = 0;
  for (;;) {
    auto c = store->Claim({"w", 60});
    ASSERT_TRUE(c);
    if (!*c) break;
    ++claimed;
  }
  EXPECT_EQ(claimed, 2);
  auto has = store->HasImage("sha256:one");
  ASSERT_TRUE(has);
  EXPECT_TRUE(*has);
}

TEST_F(SqliteStoreTest, RequeueLeavesLiveClaims) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::vector<WorkItem> items = Items(1);
  ASSERT_TRUE(store->Enqueue(items).ok());
  auto a = store->Claim({"w", 60});
  ASSERT_TRUE(a && *a);
  ASSERT_TRUE(store->Requeue(items).ok());
  auto b = store->Claim({"w2", 60});
  ASSERT_TRUE(b);
  EXPECT_FALSE(*b);
}

// Two processes claiming from one file at once never get the same item.
TEST_F(SqliteStoreTest, TwoProcessesNeverClaimTheSameItem) {
  constexpr int kItems = 200;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Enqueue(Items(kItems)).ok());
  }
  pid_t pids[2];
  std::string outs[2] = {dir_ + "/claims0", dir_ + "/claims1"};
  for (int p = 0; p < 2; ++p) {
    pids[p] = fork();
    ASSERT_GE(pids[p], 0);
    if (pids[p] == 0) {
      auto store = SqliteFleetStore::Open(path_);
      if (!store || !(*store)->Migrate().ok()) _exit(3);
      FILE* out = fopen(outs[p].c_str(), "w");
      if (out == nullptr) _exit(4);
      for (;;) {
        auto c = (*store)->Claim({"p" + std::to_string(p), 600});
        if (!c) _exit(5);
        if (!*c) break;
        fprintf(out, "%lld\n", static_cast<long long>((*c)->id));
        ImageRow row = Row("sha256:" + std::to_string((*c)->id), "v1");
        if (!(*store)->Complete(**c, row).ok()) _exit(6);
      }
      fclose(out);
      _exit(0);
    }
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  std::multiset<long long> ids;
  size_t per[2] = {0, 0};
  for (int p = 0; p < 2; ++p) {
    std::ifstream in(outs[p]);
    long long id;
    while (in >> id) {
      ids.insert(id);
      ++per[p];
    }
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kItems));
  EXPECT_EQ(std::set<long long>(ids.begin(), ids.end()).size(), static_cast<size_t>(kItems));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM images"), kItems);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work WHERE state='done'"), kItems);
}

}  // namespace
}  // namespace whittle::fleet
