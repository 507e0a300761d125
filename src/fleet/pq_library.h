// libpq, PostgreSQL's client library, loaded when the first PostgreSQL
// store opens (dlopen of libpq.so.5, the Debian package libpq5) instead of
// linked into the binary: every verb but `whittle scan --db postgres://`
// would otherwise load libpq and its own dependencies (TLS, Kerberos, LDAP)
// before main, as net/curl_library.h measured for libcurl.
//
// Only the functions pg_store.cc (and its test) call are looked up; each is
// typed from libpq-fe.h's prototype (the header of the libpq-dev the build
// used: the same soname, so the same ABI).
#ifndef WHITTLE_FLEET_PQ_LIBRARY_H_
#define WHITTLE_FLEET_PQ_LIBRARY_H_

#include <libpq-fe.h>

#include "util/status.h"

namespace whittle::fleet {

struct PqLibrary {
  decltype(&::PQlibVersion) lib_version;
  decltype(&::PQconnectdbParams) connectdb_params;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) error_message;
  decltype(&::PQfinish) finish;
  decltype(&::PQsetNoticeProcessor) set_notice_processor;
  decltype(&::PQtransactionStatus) transaction_status;
  decltype(&::PQexecParams) exec_params;
  decltype(&::PQresultStatus) result_status;
  decltype(&::PQresultErrorField) result_error_field;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQnfields) nfields;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQclear) clear;
};

/// The loaded library, once for the whole process; thread-safe. Fails, the
/// same way on every call, with one line naming the library and dlopen's or
/// dlsym's reason when libpq.so.5 is missing or lacks a function.
Result<const PqLibrary*> LoadPq();

}  // namespace whittle::fleet

#endif  // WHITTLE_FLEET_PQ_LIBRARY_H_
