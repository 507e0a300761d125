// OpenPgFleetStore in a build without the PostgreSQL store: postgres://
// URLs are refused with one line. fleet/pg_store.cc replaces this file.
#include "fleet/fleet_store.h"

namespace whittle::fleet {

Result<std::unique_ptr<FleetStore>> OpenPgFleetStore(const std::string& url) {
  (void)url;
  return Error(Errc::kUnsupported, "PostgreSQL store not built");
}

}  // namespace whittle::fleet
