#include "souk/lexical/filter.h"

#include <bit>

namespace souk::lexical {

size_t DocFilter::Count() const {
  size_t count = 0;
  const size_t full_words = num_docs_ / 64;
  for (size_t w = 0; w < full_words; ++w) count += static_cast<size_t>(std::popcount(bits_[w]));
  // Bits past num_docs are not documents, whatever the producer left there.
  if (const size_t tail = num_docs_ % 64; tail != 0) {
    count += static_cast<size_t>(std::popcount(bits_[full_words] & ((uint64_t{1} << tail) - 1)));
  }
  return count;
}

}  // namespace souk::lexical
