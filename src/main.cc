// whittle: argv -> Run() -> exit code. Everything else lives in libwhittle.
#include <cstdio>
#include <new>

#include "cli/common.h"
#include "cli/run.h"

int main(int argc, char** argv) {
  try {
    return whittle::Run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("whittle: out of memory\n", stderr);
    return whittle::ExitStatus(whittle::ExitCode::kError);
  }
}
