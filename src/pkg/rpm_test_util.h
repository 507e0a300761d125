// Builds RPM header blobs (the rpmdb.sqlite Packages.blob shape) for tests
// and the fuzz seed corpus: il, dl, index entries, data store.
#ifndef WHITTLE_PKG_RPM_TEST_UTIL_H_
#define WHITTLE_PKG_RPM_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

namespace whittle::pkg::testing {

class RpmHeaderBuilder {
 public:
  void AddString(uint32_t tag, const std::string& s) { Add(tag, 6, 1, s + '\0', 1); }
  void AddStringArray(uint32_t tag, const std::vector<std::string>& v) {
    std::string data;
    for (const std::string& s : v) data += s + '\0';
    Add(tag, 8, static_cast<uint32_t>(v.size()), data, 1);
  }
  void AddInt32s(uint32_t tag, const std::vector<uint32_t>& v) {
    std::string data;
    for (uint32_t x : v) data += Be(x);
    Add(tag, 4, static_cast<uint32_t>(v.size()), data, 4);
  }
  /// An entry with arbitrary fields pointing at no new data.
  void AddRaw(uint32_t tag, uint32_t type, uint32_t offset, uint32_t count) {
    index_ += Be(tag) + Be(type) + Be(offset) + Be(count);
    ++il_;
  }
  std::string Build() const { return Be(il_) + Be(static_cast<uint32_t>(store_.size())) + index_ + store_; }

  static std::string Be(uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
    return s;
  }

 private:
  void Add(uint32_t tag, uint32_t type, uint32_t count, const std::string& data, size_t align) {
    while (store_.size() % align != 0) store_.push_back('\0');
    AddRaw(tag, type, static_cast<uint32_t>(store_.size()), count);
    store_ += data;
  }
  uint32_t il_ = 0;
  std::string index_, store_;
};

/// A typical header: name, version, release, arch and a three-path file list.
inline std::string SampleRpmHeader() {
  RpmHeaderBuilder b;
  b.AddString(1000, "glibc");
  b.AddString(1001, "2.34");
  b.AddString(1002, "100.el9");
  b.AddString(1022, "x86_64");
  b.AddInt32s(1116, {0, 1, 1});
  b.AddStringArray(1117, {"ld-linux-x86-64.so.2", "libc.so.6", "gconv"});
  b.AddStringArray(1118, {"/usr/lib64/", "/usr/lib64/glibc-hwcaps/"});
  return b.Build();
}

}  // namespace whittle::pkg::testing

#endif  // WHITTLE_PKG_RPM_TEST_UTIL_H_
