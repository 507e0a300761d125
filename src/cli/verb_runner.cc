#include "cli/verb_runner.h"

#include <optional>

#include "util/interrupt.h"
#include "util/strings.h"
#include "waste/ci_rules.h"

namespace whittle {

std::string FormatSet::Describe() const {
  std::vector<const char*> names;
  for (OutputFormat f : kAllOutputFormats) {
    if (Has(f)) names.push_back(OutputFormatName(f));
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

namespace {

bool NeedsImage(Needs needs) {
  return needs == Needs::kImage || needs == Needs::kOpenedImage || needs == Needs::kImageOrPair ||
         needs == Needs::kImagePair || needs == Needs::kHashedScan;
}

// --format, restricted to the row's formats, and its shorthands.
void AddFormatFlags(const VerbSpec& spec, FlagSet& flags, OutputFormat* format) {
  flags.Value("--format", nullptr, [&spec, format](const std::string& value) {
    auto f = ParseOutputFormat(value);
    if (!f || !spec.formats.Has(*f)) {
      return Error(Errc::kUsage, StrFormat("%s --format takes %s", spec.name, spec.formats.Describe().c_str()));
    }
    *format = *f;
    return Status::Ok();
  });
  const struct {
    const char* flag;
    OutputFormat format;
  } kShorthands[] = {{"--json", OutputFormat::kJson}, {"--csv", OutputFormat::kCsv}, {"--tsv", OutputFormat::kTsv}};
  for (const auto& s : kShorthands) {
    if (!spec.formats.Has(s.format)) continue;
    OutputFormat f = s.format;
    flags.Action(s.flag, nullptr, [format, f] { *format = f; });
  }
}

// The options of every image verb: --platform P, --verify, -j/--jobs N.
void AddLoadFlags(FlagSet& flags, LoadOptions* load) {
  flags.String("--platform", nullptr, &load->platform);
  flags.Bool("--verify", nullptr, &load->verify);
  // docker:// only.
  flags.String("--creds", nullptr, &load->registry.creds);
  flags.String("--cert-dir", nullptr, &load->registry.cert_dir);
  flags.Value("--tls-verify", nullptr, [load](const std::string& value) {
    if (value != "true" && value != "false") {
      return Error(Errc::kUsage, "--tls-verify needs true or false, got '" + value + "'");
    }
    load->registry.tls_verify = value == "true";
    return Status::Ok();
  });
  flags.Value("--jobs", "-j", [load](const std::string& value) {
    long n = 0;
    if (!TryParseInt(value, 1, 256, &n)) {
      return Error(Errc::kUsage, "-j needs a number from 1 to 256, got '" + value + "'");
    }
    load->threads = static_cast<unsigned>(n);
    return Status::Ok();
  });
}

// The layer cache's options, on every verb that scans layers.
void AddCacheFlags(FlagSet& flags, LoadOptions* load) {
  flags.String("--cache-dir", nullptr, &load->cache_dir);
  flags.Action("--no-cache", nullptr, [load] { load->use_cache = false; });
  flags.Value("--cache-max-size", nullptr, [load](const std::string& value) {
    Result<uint64_t> bytes = ParseHumanBytes(value);
    if (!bytes) {
      return Error(Errc::kUsage, "--cache-max-size needs a size such as 500MB or 2GiB, got '" + value + "'");
    }
    load->cache_max_bytes = *bytes;
    return Status::Ok();
  });
}

Status UsageError(const std::string& message) { return Error(Errc::kUsage, message); }

// One IMAGE from |operands| (kImage, kHashedScan).
Status TakeOneImage(const char* verb, const std::vector<std::string>& operands, VerbContext* ctx) {
  if (operands.empty()) return UsageError(StrFormat("%s needs an IMAGE", verb));
  if (operands.size() > 1) {
    return UsageError(
        StrFormat("%s takes one IMAGE (got '%s' and '%s')", verb, operands[0].c_str(), operands[1].c_str()));
  }
  ctx->image_ref = operands[0];
  return Status::Ok();
}

// IMAGE -- BASE: exactly one operand on each side of "--".
Status TakeImageDashBase(const char* verb, const Operands& ops, VerbContext* ctx) {
  if (ops.before_dashes.size() != 1 || ops.after_dashes.size() != 1) {
    return UsageError(StrFormat("%s takes IMAGE -- BASE: one image on each side of '--'", verb));
  }
  ctx->image_ref = ops.before_dashes[0];
  ctx->base_ref = ops.after_dashes[0];
  return Status::Ok();
}

// Checks the operands against the row's needs and records them in |ctx|.
Status TakeOperands(const VerbSpec& spec, const Operands& ops, VerbContext* ctx) {
  switch (spec.needs) {
    case Needs::kNothing:
      if (!ops.All().empty())
        return UsageError(StrFormat("%s takes no operands (got '%s')", spec.name, ops.All()[0].c_str()));
      return Status::Ok();
    case Needs::kTargets:
      ctx->files = ops.All();
      return Status::Ok();
    case Needs::kDockerfiles:
      ctx->files = ops.All();
      if (ctx->files.empty()) return UsageError(StrFormat("%s needs a Dockerfile ('-' reads stdin)", spec.name));
      return Status::Ok();
    case Needs::kImage:
    case Needs::kOpenedImage:
    case Needs::kHashedScan:
      return TakeOneImage(spec.name, ops.All(), ctx);
    case Needs::kImageOrPair:
      if (ops.saw_dashes) return TakeImageDashBase(spec.name, ops, ctx);
      return TakeOneImage(spec.name, ops.before_dashes, ctx);
    case Needs::kImagePair:
      if (ops.saw_dashes) return TakeImageDashBase(spec.name, ops, ctx);
      if (ops.before_dashes.size() != 2) {
        return UsageError(StrFormat("%s takes OLD NEW (or NEW -- OLD)", spec.name));
      }
      ctx->base_ref = ops.before_dashes[0];
      ctx->image_ref = ops.before_dashes[1];
      return Status::Ok();
  }
  return Status::Ok();
}

// Opens and scans |reference| into |*slot| and points |*out| at it.
Status Load(const std::string& reference, const LoadOptions& load, Console& console, std::optional<LoadedImage>* slot,
            const LoadedImage** out) {
  ASSIGN_OR_RETURN(LoadedImage loaded, LoadImage(reference, load, console));
  slot->emplace(std::move(loaded));
  *out = &**slot;
  const LoadedImage& in = **slot;
  std::string what = StrFormat("%s: %s, %zu layers", reference.c_str(), in.image.format.c_str(), in.image.layers.size());
  if (in.scanned) {
    uint64_t tar = 0, blob = 0;
    for (const LayerScan& l : in.scan.layers) {
      tar += l.tar_size;
      blob += l.blob_size;
    }
    what += StrFormat(", %llu TAR and %llu BLOB bytes scanned", static_cast<unsigned long long>(tar),
                      static_cast<unsigned long long>(blob));
  }
  console.Note(what);
  return Status::Ok();
}

ExitCode Fail(Console& console, const Status& status) {
  console.Error(status);
  return ExitCodeFor(status);
}

// Declares every option of |spec| on |flags|, bound to |ctx|, |load| and
// |verb| (which must outlive |flags|).
void DeclareFlags(const VerbSpec& spec, Verb& verb, VerbContext* ctx, LoadOptions* load, FlagSet* flags) {
  if (spec.needs == Needs::kHashedScan) load->hash_contents = true;
  if (spec.needs == Needs::kOpenedImage) load->scan = false;
  flags->Info("--help", "-h", [&spec] { return VerbHelp(spec); });
  Console* console = &ctx->console;
  flags->Action("--quiet", "-q", [console] { console->set_quiet(true); });
  flags->Action("--verbose", "-v", [console] { console->set_verbose(true); });
  AddFormatFlags(spec, *flags, &ctx->format);
  // kTargets: the verb opens images itself, with these options.
  const bool loads = NeedsImage(spec.needs) || spec.needs == Needs::kTargets;
  if (loads) AddLoadFlags(*flags, load);
  if (loads && spec.needs != Needs::kOpenedImage) AddCacheFlags(*flags, load);
  verb.AddFlags(*flags, *load);
}

}  // namespace

std::string VerbHelp(const VerbSpec& spec) {
  return std::string(spec.usage) + (spec.usage_more != nullptr ? spec.usage_more() : std::string());
}

std::vector<FlagSet::Declared> VerbOptions(const VerbSpec& spec) {
  std::string out, err;
  Console console(&out, &err);
  std::unique_ptr<Verb> verb = spec.make();
  VerbContext ctx{spec, console};
  LoadOptions load;
  FlagSet flags;
  DeclareFlags(spec, *verb, &ctx, &load, &flags);
  return flags.List();
}

ExitCode RunVerb(const VerbSpec& spec, const std::vector<std::string>& args, Console& console) {
  // SIGINT/SIGTERM from here on: live temp files removed, exit 128 + n.
  InstallInterruptHandlers();
  std::unique_ptr<Verb> verb = spec.make();
  VerbContext ctx{spec, console};
  LoadOptions load;
  FlagSet flags;
  DeclareFlags(spec, *verb, &ctx, &load, &flags);

  auto parsed = flags.Parse(args);
  if (parsed && parsed->info) {
    console.Write(*parsed->info);
    return ExitCode::kOk;
  }
  Status usage = parsed ? TakeOperands(spec, parsed->operands, &ctx) : parsed.error();
  if (!usage.ok()) {
    return Fail(console, Error(Errc::kUsage, usage.message() + StrFormat(" (see 'whittle %s --help')", spec.name)));
  }
  if (Status st = verb->Prepare(ctx); !st.ok()) return Fail(console, st);
  if (spec.needs == Needs::kDockerfiles) {
    for (const std::string& f : ctx.files) console.Note(StrFormat("reading %s", f == "-" ? "stdin" : f.c_str()));
  }
  std::optional<LoadedImage> image, base;
  if (!ctx.image_ref.empty()) {
    if (Status st = Load(ctx.image_ref, load, console, &image, &ctx.image); !st.ok()) return Fail(console, st);
  }
  if (!ctx.base_ref.empty()) {
    if (Status st = Load(ctx.base_ref, load, console, &base, &ctx.base); !st.ok()) return Fail(console, st);
  }
  Result<ExitCode> result = verb->Run(ctx);
  if (!result) return Fail(console, result.error());
  return *result;
}

}  // namespace whittle
