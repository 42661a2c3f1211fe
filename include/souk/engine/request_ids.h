// Request ids: what feedback events quote to tie a click or a purchase back to the Search or
// Recommend answer that showed the product. Unique across restarts (a random prefix per
// generator) and within a process (a counter); cheap.
//
// Thread-safety: Next() may run on many threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace souk::engine {

class RequestIds {
 public:
  RequestIds();
  /// "<16 hex digits of prefix>-<8 or more hex digits of counter>".
  std::string Next() const;

 private:
  uint64_t prefix_;
  mutable std::atomic<uint64_t> counter_{0};
};

}  // namespace souk::engine
