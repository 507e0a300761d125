// TODO(owner): scaffolding until the history verb lands; replaced by its owner.
#include "cli/commands.h"
#include "cli/common.h"

namespace whittle {

int RunHistory(const Args&) {
  PrintError("history: not built yet");
  return 2;
}

}  // namespace whittle
