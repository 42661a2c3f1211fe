#include "souk/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace souk::internal {

void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "SOUK_CHECK failed: %s at %s:%d\n", condition, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace souk::internal
