// TODO(owner): scaffolding until the profile verb lands; replaced by its owner.
#include "cli/commands.h"
#include "cli/common.h"

namespace whittle {

int RunProfile(const Args&) {
  PrintError("profile: not built yet");
  return 2;
}

}  // namespace whittle
