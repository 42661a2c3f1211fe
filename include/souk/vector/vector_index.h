// VectorIndex: the k nearest rows to a query by inner product, over float vectors of one
// dimension keyed by a uint32 id (a catalog DocId). With L2-normalized rows and queries, the
// inner product is the cosine the encoder is trained for.
//
// Backends: ExactVectorIndex (exact_index.h: every row scored, by a SIMD scan or one matrix
// product, CPU or CUDA) and HnswVectorIndex (hnsw_index.h: approximate, over an HNSW graph).
//
// Thread-safety: Search() may run on many threads at once; Add() and Remove() need exclusive
// access (serving builds an index once per snapshot and never mutates it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::vector {

struct Neighbor {
  uint32_t id = 0;
  float score = 0;  ///< Inner product with the query.
  bool operator==(const Neighbor&) const = default;
};

/// Which ids a search may return (true = allowed). An empty function allows every id.
using IdFilter = std::function<bool(uint32_t id)>;

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  virtual size_t dim() const = 0;
  /// Number of rows.
  virtual size_t size() const = 0;

  /// Adds rows, replacing the row of an id already present. `vectors` holds ids.size() * dim()
  /// floats, row after row. INVALID_ARGUMENT (nothing added) when the sizes disagree, an id
  /// repeats, or a value is not finite.
  virtual absl::Status Add(std::span<const uint32_t> ids, std::span<const float> vectors) = 0;
  /// Removes the rows of `ids` that are present; returns how many were removed (0, with the rows
  /// unchanged, when the device is out of memory: logged).
  virtual size_t Remove(std::span<const uint32_t> ids) = 0;

  /// For each query (queries.size() / dim() of them, row after row), the `k` allowed rows with
  /// the highest inner product, best first (fewer when fewer are allowed). INVALID_ARGUMENT when
  /// queries.size() is not a multiple of dim() or a value is not finite.
  virtual absl::StatusOr<std::vector<std::vector<Neighbor>>> Search(
      std::span<const float> queries, size_t k, const IdFilter& filter = {}) const = 0;

  /// The inner product of one query (dim() floats) with the row of each of `ids`, in order:
  /// for candidates found by other means. INVALID_ARGUMENT for a query of another size or with
  /// a value that is not finite; NOT_FOUND naming the first id without a row.
  virtual absl::StatusOr<std::vector<float>> Score(std::span<const float> query,
                                                   std::span<const uint32_t> ids) const = 0;

  /// The row of `id` as float values (a query for its neighbours: similar items). NOT_FOUND
  /// naming the id when it has no row.
  virtual absl::StatusOr<std::vector<float>> Row(uint32_t id) const = 0;
};

}  // namespace souk::vector
