// Loading fuzz seed corpora for the replay tests (tests/fuzz/corpus/<name>).
#ifndef WHITTLE_TESTS_SUPPORT_CORPUS_H_
#define WHITTLE_TESTS_SUPPORT_CORPUS_H_

#include <string>
#include <vector>

namespace whittle::testing {

/// Every regular file of |dir|, in name order (so mutation runs are
/// deterministic), as byte strings.
std::vector<std::string> LoadCorpusDir(const std::string& dir);

/// The bytes of one seed file ("" if it cannot be read).
std::string ReadCorpusFile(const std::string& path);

}  // namespace whittle::testing

#endif  // WHITTLE_TESTS_SUPPORT_CORPUS_H_
