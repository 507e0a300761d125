// A verb is one row of the table in cli/commands.cc (ninja's Tool table):
//
//   {name, summary, usage, needs, formats, make[, usage_more]}
//
// The framework (cli/verb_runner.cc) does, once, what every verb used to
// repeat: --help, the --format choice restricted to |formats|, the shared
// image options (--platform, --verify, -j), the operands |needs| asks for,
// opening and scanning the image(s), printing errors and mapping them to an
// exit code. A verb's file (cli/<verb>_command.cc) declares only its own
// flags and calls its logic, which lives in the modules below cli/.
#ifndef WHITTLE_CLI_VERB_H_
#define WHITTLE_CLI_VERB_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "cli/common.h"
#include "cli/console.h"
#include "cli/flags.h"
#include "cli/image_loader.h"
#include "util/status.h"

namespace whittle {

/// What a verb works on; the framework checks the operands and prepares it.
enum class Needs {
  kNothing,      // no operands
  kImage,        // IMAGE, opened and scanned
  kOpenedImage,  // IMAGE, opened only (the verb reads the layers itself)
  kImageOrPair,  // IMAGE [-- BASE]: with a BASE, both (profile's diff mode)
  kImagePair,    // OLD NEW, or NEW -- OLD: both opened and scanned
  kHashedScan,   // IMAGE, scanned with every file's content hashed
  kDockerfiles,  // FILE... ('-' = stdin; after "--" a name may start with '-')
  kTargets,      // zero or more registry targets, checked by the verb; nothing opened,
                 // but the image loading and layer cache options are declared
};

/// The --format values a verb accepts; tty is the default.
class FormatSet {
 public:
  constexpr FormatSet(std::initializer_list<OutputFormat> formats) {
    for (OutputFormat f : formats) bits_ |= Bit(f);
  }
  constexpr bool Has(OutputFormat f) const { return (bits_ & Bit(f)) != 0; }
  /// "tty, json or csv" (in OutputFormat order), for messages.
  std::string Describe() const;

 private:
  static constexpr uint32_t Bit(OutputFormat f) { return 1u << static_cast<unsigned>(f); }
  uint32_t bits_ = 0;
};

struct VerbSpec;

/// Everything the framework prepared for one run of a verb.
struct VerbContext {
  const VerbSpec& spec;
  Console& console;
  OutputFormat format = OutputFormat::kTty;
  /// kNothing: empty. kDockerfiles: the files, in order. kTargets: the
  /// operands, in order.
  std::vector<std::string> files;
  /// The IMAGE as typed (NEW for a pair); "" when |needs| has none.
  std::string image_ref;
  /// The base image of a pair as typed; "" when there is none.
  std::string base_ref;
  /// Opened and scanned before Run(); null before, and when not needed.
  const LoadedImage* image = nullptr;
  const LoadedImage* base = nullptr;

  void Write(std::string_view bytes) { console.Write(bytes); }
};

/// One verb's own options and logic. The framework makes a fresh one per
/// run: AddFlags(), parse, Prepare(), load what |needs| asks, Run().
class Verb {
 public:
  virtual ~Verb() = default;
  /// Declares the verb's own options, bound to its members. |load| holds
  /// the image loading options, which a verb may preset or bind a flag to
  /// (ci always verifies; waste --hash hashes contents).
  virtual void AddFlags(FlagSet& flags, LoadOptions& load) {
    (void)flags;
    (void)load;
  }
  /// After the command line is parsed, before any image is opened: checks
  /// and work that need no image (configuration files fail first).
  virtual Status Prepare(VerbContext& ctx) {
    (void)ctx;
    return Status::Ok();
  }
  /// The work. Returns kOk, or kCheckFailed when a check failed (ci rules,
  /// lint findings); an error Status is printed and mapped by ExitCodeFor.
  virtual Result<ExitCode> Run(VerbContext& ctx) = 0;
};

template <typename T>
std::unique_ptr<Verb> MakeVerb() {
  return std::make_unique<T>();
}

struct VerbSpec {
  const char* name;
  const char* summary;  // one line for `whittle --help`
  const char* usage;    // `whittle VERB --help`
  Needs needs;
  FormatSet formats;
  std::unique_ptr<Verb> (*make)();
  /// Optional: text computed at run time, printed after |usage| by --help
  /// (fix's list of rewrites); null for most verbs.
  std::string (*usage_more)() = nullptr;
};

}  // namespace whittle

#endif  // WHITTLE_CLI_VERB_H_
