// The real verb table, run in-process on a capturing Console: every row is
// complete, --help and unknown options behave the same for every verb, and
// the first word picks a verb, an image, or a "did you mean".
#include "cli/run.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <curl/curl.h>
#include <sqlite3.h>
#include <zlib.h>
#include <zstd.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/version_text.h"
#include "util/strings.h"
#include "util/version.h"

namespace whittle {
namespace {

using V = std::vector<std::string>;
const std::string kDive = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/test-docker-image.tar";

struct Outcome {
  ExitCode code;
  std::string out, err;
};

Outcome RunLine(const V& args) {
  Outcome r;
  Console console(&r.out, &r.err);
  r.code = RunCommandLine(args, console);
  return r;
}

size_t Lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(VerbTable, EveryRowIsComplete) {
  ASSERT_FALSE(Commands().empty());
  for (const VerbSpec& v : Commands()) {
    EXPECT_EQ(std::string(v.usage).rfind(std::string("usage: whittle ") + v.name + " ", 0), 0u) << v.name;
    EXPECT_NE(std::string(v.summary), "") << v.name;
    EXPECT_TRUE(v.formats.Has(OutputFormat::kTty)) << v.name;  // the default
    EXPECT_NE(v.make(), nullptr) << v.name;
    EXPECT_EQ(FindCommand(v.name), &v);
  }
}

TEST(VerbTable, HelpPrintsTheUsageAndExitsZero) {
  for (const VerbSpec& v : Commands()) {
    for (const char* help : {"--help", "-h"}) {
      Outcome r = RunLine({v.name, help});
      EXPECT_EQ(r.code, ExitCode::kOk) << v.name;
      std::string want = std::string(v.usage) + (v.usage_more != nullptr ? v.usage_more() : std::string());
      EXPECT_EQ(r.out, want) << v.name;
      EXPECT_EQ(r.err, "") << v.name;
    }
  }
}

TEST(VerbTable, UnknownOptionIsOneLineExitTwo) {
  for (const VerbSpec& v : Commands()) {
    Outcome r = RunLine({v.name, "--no-such-option", kDive});
    EXPECT_EQ(r.code, ExitCode::kError) << v.name;
    EXPECT_EQ(r.out, "") << v.name;
    EXPECT_EQ(r.err, "whittle: unknown option '--no-such-option' (see 'whittle " + std::string(v.name) + " --help')\n");
  }
}

TEST(VerbTable, FormatOutsideTheRowIsAUsageError) {
  for (const VerbSpec& v : Commands()) {
    for (const char* f : {"tty", "json", "csv", "tsv", "sarif", "junit", "checkstyle"}) {
      if (v.formats.Has(*ParseOutputFormat(f))) continue;
      Outcome r = RunLine({v.name, "--format", f, kDive});
      EXPECT_EQ(r.code, ExitCode::kError) << v.name << " " << f;
      EXPECT_EQ(Lines(r.err), 1u) << r.err;
      EXPECT_NE(r.err.find(std::string(v.name) + " --format takes "), std::string::npos) << r.err;
    }
  }
}

TEST(ScanVerb, RefusesWhatItCannotScanBeforeOpeningAStore) {
  Outcome none = RunLine({"scan"});
  EXPECT_EQ(none.code, ExitCode::kError);
  EXPECT_EQ(none.err, "whittle: scan needs docker://REGISTRY[/REPO] or --from FILE (see 'whittle scan --help')\n");
  Outcome shard = RunLine({"scan", "--shard", "4/4", "docker://127.0.0.1:1"});
  EXPECT_EQ(shard.code, ExitCode::kError);
  EXPECT_NE(shard.err.find("--shard needs i/N with 0 <= i < N <= 65536, got '4/4'"), std::string::npos) << shard.err;
  Outcome local = RunLine({"scan", "--db", "/nonexistent/dir/fleet.sqlite", kDive});
  EXPECT_EQ(local.code, ExitCode::kError);
  EXPECT_NE(local.err.find("is not a registry: want docker://REGISTRY[/REPO[:TAG]]"), std::string::npos) << local.err;
  Outcome both = RunLine({"scan", "--report", "docker://127.0.0.1:1"});
  EXPECT_EQ(both.code, ExitCode::kError);
  EXPECT_NE(both.err.find("scan --report takes no docker:// target or --from"), std::string::npos) << both.err;
  Outcome format = RunLine({"scan", "--csv", "docker://127.0.0.1:1"});
  EXPECT_EQ(format.code, ExitCode::kError);
  EXPECT_NE(format.err.find("scan --format applies to --report only"), std::string::npos) << format.err;
}

TEST(TopLevel, HelpVersionAndNothing) {
  Outcome help = RunLine({"--help"});
  EXPECT_EQ(help.code, ExitCode::kOk);
  for (const VerbSpec& v : Commands()) EXPECT_NE(help.out.find(std::string("  ") + v.name + " "), std::string::npos);
  Outcome version = RunLine({"--version"});
  EXPECT_EQ(version.code, ExitCode::kOk);
  EXPECT_EQ(version.out.substr(0, version.out.find('\n') + 1), std::string("whittle ") + WhittleVersion() + "\n");
  Outcome none = RunLine({});
  EXPECT_EQ(none.code, ExitCode::kError);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, help.out);  // the usage, on stderr
}

// --version: whittle's version, the commit it was built from (the checkout's
// HEAD in a test build), and each library's own runtime version, which for a
// dynamic build equals the version of the headers it was built with.
TEST(TopLevel, VersionNamesCommitAndLibraries) {
  Outcome r = RunLine({"--version"});
  std::string want = std::string("whittle ") + WhittleVersion() + "\ncommit " + WhittleGitCommit() + "\n";
  ASSERT_EQ(r.out.substr(0, want.size()), want);
  std::string commit = WhittleGitCommit();
  EXPECT_TRUE(commit == "unknown" ||
              (commit.size() == 12 && commit.find_first_not_of("0123456789abcdef") == std::string::npos))
      << commit;
  const std::pair<const char*, const char*> kBuiltWith[] = {
      {"zstd", ZSTD_VERSION_STRING}, {"zlib", ZLIB_VERSION}, {"libcurl", LIBCURL_VERSION},
      {"SQLite", SQLITE_VERSION}};
  for (const auto& [name, version] : kBuiltWith) {
    EXPECT_NE(r.out.find(StrFormat("  %-14s %s\n", name, version)), std::string::npos) << name << "\n" << r.out;
  }
  // No version macro to compare with (libyaml has none; OpenSSL's names
  // the headers, not the library; ISA-L and nlohmann-json print their headers').
  for (const char* name : {"ISA-L", "OpenSSL", "libyaml", "nlohmann-json"}) {
    EXPECT_NE(r.out.find(StrFormat("  %-14s ", name)), std::string::npos) << name;
  }
  EXPECT_EQ(LibraryVersions().size(), 8u);
}

// -q and -v are framework options: every verb takes both.
TEST(TopLevel, EveryVerbTakesQuietAndVerbose) {
  for (const VerbSpec& v : Commands()) {
    for (const char* flag : {"-q", "--quiet", "-v", "--verbose"}) {
      Outcome r = RunLine({v.name, flag, "--help"});
      EXPECT_EQ(r.code, ExitCode::kOk) << v.name << " " << flag << ": " << r.err;
    }
  }
}

TEST(TopLevel, MisspeltVerbGetsASuggestion) {
  Outcome r = RunLine({"histroy", kDive});
  EXPECT_EQ(r.code, ExitCode::kError);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "whittle: 'histroy' is not a verb or an image; did you mean 'history'? (see 'whittle --help')\n");
  EXPECT_NE(RunLine({"lnit", "Dockerfile"}).err.find("did you mean 'lint'?"), std::string::npos);
  EXPECT_NE(RunLine({"profiel"}).err.find("did you mean 'profile'?"), std::string::npos);
}

TEST(TopLevel, ABareImageIsProfile) {
  Outcome bare = RunLine({kDive});
  Outcome profile = RunLine({"profile", kDive});
  ASSERT_EQ(bare.code, ExitCode::kOk) << bare.err;
  EXPECT_EQ(bare.out, profile.out);
  Outcome options_first = RunLine({"-d", "layers,paths", "-n", "2", kDive});
  Outcome same = RunLine({"profile", "-d", "layers,paths", "-n", "2", kDive});
  ASSERT_EQ(options_first.code, ExitCode::kOk) << options_first.err;
  EXPECT_EQ(options_first.out, same.out);
  EXPECT_NE(options_first.out, bare.out);
}

TEST(TopLevel, AWordFarFromEveryVerbIsAnImage) {
  Outcome r = RunLine({"nosuchimage"});
  EXPECT_EQ(r.code, ExitCode::kError);
  EXPECT_EQ(r.err.rfind("whittle: nosuchimage", 0), 0u) << r.err;  // the open error
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
}

TEST(TopLevel, AnExistingPathIsNeverAVerbTypo) {
  char tmpl[] = "/tmp/whittle-run-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
  ASSERT_EQ(chdir(tmpl), 0);
  std::FILE* f = std::fopen("histroy", "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  EXPECT_TRUE(LooksLikeImage("histroy"));
  Outcome r = RunLine({"histroy"});
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("histroy"), std::string::npos) << r.err;  // profile's open error
  ASSERT_EQ(chdir(cwd), 0);
  std::system((std::string("rm -rf ") + tmpl).c_str());
}

TEST(SuggestVerb, CloseEnoughOnly) {
  struct Case {
    const char* word;
    const char* want;  // null: no suggestion
  };
  const Case kCases[] = {
      {"histroy", "history"},
      {"hisotry", "history"},
      {"histry", "history"},
      {"proflie", "profile"},
      {"wsate", "waste"},
      {"lnt", "lint"},
      {"ic", "ci"},
      {"c", "ci"},
      {"hist", nullptr},
      {"pro", nullptr},
      {"nosuchimage", nullptr},
      {"lintt", "lint"},
      {"app", nullptr},
  };
  for (const Case& c : kCases) {
    const char* got = SuggestVerb(c.word);
    if (c.want == nullptr) {
      EXPECT_EQ(got, nullptr) << c.word << " -> " << got;
    } else {
      ASSERT_NE(got, nullptr) << c.word;
      EXPECT_STREQ(got, c.want) << c.word;
    }
  }
}

TEST(LooksLikeImage, PathsAndReferences) {
  for (const char* w : {"app.tar", "./x", "/abs", "oci:dir", "docker-archive:a.tar:x:y", "img:tag"}) {
    EXPECT_TRUE(LooksLikeImage(w)) << w;
  }
  for (const char* w : {"histroy", "nosuchthing"}) EXPECT_FALSE(LooksLikeImage(w)) << w;
}

TEST(Profile, BaseAfterDoubleDashIsDiffMode) {
  // A missing base is an input error, reported before any output.
  Outcome missing = RunLine({"profile", kDive, "--", "/nonexistent/base.tar"});
  EXPECT_EQ(missing.code, ExitCode::kError);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("/nonexistent/base.tar"), std::string::npos) << missing.err;
  // An image against itself: no differences, and the same as `diff`.
  Outcome self = RunLine({"profile", "-d", "layers,paths", kDive, "--", kDive});
  EXPECT_EQ(self.code, ExitCode::kOk) << self.err;
  EXPECT_NE(self.out.find("(no differences)"), std::string::npos) << self.out;
  Outcome diff = RunLine({"diff", "-d", "layers,paths", kDive, kDive});
  EXPECT_EQ(diff.out, self.out);
  // --raw-map describes one image, never a pair.
  Outcome raw = RunLine({"profile", "--raw-map", kDive, "--", kDive});
  EXPECT_EQ(raw.code, ExitCode::kError);
}

TEST(Profile, ListSourcesNeedsNoImage) {
  Outcome r = RunLine({"profile", "--list-sources"});
  EXPECT_EQ(r.code, ExitCode::kOk);
  EXPECT_EQ(r.out.rfind("layers ", 0), 0u) << r.out;
}

}  // namespace
}  // namespace whittle

namespace whittle {
namespace {

TEST(Compact, WritesAVerifiedImageOnceAndRefusesToOverwrite) {
  char tmpl[] = "/tmp/whittle-compact-run-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string out = std::string(tmpl) + "/out";
  Outcome no_out = RunLine({"compact", kDive});
  EXPECT_EQ(no_out.code, ExitCode::kError);
  EXPECT_NE(no_out.err.find("compact needs -o OUT"), std::string::npos) << no_out.err;

  Outcome r = RunLine({"compact", "--json", kDive, "-o", "oci:" + out + ":small"});
  ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
  EXPECT_NE(r.out.find("\"action\": \"added\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"nothing_dropped\": false"), std::string::npos) << r.out;
  // The output opens, and compacting it again finds nothing to drop.
  Outcome again = RunLine({"compact", "oci:" + out + ":small", "-o", "oci:" + out + "2"});
  ASSERT_EQ(again.code, ExitCode::kOk) << again.err;
  EXPECT_NE(again.out.find("nothing to compact"), std::string::npos) << again.out;

  Outcome exists = RunLine({"compact", kDive, "-o", "oci:" + out});
  EXPECT_EQ(exists.code, ExitCode::kError);
  EXPECT_NE(exists.err.find("already exists"), std::string::npos) << exists.err;
  Outcome bad = RunLine({"compact", kDive, "-o", "tar:" + out});
  EXPECT_EQ(bad.code, ExitCode::kError);
  std::system((std::string("rm -rf ") + tmpl).c_str());
}

}  // namespace
}  // namespace whittle

namespace whittle {
namespace {

std::string ReadAll(const std::string& path) {
  std::string s;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    std::fclose(f);
  }
  return s;
}

TEST(Report, WritesThePageWithTheJsonItPrintsAndNothingOnBadInput) {
  char tmpl[] = "/tmp/whittle-report-run-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  Outcome no_out = RunLine({"report", kDive});
  EXPECT_EQ(no_out.code, ExitCode::kError);
  EXPECT_EQ(no_out.err, "whittle: report: the page needs -o FILE.html (or --json for the data)\n");

  Outcome page = RunLine({"report", kDive, "-o", dir + "/r.html"});
  ASSERT_EQ(page.code, ExitCode::kOk) << page.err;
  EXPECT_EQ(page.out, "");
  std::string html = ReadAll(dir + "/r.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  Outcome json = RunLine({"report", "--json", kDive});
  ASSERT_EQ(json.code, ExitCode::kOk) << json.err;
  EXPECT_NE(json.out.find("\"efficiency\": 0.9844212134184309"), std::string::npos);
  // The page embeds the same data.
  const std::string open = "<script type=\"application/json\" id=\"whittle-data\">";
  size_t at = html.find(open);
  ASSERT_NE(at, std::string::npos);
  at += open.size();
  std::string embedded = html.substr(at, html.find("</script>", at) - at);
  EXPECT_EQ(nlohmann::json::parse(embedded), nlohmann::json::parse(json.out));

  Outcome bad = RunLine({"report", dir + "/missing.tar", "-o", dir + "/bad.html"});
  EXPECT_EQ(bad.code, ExitCode::kError);
  EXPECT_EQ(Lines(bad.err), 1u) << bad.err;
  EXPECT_EQ(ReadAll(dir + "/bad.html"), "");
  EXPECT_EQ(access((dir + "/bad.html").c_str(), F_OK), -1);
  Outcome no_dir = RunLine({"report", kDive, "-o", dir + "/no/such/dir/r.html"});
  EXPECT_EQ(no_dir.code, ExitCode::kError);
  EXPECT_EQ(Lines(no_dir.err), 1u) << no_dir.err;
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace whittle
