// TODO(owner): scaffolding until the waste verb lands; replaced by its owner.
#include "cli/commands.h"
#include "cli/common.h"

namespace whittle {

int RunWaste(const Args&) {
  PrintError("waste: not built yet");
  return 2;
}

}  // namespace whittle
