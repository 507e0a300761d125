// whittle scan: a fleet of registry images into one table (issue 16). The
// store, the queue, the reference list, the per-image analysis and the
// report are in src/fleet/; this file holds the flags.
#include <sys/stat.h>

#include "cache/cache_dir.h"
#include "cli/commands.h"
#include "fleet/fleet_report.h"
#include "fleet/scan_loop.h"
#include "fleet/targets.h"
#include "util/strings.h"

namespace whittle {

const char kScanUsage[] =
    "usage: whittle scan [OPTION]... docker://REGISTRY[/REPO[:TAG]]\n"
    "       whittle scan [OPTION]... --from FILE\n"
    "       whittle scan --report [--db DB] [--format F]\n"
    "\n"
    "Scans every image of a registry (its /v2/_catalog and every tag), of one\n"
    "repository, or of a list of references, into one table: per image its digest,\n"
    "tags, size, pull size, reclaimable bytes and top findings (as explain finds\n"
    "them from the history), per layer its digest and sizes. Layers shared by\n"
    "many images are read once, through the layer cache. Workers share the\n"
    "store's queue: run several (--shard i/N) on one SQLite file or a PostgreSQL\n"
    "database; a killed worker's images are taken over when its lease ends, and\n"
    "a rerun skips every image whose digest is stored. One progress line per\n"
    "image on stderr.\n"
    "\n"
    "  --db DB             the store: an SQLite file (default whittle-fleet.sqlite\n"
    "                      in the current directory) or postgres://USER@HOST/DB\n"
    "  --from FILE         references to scan, one per line (# comments)\n"
    "  --shard i/N         only the repositories that hash to i of N (FNV-1a)\n"
    "  -j N                images in flight per registry (default 4)\n"
    "  --lease SECONDS     a claim older than this is taken as dead (default 900)\n"
    "  --worker NAME       this worker's name in the store (default HOST:PID)\n"
    "  --report            print the store's summary instead of scanning\n"
    "  -n NUM              rows per --report table (default 20, 0 = all)\n"
    "  --format F          --report: tty, csv or json (--csv, --json)\n"
    "  --platform P        os/arch[/variant] in multi-platform images\n"
    "  --creds USER:PASS   registry credentials (else the auth files)\n"
    "  --tls-verify=false  no certificate checks; plain http allowed\n"
    "  --cert-dir DIR      extra CA certificates\n"
    "  --cache-dir DIR     the layer cache (default ~/.cache/whittle); --no-cache\n"
    "Exit status: 0 every image scanned (or skipped), 1 some failed (listed),\n"
    "2 usage or store error.\n";

namespace {

constexpr const char kDefaultDb[] = "whittle-fleet.sqlite";

class ScanVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    flags.String("--db", nullptr, &db_);
    flags.String("--from", nullptr, &from_);
    flags.Value("--shard", nullptr, [this](const std::string& v) -> Status {
      ASSIGN_OR_RETURN(shard_, fleet::ParseShard(v));
      return Status::Ok();
    });
    flags.Bool("--report", nullptr, &report_);
    flags.Value("--max-rows", "-n", [this](const std::string& v) { return ParseMaxRows(v, &rows_); });
    flags.Value("--lease", nullptr, [this](const std::string& v) -> Status {
      long n = 0;
      if (!TryParseInt(v, 1, 7 * 24 * 3600, &n)) {
        return Error(Errc::kUsage, "--lease needs seconds from 1 to 604800, got '" + v + "'");
      }
      lease_ = static_cast<int>(n);
      return Status::Ok();
    });
    flags.String("--worker", nullptr, &worker_);
    load_ = &load;
  }

  Status Prepare(VerbContext& ctx) override {
    if (report_) {
      if (!ctx.files.empty() || !from_.empty()) {
        return Error(Errc::kUsage, "scan --report takes no docker:// target or --from (see 'whittle scan --help')");
      }
      return Status::Ok();
    }
    if (ctx.format != OutputFormat::kTty) {
      return Error(Errc::kUsage, "scan --format applies to --report only (see 'whittle scan --help')");
    }
    if (ctx.files.empty() && from_.empty()) {
      return Error(Errc::kUsage, "scan needs docker://REGISTRY[/REPO] or --from FILE (see 'whittle scan --help')");
    }
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    if (report_) return Report(ctx);
    std::vector<fleet::WorkItem> items;
    if (!from_.empty()) {
      ASSIGN_OR_RETURN(items, fleet::ReadTargetFile(from_));
    }
    for (const std::string& target : ctx.files) {
      ASSIGN_OR_RETURN(std::vector<fleet::WorkItem> listed, fleet::ListTargets(target, load_->registry));
      items.insert(items.end(), listed.begin(), listed.end());
    }
    const size_t listed = items.size();
    items = fleet::InShard(items, shard_);
    if (!ctx.console.quiet()) {
      ctx.console.WriteError(
          shard_.count > 1
              ? StrFormat("whittle: scan: %zu references, %zu in shard %u/%u\n", listed, items.size(), shard_.index,
                          shard_.count)
              : StrFormat("whittle: scan: %zu references\n", listed));
    }
    fleet::ScanLoopOptions options;
    options.db = db_;
    options.items = std::move(items);
    options.jobs = load_->threads > 0 ? load_->threads : 4;
    options.lease_seconds = lease_;
    options.worker = worker_;
    options.registry = load_->registry;
    options.platform = load_->platform;
    if (load_->use_cache) {
      options.cache_dir = load_->cache_dir.empty() ? DefaultCacheDirFromEnvironment() : load_->cache_dir;
      options.cache_max_bytes = load_->cache_max_bytes;
    }
    Console& console = ctx.console;
    options.progress = [&console](const std::string& line) {
      if (!console.quiet()) console.WriteError("whittle: scan: " + line + "\n");
    };
    ASSIGN_OR_RETURN(fleet::ScanLoopResult result, fleet::RunScanLoop(options));
    if (!console.quiet()) {
      console.WriteError(StrFormat("whittle: scan: %zu scanned, %zu skipped, %zu failed; %zu layers, %zu read, "
                                   "%zu from the cache\n",
                                   result.scanned, result.skipped, result.failed, result.layers,
                                   result.layers - result.layers_cached, result.layers_cached));
    }
    for (const auto& [reference, error] : result.failures) {
      console.Error(StrFormat("scan: failed: %s: %s", reference.c_str(), error.c_str()));
    }
    return result.failures.empty() ? ExitCode::kOk : ExitCode::kCheckFailed;
  }

 private:
  Result<ExitCode> Report(VerbContext& ctx) {
    const bool postgres = StartsWith(db_, "postgres://") || StartsWith(db_, "postgresql://");
    struct stat st;
    if (!postgres && stat(db_.c_str(), &st) != 0) {
      return Error(Errc::kIo, StrFormat("%s: no fleet store here (run whittle scan first, or name it with --db)",
                                        db_.c_str()));
    }
    ASSIGN_OR_RETURN(std::unique_ptr<fleet::FleetStore> store, fleet::OpenFleetStore(db_));
    RETURN_IF_ERROR(store->Migrate());
    ASSIGN_OR_RETURN(std::vector<fleet::ImageRow> images, store->Images());
    fleet::FleetReport report = fleet::BuildFleetReport(images);
    switch (ctx.format) {
      case OutputFormat::kCsv: ctx.Write(fleet::FormatFleetReportCsv(report)); break;
      case OutputFormat::kJson: ctx.Write(fleet::FormatFleetReportJson(report)); break;
      default: ctx.Write(fleet::FormatFleetReportText(report, rows_)); break;
    }
    return ExitCode::kOk;
  }

  std::string db_ = kDefaultDb;
  std::string from_;
  fleet::Shard shard_;
  bool report_ = false;
  size_t rows_ = 20;
  int lease_ = 900;
  std::string worker_;
  LoadOptions* load_ = nullptr;
};

}  // namespace

std::unique_ptr<Verb> NewScanVerb() { return MakeVerb<ScanVerb>(); }

}  // namespace whittle
