#include "fleet/fleet_store.h"

#include "fleet/sqlite_store.h"

namespace whittle::fleet {

Result<std::unique_ptr<FleetStore>> OpenFleetStore(const std::string& where) {
  if (where.rfind("postgres://", 0) == 0 || where.rfind("postgresql://", 0) == 0) return OpenPgFleetStore(where);
  if (where.empty()) return Error(Errc::kUsage, "--db needs a file or a postgres:// URL");
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteFleetStore> store, SqliteFleetStore::Open(where));
  return std::unique_ptr<FleetStore>(std::move(store));
}

}  // namespace whittle::fleet
