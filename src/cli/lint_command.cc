// TODO(owner): scaffolding until the lint verb lands; replaced by its owner.
#include "cli/commands.h"
#include "cli/common.h"

namespace whittle {

int RunLint(const Args&) {
  PrintError("lint: not built yet");
  return 2;
}

}  // namespace whittle
