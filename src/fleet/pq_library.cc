#include "fleet/pq_library.h"

#include <mutex>
#include <string>

#include "util/dynamic_library.h"

namespace whittle::fleet {

namespace {

constexpr const char kSoname[] = "libpq.so.5";

struct Loaded {
  PqLibrary lib{};
  Status status;
};

Loaded Load() {
  Loaded r;
  Result<void*> opened = OpenDynamicLibrary(kSoname, "libpq5", "--db postgres://");
  if (!opened.has_value()) {
    r.status = opened.error();
    return r;
  }
  void* handle = *opened;
  PqLibrary& p = r.lib;
  std::string missing;
  BindSymbol(handle, "PQlibVersion", &p.lib_version, &missing);
  BindSymbol(handle, "PQconnectdbParams", &p.connectdb_params, &missing);
  BindSymbol(handle, "PQstatus", &p.status, &missing);
  BindSymbol(handle, "PQerrorMessage", &p.error_message, &missing);
  BindSymbol(handle, "PQfinish", &p.finish, &missing);
  BindSymbol(handle, "PQsetNoticeProcessor", &p.set_notice_processor, &missing);
  BindSymbol(handle, "PQtransactionStatus", &p.transaction_status, &missing);
  BindSymbol(handle, "PQexecParams", &p.exec_params, &missing);
  BindSymbol(handle, "PQresultStatus", &p.result_status, &missing);
  BindSymbol(handle, "PQresultErrorField", &p.result_error_field, &missing);
  BindSymbol(handle, "PQntuples", &p.ntuples, &missing);
  BindSymbol(handle, "PQnfields", &p.nfields, &missing);
  BindSymbol(handle, "PQgetvalue", &p.getvalue, &missing);
  BindSymbol(handle, "PQgetisnull", &p.getisnull, &missing);
  BindSymbol(handle, "PQclear", &p.clear, &missing);
  if (!missing.empty()) {
    r.status = Error(Errc::kUnsupported, std::string(kSoname) + " has no " + missing +
                                             ": a libpq older than the one whittle was built with");
  }
  return r;
}

}  // namespace

Result<const PqLibrary*> LoadPq() {
  static std::once_flag once;
  static Loaded* loaded = nullptr;  // never freed, like the library
  std::call_once(once, [] { loaded = new Loaded(Load()); });
  if (!loaded->status.ok()) return loaded->status;
  return &loaded->lib;
}

}  // namespace whittle::fleet
