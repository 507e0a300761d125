// whittle: argv -> Run() -> exit code. Everything else lives in libwhittle.
#include <cstdio>
#include <new>

#include "cli/run.h"

int main(int argc, char** argv) {
  try {
    return whittle::Run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("whittle: out of memory\n", stderr);
    return 2;
  }
}
