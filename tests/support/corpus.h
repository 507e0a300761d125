// Loading fuzz seed corpora for the replay tests (tests/fuzz/corpus/<name>).
#ifndef WHITTLE_TESTS_SUPPORT_CORPUS_H_
#define WHITTLE_TESTS_SUPPORT_CORPUS_H_

#include <string>
#include <vector>

namespace whittle::testing {

/// Which files of a corpus directory to load.
enum class CorpusFiles {
  kAll,
  /// The curated seeds only: not the inputs libFuzzer added (`fuzz/run
  /// --merge`), which are named by their SHA-1, 40 hex digits.
  kSeeds,
};

/// The regular files of |dir| (all, or the curated seeds), in name order
/// (so mutation runs are deterministic), as byte strings.
std::vector<std::string> LoadCorpusDir(const std::string& dir, CorpusFiles which = CorpusFiles::kAll);

/// True for a file libFuzzer added to a corpus (its name is its SHA-1).
bool IsFuzzerFind(const std::string& file_name);

/// The bytes of one seed file ("" if it cannot be read).
std::string ReadCorpusFile(const std::string& path);

}  // namespace whittle::testing

#endif  // WHITTLE_TESTS_SUPPORT_CORPUS_H_
