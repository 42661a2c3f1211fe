// The exact top k of one query over fp32 rows in memory, by one pass of SIMD dot products.
//
// Why not a matrix product: at batch 1 libtorch hands the product to OpenBLAS's sgemm, which
// first copies (packs) every row, then writes all the scores into a fresh buffer for topk. For
// one query that costs 3-4x a single read of the rows (bench/NOTES.md); a few queries at a time
// still pay it. Many queries at once are a real matrix product, and go to libtorch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace souk::vector::internal {

struct ScoredRow {
  float score = 0;
  int64_t row = 0;
};

/// The `k` rows of `matrix` (`rows` x `dim`, row-major) with the largest inner product with
/// `query` (`dim` values), best first; ties go to the lower row. Rows whose `allowed` entry is 0
/// are skipped (an empty `allowed` allows all), so fewer than `k` may come back.
std::vector<ScoredRow> TopRows(const float* matrix, size_t rows, size_t dim, const float* query,
                               size_t k, std::span<const char> allowed);

}  // namespace souk::vector::internal
