// The PostgreSQL store against a real server: Debian's postgresql, started
// by tests/support/pg_fixture.sh (the CTest fixture whittle_pg) and found
// through WHITTLE_PG_DIR/url, or WHITTLE_PG_URL to run against another
// server by hand. Without either, or without a server, every test fails.
// Each test works in a database of its own, created afresh.
#include "fleet/pg_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fleet/pq_library.h"

namespace whittle::fleet {
namespace {

std::string ServerUrl() {
  if (const char* url = std::getenv("WHITTLE_PG_URL"); url != nullptr && *url != '\0') return url;
  const char* dir = std::getenv("WHITTLE_PG_DIR");
  if (dir == nullptr) return "";
  std::ifstream in(std::string(dir) + "/url");
  std::string url;
  std::getline(in, url);
  return url;
}

// The test's own connection, for what the store does not offer: creating
// databases, reading tables, planting a newer schema version.
class Admin {
 public:
  explicit Admin(const std::string& url) {
    Result<const PqLibrary*> pq = LoadPq();
    if (!pq.has_value()) {
      error_ = pq.error().message();
      return;
    }
    pq_ = *pq;
    const char* keywords[] = {"dbname", nullptr};
    const char* values[] = {url.c_str(), nullptr};
    conn_ = pq_->connectdb_params(keywords, values, 1);
    if (pq_->status(conn_) != CONNECTION_OK) error_ = pq_->error_message(conn_);
    pq_->set_notice_processor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~Admin() {
    if (conn_ != nullptr) pq_->finish(conn_);
  }
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  const std::string& error() const { return error_; }

  /// The rows of |sql|, each a list of columns; ADD_FAILUREs on an error.
  std::vector<std::vector<std::string>> Query(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<std::vector<std::string>> rows;
    if (!error_.empty()) {
      ADD_FAILURE() << "no admin connection: " << error_;
      return rows;
    }
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    PGresult* res = pq_->exec_params(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                     nullptr, nullptr, 0);
    ExecStatusType st = pq_->result_status(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      ADD_FAILURE() << sql << ": " << pq_->error_message(conn_);
    } else {
      for (int r = 0; r < pq_->ntuples(res); ++r) {
        std::vector<std::string> row;
        for (int c = 0; c < pq_->nfields(res); ++c) row.push_back(pq_->getvalue(res, r, c));
        rows.push_back(std::move(row));
      }
    }
    pq_->clear(res);
    return rows;
  }
  std::string One(const std::string& sql, const std::vector<std::string>& params = {}) {
    auto rows = Query(sql, params);
    return rows.size() == 1 && rows[0].size() == 1 ? rows[0][0] : "<" + std::to_string(rows.size()) + " rows>";
  }

 private:
  const PqLibrary* pq_ = nullptr;
  PGconn* conn_ = nullptr;
  std::string error_;
};

std::string WithDatabase(const std::string& url, const std::string& db) {
  return url.substr(0, url.rfind('/') + 1) + db;
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ServerUrl();
    ASSERT_FALSE(server_.empty()) << "no server: set WHITTLE_PG_DIR (the whittle_pg CTest fixture) or WHITTLE_PG_URL";
    // A database per test, named after it.
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = "t_";
    for (char c : std::string(info->name())) db_ += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Admin admin(server_);
    ASSERT_EQ(admin.error(), "");
    admin.Query("DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)");
    admin.Query("CREATE DATABASE " + db_);
    url_ = WithDatabase(server_, db_);
  }

  std::unique_ptr<FleetStore> Open() {
    Result<std::unique_ptr<FleetStore>> store = OpenPgFleetStore(url_);
    EXPECT_TRUE(store.has_value()) << store.error().message();
    if (!store.has_value()) return nullptr;
    return std::move(*store);
  }
  std::unique_ptr<FleetStore> OpenMigrated() {
    auto store = Open();
    if (store != nullptr) {
      Status st = store->Migrate();
      EXPECT_TRUE(st.ok()) << st.message();
    }
    return store;
  }

  std::string server_, db_, url_;
};

WorkItem Item(const std::string& reference) { return WorkItem{0, reference, reference.substr(0, reference.find(':'))}; }

LayerRow Layer(const std::string& name, uint64_t size) {
  return LayerRow{"sha256:layer-" + name, "sha256:diff-" + name, size, size / 2, size / 100};
}

ImageRow Image(const std::string& digest, std::vector<std::string> tags, std::vector<LayerRow> layers) {
  ImageRow row;
  row.repository = "registry.test/app";
  row.digest = digest;
  row.tags = std::move(tags);
  for (const LayerRow& l : layers) row.size += l.size;
  row.pull_size = row.size / 2 + 1000;
  row.reclaimable = row.size / 10;
  row.layers = std::move(layers);
  return row;
}

std::vector<std::string> References(int n) {
  std::vector<std::string> refs;
  for (int i = 0; i < n; ++i) refs.push_back("registry.test/repo" + std::to_string(i % 7) + ":t" + std::to_string(i));
  return refs;
}

Status EnqueueAll(FleetStore& store, const std::vector<std::string>& refs) {
  std::vector<WorkItem> items;
  for (const std::string& r : refs) items.push_back(Item(r));
  return store.Enqueue(items);
}

// Forks a child that runs |fn| and exits 0 if it returns true, 1 otherwise.
// The child never returns into gtest.
template <typename Fn>
pid_t Fork(Fn fn) {
  pid_t pid = fork();
  if (pid == 0) _exit(fn() ? 0 : 1);
  return pid;
}

int ExitCodeOf(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(PgStoreTest, MigrateTwiceKeepsOneVersion) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Migrate().ok());
  ASSERT_TRUE(EnqueueAll(*store, {"registry.test/a:1"}).ok());
  Status again = store->Migrate();
  ASSERT_TRUE(again.ok()) << again.message();
  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT string_agg(version::text, ',') FROM schema_version"), std::to_string(kPgSchemaVersion));
  EXPECT_EQ(admin.One("SELECT count(*) FROM work"), "1");  // the second Migrate() changed nothing
  EXPECT_EQ(admin.One("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "6");
}

// Four workers starting at once on an empty database: every Migrate()
// succeeds and the schema is created once.
TEST_F(PgStoreTest, MigrateFromFourProcessesAtOnce) {
  int gate[2];
  ASSERT_EQ(pipe(gate), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    children.push_back(Fork([&] {
      close(gate[1]);
      Result<std::unique_ptr<FleetStore>> store = OpenPgFleetStore(url_);
      if (!store.has_value()) return false;
      char c;
      (void)!read(gate[0], &c, 1);  // returns 0 when the parent closes the gate: all start together
      Status st = (*store)->Migrate();
      if (!st.ok()) fprintf(stderr, "child: %s\n", st.message().c_str());
      return st.ok();
    }));
  }
  close(gate[0]);
  close(gate[1]);
  for (pid_t pid : children) EXPECT_EQ(ExitCodeOf(pid), 0);
  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT string_agg(version::text, ',') FROM schema_version"), std::to_string(kPgSchemaVersion));
}

TEST_F(PgStoreTest, NewerSchemaIsRefused) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  Admin admin(url_);
  admin.Query("INSERT INTO schema_version (version) VALUES ($1)", {std::to_string(kPgSchemaVersion + 1)});
  Status st = store->Migrate();
  EXPECT_EQ(st.code(), Errc::kUnsupported) << st.message();
  EXPECT_NE(st.message().find("version " + std::to_string(kPgSchemaVersion + 1)), std::string::npos) << st.message();
  EXPECT_EQ(admin.One("SELECT count(*) FROM schema_version"), std::to_string(kPgSchemaVersion + 1));
}

TEST_F(PgStoreTest, EnqueueIsIdempotentAndKeepsListOrder) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, {"r.test/a:1", "r.test/b:1", "r.test/c:1"}).ok());
  // Claim and complete a: enqueueing it again must not make it pending.
  auto a = store->Claim({"w", 900});
  ASSERT_TRUE(a.has_value() && a->has_value());
  EXPECT_EQ((*a)->reference, "r.test/a:1");
  EXPECT_EQ((*a)->repository, "r.test/a");
  ASSERT_TRUE(store->Complete(**a, Image("sha256:a", {"1"}, {Layer("x", 100)})).ok());
  Status st = EnqueueAll(*store, {"r.test/d:1", "r.test/c:1", "r.test/a:1", "r.test/b:1", "r.test/d:1"});
  ASSERT_TRUE(st.ok()) << st.message();
  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT count(*) FROM work"), "4");
  std::vector<std::string> order;
  for (;;) {
    auto item = store->Claim({"w", 900});
    ASSERT_TRUE(item.has_value()) << item.error().message();
    if (!item->has_value()) break;
    order.push_back((*item)->reference);
    ASSERT_TRUE(store->Fail(**item, "skipped").ok());
  }
  EXPECT_EQ(order, (std::vector<std::string>{"r.test/b:1", "r.test/c:1", "r.test/d:1"}));
}

TEST_F(PgStoreTest, ClaimUntilEmptyThenNothing) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, References(5)).ok());
  std::set<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto item = store->Claim({"solo", 900});
    ASSERT_TRUE(item.has_value() && item->has_value());
    // A second claim while one is open is a caller bug, said so.
    auto twice = store->Claim({"solo", 900});
    ASSERT_FALSE(twice.has_value());
    EXPECT_EQ(twice.error().code(), Errc::kInternal);
    ids.insert((*item)->id);
    Status st = store->Complete(**item, Image("sha256:img" + std::to_string(i), {"t"}, {Layer("base", 1000)}));
    ASSERT_TRUE(st.ok()) << st.message();
  }
  EXPECT_EQ(ids.size(), 5u);
  auto none = store->Claim({"solo", 900});
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT string_agg(DISTINCT state || '/' || worker, ',') FROM work"), "done/solo");
}

// Four processes, each with its own connection, drain 120 items storing
// images that share layers: every item is claimed exactly once.
TEST_F(PgStoreTest, WorkersNeverShareAnItem) {
  {
    auto store = OpenMigrated();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(EnqueueAll(*store, References(120)).ok());
  }
  constexpr int kWorkers = 4;
  std::vector<pid_t> children;
  std::vector<int> outputs;
  for (int w = 0; w < kWorkers; ++w) {
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    children.push_back(Fork([&, w] {
      close(out[0]);
      Result<std::unique_ptr<FleetStore>> store = OpenPgFleetStore(url_);
      if (!store.has_value()) return false;
      for (;;) {
        auto item = (*store)->Claim({"worker" + std::to_string(w), 900});
        if (!item.has_value()) return false;
        if (!item->has_value()) return true;
        const WorkItem& it = **item;
        // Every image has the same base and one of three middle layers,
        // listed in different orders: shared rows, written concurrently.
        int n = static_cast<int>(it.id);
        std::vector<LayerRow> layers = {Layer("base", 5000), Layer("mid" + std::to_string(n % 3), 700),
                                        Layer("own" + std::to_string(n), 10)};
        if (n % 2) std::swap(layers[0], layers[1]);
        Status st = (*store)->Complete(it, Image("sha256:image" + std::to_string(n), {it.reference}, layers));
        if (!st.ok()) {
          fprintf(stderr, "worker %d: %s\n", w, st.message().c_str());
          return false;
        }
        std::string line = std::to_string(it.id) + "\n";
        if (write(out[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) return false;
      }
    }));
    close(out[1]);
    outputs.push_back(out[0]);
  }
  std::map<int64_t, int> claimed;
  for (int fd : outputs) {
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    close(fd);
    for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
      ++claimed[std::stoll(text.substr(at, nl - at))];
    }
  }
  for (pid_t pid : children) EXPECT_EQ(ExitCodeOf(pid), 0);
  EXPECT_EQ(claimed.size(), 120u);
  for (const auto& [id, times] : claimed) EXPECT_EQ(times, 1) << "item " << id;
  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT count(*) FROM work WHERE state = 'done'"), "120");
  EXPECT_EQ(admin.One("SELECT count(*) FROM images"), "120");
  EXPECT_EQ(admin.One("SELECT count(*) FROM layers"), std::to_string(1 + 3 + 120));
  EXPECT_EQ(admin.One("SELECT count(*) FROM image_layers WHERE layer_digest = 'sha256:layer-base'"), "120");
}

// A worker SIGKILLed while it holds a claim: its connection drops, the
// server rolls its transaction back, and the item is claimable by another
// connection as soon as that backend is gone (no lease to wait out).
TEST_F(PgStoreTest, KilledWorkersItemIsClaimableAtOnce) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, {"r.test/held:1", "r.test/other:1"}).ok());
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t child = Fork([&] {
    close(out[0]);
    Result<std::unique_ptr<FleetStore>> mine = OpenPgFleetStore(url_);
    if (!mine.has_value()) return false;
    auto item = (*mine)->Claim({"doomed", 900});
    if (!item.has_value() || !item->has_value()) return false;
    std::string ref = (*item)->reference + "\n";
    (void)!write(out[1], ref.data(), ref.size());
    for (;;) pause();  // holding the claim until killed
  });
  close(out[1]);
  std::string held;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') held += c;
  close(out[0]);
  ASSERT_EQ(held, "r.test/held:1");

  // While the worker lives, its item is skipped.
  auto other = store->Claim({"survivor", 900});
  ASSERT_TRUE(other.has_value() && other->has_value());
  EXPECT_EQ((*other)->reference, "r.test/other:1");
  ASSERT_TRUE(store->Complete(**other, Image("sha256:other", {"1"}, {Layer("a", 10)})).ok());
  auto none = store->Claim({"survivor", 900});
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value()) << (*none)->reference;

  ASSERT_EQ(kill(child, SIGKILL), 0);
  EXPECT_EQ(ExitCodeOf(child), 128 + SIGKILL);
  // The server notices the closed socket when its backend next runs; wait
  // for that backend to be gone (ctest's timeout bounds the wait).
  Admin admin(url_);
  int polls = 0;
  while (admin.One("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'whittle scan doomed'") != "0") {
    ++polls;
    usleep(2000);
  }
  auto again = store->Claim({"survivor", 900});
  ASSERT_TRUE(again.has_value()) << again.error().message();
  ASSERT_TRUE(again->has_value()) << "the killed worker's item is still held (" << polls << " polls)";
  EXPECT_EQ((*again)->reference, "r.test/held:1");
  ASSERT_TRUE(store->Complete(**again, Image("sha256:held", {"1"}, {Layer("a", 10)})).ok());
  EXPECT_EQ(admin.One("SELECT string_agg(reference || '=' || state || '/' || worker, ',' ORDER BY id) FROM work"),
            "r.test/held:1=done/survivor,r.test/other:1=done/survivor");
}

TEST_F(PgStoreTest, CompleteMergesTagsSharesLayersAndReplacesTheRest) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, {"r.test/app:v1", "r.test/app:b", "r.test/app:latest"}).ok());
  auto complete = [&](const ImageRow& row) {
    auto item = store->Claim({"w", 900});
    ASSERT_TRUE(item.has_value() && item->has_value());
    Status st = store->Complete(**item, row);
    ASSERT_TRUE(st.ok()) << st.message();
  };
  ImageRow a = Image("sha256:bbbb", {"v1"}, {Layer("base", 9000), Layer("a1", 300)});
  a.findings = {{"toolchain", "multi-stage", "gcc in the final stage", 4000}, {"caches", "clean", "apt lists", 50}};
  complete(a);
  complete(Image("sha256:aaaa", {"b"}, {Layer("base", 9000), Layer("b1", 20)}));
  EXPECT_TRUE(*store->HasImage("sha256:bbbb"));
  EXPECT_FALSE(*store->HasImage("sha256:cccc"));
  // The same digest under another tag: tags merge (sorted, no repeats), the
  // sizes, layers and findings are the new scan's.
  ImageRow a2 = Image("sha256:bbbb", {"latest", "v1"}, {Layer("base", 9000), Layer("a1", 300), Layer("a2", 5)});
  a2.findings = {{"caches", "clean", "apt lists", 60}};
  complete(a2);

  Result<std::vector<ImageRow>> images = store->Images();
  ASSERT_TRUE(images.has_value()) << images.error().message();
  ASSERT_EQ(images->size(), 2u);
  const ImageRow& first = (*images)[0];
  const ImageRow& second = (*images)[1];
  EXPECT_EQ(first.digest, "sha256:aaaa");  // by digest, not by insertion
  EXPECT_EQ(first.tags, (std::vector<std::string>{"b"}));
  EXPECT_EQ(second.digest, "sha256:bbbb");
  EXPECT_EQ(second.repository, "registry.test/app");
  EXPECT_EQ(second.tags, (std::vector<std::string>{"latest", "v1"}));
  EXPECT_EQ(second.size, 9305u);
  EXPECT_EQ(second.pull_size, a2.pull_size);
  EXPECT_EQ(second.reclaimable, a2.reclaimable);
  ASSERT_EQ(second.layers.size(), 3u);  // bottom first
  EXPECT_EQ(second.layers[0].digest, "sha256:layer-base");
  EXPECT_EQ(second.layers[0].diff_id, "sha256:diff-base");
  EXPECT_EQ(second.layers[0].size, 9000u);
  EXPECT_EQ(second.layers[0].pull_size, 4500u);
  EXPECT_EQ(second.layers[0].files, 90u);
  EXPECT_EQ(second.layers[2].digest, "sha256:layer-a2");
  ASSERT_EQ(second.findings.size(), 1u);
  EXPECT_EQ(second.findings[0].bytes, 60u);
  ASSERT_EQ(first.layers.size(), 2u);
  EXPECT_EQ(first.layers[0].digest, "sha256:layer-base");

  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT count(*) FROM layers"), "4");  // base once, shared
  EXPECT_EQ(admin.One("SELECT count(*) FROM image_layers WHERE layer_digest = 'sha256:layer-base'"), "2");
}

TEST_F(PgStoreTest, FindingsKeepTheirOrder) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, {"r.test/app:1"}).ok());
  ImageRow row = Image("sha256:f", {"1"}, {Layer("x", 10)});
  row.findings = {{"z-last-alphabetically", "l", "big", 900}, {"a", "l", "small \"quoted\" \\ and ünïcode", 3}};
  auto item = store->Claim({"w", 900});
  ASSERT_TRUE(item.has_value() && item->has_value());
  ASSERT_TRUE(store->Complete(**item, row).ok());
  auto images = store->Images();
  ASSERT_TRUE(images.has_value());
  ASSERT_EQ(images->size(), 1u);
  ASSERT_EQ((*images)[0].findings.size(), 2u);
  EXPECT_EQ((*images)[0].findings[0].id, "z-last-alphabetically");
  EXPECT_EQ((*images)[0].findings[1].message, "small \"quoted\" \\ and ünïcode");
  EXPECT_EQ((*images)[0].findings[1].bytes, 3u);
}

TEST_F(PgStoreTest, FailRecordsOneLineAndIsNotClaimedAgain) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, {"r.test/a:1", "r.test/b:1"}).ok());
  auto a = store->Claim({"w", 900});
  ASSERT_TRUE(a.has_value() && a->has_value());
  ASSERT_TRUE(store->Fail(**a, "manifest unknown\nsecond line").ok());
  // A long, non-ASCII worker name is recorded whole (application_name, which
  // the server truncates to 63 bytes, only shows it).
  std::string long_name;
  for (int i = 0; i < 100; ++i) long_name += "é";
  auto b = store->Claim({long_name, 900});
  ASSERT_TRUE(b.has_value()) << b.error().message();
  ASSERT_TRUE(b.has_value() && b->has_value());
  EXPECT_EQ((*b)->reference, "r.test/b:1");
  ASSERT_TRUE(store->Complete(**b, Image("sha256:b", {"1"}, {Layer("x", 10)})).ok());
  auto none = store->Claim({"w", 900});
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  auto failures = store->Failures();
  ASSERT_TRUE(failures.has_value()) << failures.error().message();
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].first.reference, "r.test/a:1");
  EXPECT_EQ((*failures)[0].first.repository, "r.test/a");
  EXPECT_EQ((*failures)[0].first.id, (*a)->id);
  EXPECT_EQ((*failures)[0].second, "manifest unknown second line");
  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT worker FROM work WHERE reference = 'r.test/b:1'"), long_name);
}

// A Complete() the server rejects (jsonb refuses a NUL character) keeps the
// claim: nobody else can take the item, and Fail() still records it.
TEST_F(PgStoreTest, RejectedCompleteKeepsTheClaim) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, {"r.test/a:1"}).ok());
  auto a = store->Claim({"w", 900});
  ASSERT_TRUE(a.has_value() && a->has_value());
  ImageRow row = Image("sha256:a", {"1"}, {Layer("x", 10)});
  row.findings = {{"id", "lever", std::string("nul \0 inside", 12), 1}};
  Status st = store->Complete(**a, row);
  EXPECT_EQ(st.code(), Errc::kIo) << st.message();
  auto rival = OpenPgFleetStore(url_);
  ASSERT_TRUE(rival.has_value());
  auto none = (*rival)->Claim({"rival", 900});
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(store->Fail(**a, st.message()).ok());
  EXPECT_FALSE(*store->HasImage("sha256:a"));  // nothing of the rejected image stays
  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT state FROM work"), "failed");
  EXPECT_EQ(admin.One("SELECT count(*) FROM layers"), "0");
}

// The server ends the connection of a worker holding a claim (a restart, an
// administrator): Complete() fails with the server's reason, the item is
// pending again for others, and this store says it lost the connection
// instead of believing it still holds a claim.
TEST_F(PgStoreTest, LostConnectionEndsTheClaim) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, {"r.test/a:1"}).ok());
  auto a = store->Claim({"victim", 900});
  ASSERT_TRUE(a.has_value() && a->has_value());
  Admin admin(url_);
  EXPECT_EQ(admin.One("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                      " WHERE application_name = 'whittle scan victim'"),
            "1");
  Status st = store->Complete(**a, Image("sha256:a", {"1"}, {Layer("x", 10)}));
  EXPECT_EQ(st.code(), Errc::kIo) << st.message();
  EXPECT_NE(st.message().find("terminat"), std::string::npos) << st.message();
  auto again = store->Claim({"victim", 900});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), Errc::kIo) << again.error().message();
  auto rival = OpenPgFleetStore(url_);
  ASSERT_TRUE(rival.has_value());
  auto taken = (*rival)->Claim({"rival", 900});
  ASSERT_TRUE(taken.has_value() && taken->has_value());
  EXPECT_EQ((*taken)->reference, "r.test/a:1");
}

TEST_F(PgStoreTest, TooLargeSizeIsRefused) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(EnqueueAll(*store, {"r.test/a:1"}).ok());
  auto a = store->Claim({"w", 900});
  ASSERT_TRUE(a.has_value() && a->has_value());
  ImageRow row = Image("sha256:a", {"1"}, {Layer("x", 10)});
  row.layers[0].size = uint64_t{1} << 63;
  EXPECT_EQ(store->Complete(**a, row).code(), Errc::kTooLarge);
}

TEST_F(PgStoreTest, WrongPasswordErrorHidesThePassword) {
  // postgres://whittle:GOOD@host:port/db -> a wrong password of our own.
  const std::string secret = "Wr0ng-s3cret%2Fslash";  // percent-encoded '/': decoded it reads Wr0ng-s3cret/slash
  size_t colon = url_.find(':', url_.find("://") + 3);
  size_t at = url_.find('@');
  ASSERT_NE(colon, std::string::npos);
  ASSERT_NE(at, std::string::npos);
  const std::string wrong = url_.substr(0, colon + 1) + secret + url_.substr(at);
  Result<std::unique_ptr<FleetStore>> store = OpenPgFleetStore(wrong);
  ASSERT_FALSE(store.has_value());
  const std::string& msg = store.error().message();
  EXPECT_EQ(store.error().code(), Errc::kIo);
  EXPECT_NE(msg.find("password authentication failed"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("Wr0ng-s3cret"), std::string::npos) << msg;
  EXPECT_NE(msg.find("postgres://whittle:***@127.0.0.1:"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;

  // libpq quotes the whole URI in some parse errors: a bad port here.
  Result<std::unique_ptr<FleetStore>> bad = OpenPgFleetStore("postgresql://whittle:Sup3rSecret@127.0.0.1:port/db");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message().find("Sup3rSecret"), std::string::npos) << bad.error().message();
  Result<std::unique_ptr<FleetStore>> query =
      OpenPgFleetStore(WithDatabase(server_, db_) + "?password=Qu3ryS3cret&sslmode=bogus");
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().message().find("Qu3ryS3cret"), std::string::npos) << query.error().message();
}

TEST_F(PgStoreTest, NoServerIsAnIoError) {
  // The fixture's port is taken by the server; port 1 is refused.
  Result<std::unique_ptr<FleetStore>> store = OpenPgFleetStore("postgres://whittle:pw@127.0.0.1:1/db");
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code(), Errc::kIo);
  EXPECT_NE(store.error().message().find("Connection refused"), std::string::npos) << store.error().message();
}

TEST(RedactPassword, HidesEveryFormOfThePassword) {
  EXPECT_EQ(RedactPassword("postgres://u:p%40ss@h/db", "postgres://u:p%40ss@h/db: p@ss"), "postgres://u:***@h/db: ***");
  EXPECT_EQ(RedactPassword("postgres://u@h/db?password=xyz&a=b", "x=xyz"), "x=***");
  EXPECT_EQ(RedactPassword("postgres://u@h/db", "nothing to hide"), "nothing to hide");
  EXPECT_EQ(RedactPassword("postgres://h/db", "h"), "h");
}

}  // namespace
}  // namespace whittle::fleet
