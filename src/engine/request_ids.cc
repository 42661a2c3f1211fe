#include "souk/engine/request_ids.h"

#include <cstdio>
#include <random>

namespace souk::engine {

RequestIds::RequestIds() {
  std::random_device rd;
  prefix_ = (uint64_t{rd()} << 32) | rd();
}

std::string RequestIds::Next() const {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llx-%08llx", static_cast<unsigned long long>(prefix_),
                static_cast<unsigned long long>(counter_.fetch_add(1) + 1));
  return buf;
}

}  // namespace souk::engine
