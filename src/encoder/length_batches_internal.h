// LengthSortedBatches: inputs grouped into batches shortest first. A forward pass pads a batch
// to its longest input, and texts run from a few tokens to max_length, so batches of mixed
// lengths spend most of their work on padding (bench/RESULTS.md, "Review sentiment").
// Thread-safety: a pure function.
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

namespace souk::encoder::internal {

/// The positions of the inputs whose token counts are `lengths`, in batches of at most
/// `batch_size` (>= 1), by ascending length, equal lengths in input order.
inline std::vector<std::vector<size_t>> LengthSortedBatches(const std::vector<size_t>& lengths,
                                                            size_t batch_size) {
  std::vector<size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return lengths[a] < lengths[b]; });
  std::vector<std::vector<size_t>> batches;
  for (size_t begin = 0; begin < order.size(); begin += batch_size) {
    const size_t end = std::min(order.size(), begin + batch_size);
    batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(begin),
                         order.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return batches;
}

}  // namespace souk::encoder::internal
