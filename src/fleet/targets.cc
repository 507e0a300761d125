#include "fleet/targets.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <fstream>
#include <memory>
#include <set>

#include "image/json_util.h"
#include "image/registry_auth.h"
#include "image/registry_client.h"
#include "image/registry_store.h"
#include "util/strings.h"

namespace whittle::fleet {
namespace {

constexpr size_t kMaxPageBytes = 16u << 20;
constexpr int kMaxPages = 100000;
constexpr size_t kMaxLineBytes = 4096;

// The page size asked for: kListPageSize, or $WHITTLE_SCAN_PAGE_SIZE when it
// is 1..10000 (tests make a small registry answer in several pages).
int PageSize() {
  const char* env = std::getenv("WHITTLE_SCAN_PAGE_SIZE");
  if (env == nullptr) return kListPageSize;
  char* end = nullptr;
  long v = std::strtol(env, &end, 10);
  return (end != env && *end == '\0' && v >= 1 && v <= 10000) ? static_cast<int>(v) : kListPageSize;
}

Result<std::shared_ptr<RegistryClient>> ConnectTo(const std::string& host, const std::string& repo,
                                                  const RegistryOptions& options) {
  RegistryName name;
  name.host = host;
  name.repo = repo;
  name.tag = "latest";
  ASSIGN_OR_RETURN(std::optional<RegistryCredentials> creds, FindRegistryCredentials(host, options.creds));
  auto client = std::make_shared<RegistryClient>(name, options, std::move(creds));
  RETURN_IF_ERROR(client->Connect());
  return client;
}

// GETs |first| and the pages its Link headers chain to; calls |page| with
// each page's JSON. |what| names the listing in messages.
Status ForEachPage(RegistryClient& client, const std::string& first, const std::string& what,
                   const std::function<Status(const Json&, const std::string& where)>& page) {
  std::string path = first;
  std::set<std::string> seen;
  for (int n = 0; !path.empty(); ++n) {
    if (n >= kMaxPages || !seen.insert(path).second) {
      return Error(Errc::kCorrupt, StrFormat("%s: the Link headers loop or pass %d pages", what.c_str(), kMaxPages));
    }
    const std::string where = what + " (" + path + ")";
    ASSIGN_OR_RETURN(HttpResponse r, client.Fetch(path, false, kMaxPageBytes, "Accept: application/json"));
    if (r.status != 200) return client.StatusError(r, where);
    ASSIGN_OR_RETURN(Json doc, ParseJson(r.body, where));
    RETURN_IF_ERROR(page(doc, where));
    path = NextLink(r.Header("link"));
  }
  return Status::Ok();
}

// The strings of the array |key| of |doc| (absent or null: none).
Status StringArray(const Json& doc, const char* key, const std::string& where, std::vector<std::string>* out) {
  if (!doc.is_object()) return Error(Errc::kCorrupt, where + ": expected a JSON object");
  JsonFields fields(doc, where);
  const Json* arr = nullptr;
  RETURN_IF_ERROR(fields.Array(key, &arr));
  if (arr == nullptr) return Status::Ok();
  for (size_t i = 0; i < arr->size(); ++i) {
    const Json& v = (*arr)[i];
    if (!v.is_string()) {
      return Error(Errc::kCorrupt,
                   StrFormat("%s: %s[%zu]: expected a string, got %s", where.c_str(), key, i, JsonTypeName(v)));
    }
    if (out->size() >= kMaxTargets) {
      return Error(Errc::kTooLarge, StrFormat("%s: more than %zu names", where.c_str(), kMaxTargets));
    }
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

Status AddTags(const std::string& host, const std::string& repo, const RegistryOptions& options,
               std::vector<WorkItem>* out) {
  ASSIGN_OR_RETURN(std::shared_ptr<RegistryClient> client, ConnectTo(host, repo, options));
  std::vector<std::string> tags;
  const std::string what = "docker://" + host + "/" + repo + ": tags";
  RETURN_IF_ERROR(ForEachPage(*client, StrFormat("/v2/%s/tags/list?n=%d", repo.c_str(), PageSize()), what,
                              [&](const Json& doc, const std::string& where) {
                                return StringArray(doc, "tags", where, &tags);
                              }));
  for (const std::string& tag : tags) {
    auto item = TargetFromReference(host + "/" + repo + ":" + tag);
    if (!item) return Error(Errc::kCorrupt, what + ": " + item.error().message());
    out->push_back(std::move(*item));
  }
  return Status::Ok();
}

void SortUnique(std::vector<WorkItem>* items) {
  std::sort(items->begin(), items->end(),
            [](const WorkItem& a, const WorkItem& b) { return a.reference < b.reference; });
  items->erase(std::unique(items->begin(), items->end(),
                           [](const WorkItem& a, const WorkItem& b) { return a.reference == b.reference; }),
               items->end());
}

}  // namespace

std::string NextLink(const std::string& link_header) {
  // Link: <URL>; rel="next"[, <URL>; rel="prev"]
  size_t pos = 0;
  while (pos < link_header.size()) {
    size_t open = link_header.find('<', pos);
    if (open == std::string::npos) return "";
    size_t close = link_header.find('>', open);
    if (close == std::string::npos) return "";
    size_t end = link_header.find(',', close);
    std::string params = link_header.substr(close + 1, end == std::string::npos ? std::string::npos : end - close - 1);
    std::string target = link_header.substr(open + 1, close - open - 1);
    std::string lower;
    for (char c : params) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    lower.erase(std::remove(lower.begin(), lower.end(), ' '), lower.end());
    if (lower.find("rel=\"next\"") != std::string::npos || lower.find("rel=next") != std::string::npos) {
      if (size_t scheme = target.find("://"); scheme != std::string::npos) {
        size_t path = target.find('/', scheme + 3);
        target = path == std::string::npos ? "/" : target.substr(path);
      }
      if (target.empty() || target[0] != '/') return "";
      return target;
    }
    if (end == std::string::npos) return "";
    pos = end + 1;
  }
  return "";
}

Result<WorkItem> TargetFromReference(const std::string& text) {
  std::string name = text;
  if (StartsWith(name, "docker://")) name = name.substr(9);
  ASSIGN_OR_RETURN(RegistryName parsed, ParseRegistryName(name));
  WorkItem item;
  item.repository = parsed.host + "/" + parsed.repo;
  item.reference = parsed.ToString();
  return item;
}

Result<std::vector<WorkItem>> ListTargets(const std::string& target, const RegistryOptions& options) {
  if (!StartsWith(target, "docker://")) {
    return Error(Errc::kUsage, StrFormat("scan: '%s' is not a registry: want docker://REGISTRY[/REPO[:TAG]]",
                                         EscapeForMessage(target).c_str()));
  }
  std::string rest = target.substr(9);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  std::vector<WorkItem> out;
  const size_t slash = rest.find('/');
  if (slash == std::string::npos) {
    // A registry: its catalog, then every repository's tags.
    if (rest.empty()) return Error(Errc::kUsage, "scan: docker:// needs a registry host");
    ASSIGN_OR_RETURN(std::shared_ptr<RegistryClient> client, ConnectTo(rest, "", options));
    std::vector<std::string> repos;
    RETURN_IF_ERROR(ForEachPage(*client, StrFormat("/v2/_catalog?n=%d", PageSize()), "docker://" + rest + ": catalog",
                                [&](const Json& doc, const std::string& where) {
                                  return StringArray(doc, "repositories", where, &repos);
                                }));
    std::sort(repos.begin(), repos.end());
    repos.erase(std::unique(repos.begin(), repos.end()), repos.end());
    for (const std::string& repo : repos) {
      // A name the registry made up is checked like a typed one.
      auto check = ParseRegistryName(rest + "/" + repo);
      if (!check) return Error(Errc::kCorrupt, "docker://" + rest + ": catalog: " + check.error().message());
      RETURN_IF_ERROR(AddTags(rest, repo, options, &out));
    }
  } else {
    ASSIGN_OR_RETURN(RegistryName name, ParseRegistryName(rest));
    const size_t colon = rest.rfind(':');
    const bool explicit_ref = !name.digest.empty() || (colon != std::string::npos && colon > rest.rfind('/'));
    if (explicit_ref) {
      ASSIGN_OR_RETURN(WorkItem item, TargetFromReference(rest));
      out.push_back(std::move(item));
    } else {
      RETURN_IF_ERROR(AddTags(name.host, name.repo, options, &out));
    }
  }
  SortUnique(&out);
  return out;
}

Result<std::vector<WorkItem>> ReadTargetFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(Errc::kIo, StrFormat("%s: cannot open: %s", path.c_str(), strerror(errno)));
  std::vector<WorkItem> out;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.size() > kMaxLineBytes) {
      return Error(Errc::kUsage, StrFormat("%s:%zu: line longer than %zu bytes", path.c_str(), number, kMaxLineBytes));
    }
    std::string_view text = TrimWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    if (text.find_first_of(" \t") != std::string_view::npos) {
      return Error(Errc::kUsage, StrFormat("%s:%zu: one reference per line, got '%s'", path.c_str(), number,
                                           EscapeForMessage(text).c_str()));
    }
    auto item = TargetFromReference(std::string(text));
    if (!item) {
      return Error(Errc::kUsage, StrFormat("%s:%zu: %s", path.c_str(), number, item.error().message().c_str()));
    }
    if (out.size() >= kMaxTargets) {
      return Error(Errc::kUsage, StrFormat("%s:%zu: more than %zu references", path.c_str(), number, kMaxTargets));
    }
    out.push_back(std::move(*item));
  }
  if (in.bad()) return Error(Errc::kIo, StrFormat("%s: read failed", path.c_str()));
  SortUnique(&out);
  return out;
}

Result<Shard> ParseShard(const std::string& text) {
  auto bad = [&] {
    return Error(Errc::kUsage,
                 StrFormat("--shard needs i/N with 0 <= i < N <= 65536, got '%s'", EscapeForMessage(text).c_str()));
  };
  size_t slash = text.find('/');
  if (slash == std::string::npos) return bad();
  auto number = [](std::string_view s, uint32_t* out) {
    if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string_view::npos) return false;
    uint32_t v = 0;
    for (char c : s) v = v * 10 + static_cast<uint32_t>(c - '0');
    *out = v;
    return true;
  };
  Shard shard;
  if (!number(std::string_view(text).substr(0, slash), &shard.index) ||
      !number(std::string_view(text).substr(slash + 1), &shard.count)) {
    return bad();
  }
  if (shard.count == 0 || shard.count > 65536 || shard.index >= shard.count) return bad();
  return shard;
}

uint64_t RepositoryHash(std::string_view repository) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis
  for (unsigned char c : repository) {
    h ^= c;
    h *= 0x100000001b3ull;  // FNV 64 prime
  }
  return h;
}

std::vector<WorkItem> InShard(const std::vector<WorkItem>& items, const Shard& shard) {
  std::vector<WorkItem> out;
  for (const WorkItem& item : items) {
    if (RepositoryHash(item.repository) % shard.count == shard.index) out.push_back(item);
  }
  return out;
}

}  // namespace whittle::fleet
