// TODO(owner): scaffolding until the ci verb lands; replaced by its owner.
#include "cli/commands.h"
#include "cli/common.h"

namespace whittle {

int RunCi(const Args&) {
  PrintError("ci: not built yet");
  return 2;
}

}  // namespace whittle
