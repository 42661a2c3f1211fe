#include <algorithm>
#include <cstring>

#include "row_scan_internal.h"
#include "souk/base/target_clones.h"

namespace souk::vector::internal {
namespace {

// Rows scored between two passes of the selection: 16 KB of scores, in L1 with the query.
constexpr size_t kBlockRows = 4096;

// 16 float lanes: GCC and Clang lower it to whatever the running CPU has (one AVX-512
// register, two AVX2 ones, four SSE ones); SOUK_TARGET_CLONES picks the best build at load time.
typedef float Lanes __attribute__((vector_size(64)));
constexpr size_t kLanes = sizeof(Lanes) / sizeof(float);

SOUK_TARGET_CLONES
void ScoreRows(const float* matrix, size_t rows, size_t dim, const float* query, float* out) {
  const size_t whole = dim / kLanes * kLanes;
  for (size_t r = 0; r < rows; ++r) {
    const float* row = matrix + r * dim;
    Lanes sum = {};
    for (size_t d = 0; d < whole; d += kLanes) {
      Lanes a, b;  // memcpy: rows need not be 64-byte aligned
      std::memcpy(&a, row + d, sizeof a);
      std::memcpy(&b, query + d, sizeof b);
      sum += a * b;
    }
    float total = 0;
    for (size_t lane = 0; lane < kLanes; ++lane) total += sum[lane];
    for (size_t d = whole; d < dim; ++d) total += row[d] * query[d];
    out[r] = total;
  }
}

// Orders a min-heap on score: its front is the worst row kept, the first to go. Of two equal
// scores the higher row ranks worse.
bool Better(const ScoredRow& a, const ScoredRow& b) {
  return a.score > b.score || (a.score == b.score && a.row < b.row);
}

}  // namespace

std::vector<ScoredRow> TopRows(const float* matrix, size_t rows, size_t dim, const float* query,
                               size_t k, std::span<const char> allowed) {
  std::vector<ScoredRow> heap;
  if (k == 0) return heap;
  heap.reserve(k + 1);
  float scores[kBlockRows];
  for (size_t begin = 0; begin < rows; begin += kBlockRows) {
    const size_t count = std::min(kBlockRows, rows - begin);
    ScoreRows(matrix + begin * dim, count, dim, query, scores);
    for (size_t i = 0; i < count; ++i) {
      const ScoredRow candidate{scores[i], static_cast<int64_t>(begin + i)};
      if (!allowed.empty() && !allowed[begin + i]) continue;
      if (heap.size() == k) {
        if (!Better(candidate, heap.front())) continue;
        std::pop_heap(heap.begin(), heap.end(), Better);
        heap.back() = candidate;
      } else {
        heap.push_back(candidate);
      }
      std::push_heap(heap.begin(), heap.end(), Better);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), Better);
  return heap;
}

}  // namespace souk::vector::internal
