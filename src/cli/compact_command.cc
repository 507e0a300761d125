// whittle compact: the same final filesystem without the dead bytes
// (issue 11). The logic is in src/compact/.
#include <algorithm>
#include <thread>

#include "cli/commands.h"
#include "compact/compact.h"
#include "compact/compact_report.h"
#include "util/interrupt.h"
#include "util/strings.h"

namespace whittle {

const char kCompactUsage[] =
    "usage: whittle compact [OPTION]... IMAGE -o OUT\n"
    "\n"
    "Writes a new image with the same final filesystem as IMAGE, without the\n"
    "bytes nobody can see: the base layers are copied unchanged (same digests),\n"
    "the layers above them are squashed into one that holds only what survives\n"
    "(files deleted or overwritten later are dropped; whiteouts and opaque\n"
    "markers stay only where the base still needs them). Before anything is\n"
    "written, the output's final filesystem (paths, types, modes, owners, link\n"
    "targets, xattrs, content hashes) is rebuilt from the new bytes and checked\n"
    "against the input's; if they differ, nothing is written.\n"
    "\n"
    "  -o, --output OUT    oci:DIR[:REF] or docker-archive:PATH[:NAME:TAG]; must\n"
    "                      not exist (written atomically, never over the input)\n"
    "  --base-layers N     keep the first N layers as they are (default: the\n"
    "                      layers before the final stage, found from history)\n"
    "  --keep N            write N layers above the base instead of one, split\n"
    "                      before the instructions that keep the most bytes\n"
    "  --compress C        gzip (default, ISA-L), zstd or none, for new layers\n"
    "  --format F          tty or json (--json)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  -j N                layers read and chunks compressed in parallel\n"
    "                      (default: all cores)\n";

namespace {

class CompactVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    load_ = &load;
    flags.String("--output", "-o", &options_.output);
    flags.Value("--base-layers", nullptr, [this](const std::string& v) {
      long n = 0;
      if (!TryParseInt(v, 0, 100000, &n)) return Error(Errc::kUsage, "--base-layers needs a number, got '" + v + "'");
      options_.base_layers = static_cast<int>(n);
      return Status::Ok();
    });
    flags.Value("--keep", nullptr, [this](const std::string& v) {
      long n = 0;
      if (!TryParseInt(v, 1, 1000, &n))
        return Error(Errc::kUsage, "--keep needs a number from 1 to 1000, got '" + v + "'");
      options_.keep_layers = static_cast<int>(n);
      return Status::Ok();
    });
    flags.Value("--compress", nullptr, [this](const std::string& v) {
      if (v == "gzip") {
        options_.compress.compression = Compression::kGzip;
      } else if (v == "zstd") {
        options_.compress.compression = Compression::kZstd;
      } else if (v == "none") {
        options_.compress.compression = Compression::kNone;
      } else {
        return Error(Errc::kUsage, "--compress takes gzip, zstd or none, got '" + v + "'");
      }
      return Status::Ok();
    });
  }

  Status Prepare(VerbContext&) override {
    if (options_.output.empty()) return Error(Errc::kUsage, "compact needs -o OUT (see 'whittle compact --help')");
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    options_.threads = load_->threads;
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    options_.compress.threads = load_->threads ? load_->threads : cores;
    // compact reads the image itself; the framework only opened it.
    Result<CompactResult> r = Compact(ctx.image->image, options_);
    if (!r) {
      if (int sig = InterruptSignal(); sig != 0) {
        ctx.console.Error(r.error());
        return ExitCodeForSignal(sig);
      }
      return r.error();
    }
    ctx.Write(ctx.format == OutputFormat::kJson ? FormatCompactJson(*r) : FormatCompactText(*r));
    return ExitCode::kOk;
  }

 private:
  CompactOptions options_;
  LoadOptions* load_ = nullptr;
};

}  // namespace

std::unique_ptr<Verb> NewCompactVerb() { return MakeVerb<CompactVerb>(); }

}  // namespace whittle
