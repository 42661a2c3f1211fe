// HnswVectorIndex: approximate inner-product search over a hierarchical navigable small world
// graph (Malkov & Yashunin 2018; hnswlib). Search visits about ef_search rows instead of all of
// them: far faster than ExactVectorIndex on large catalogs, at a recall below 1 that
// ef_search trades against latency (bench/RESULTS.md).
//
// Filters: hnswlib 0.6 cannot filter inside the graph walk, so a filtered search asks the graph
// for more neighbours than k (4x, then 16x, ...) and keeps the allowed ones; once that would
// visit more than an eighth of the rows, it scores the allowed rows exactly instead, which is
// also the right plan for a filter that keeps few rows.
//
// Removal marks rows deleted (they stay in the graph as waypoints, as in hnswlib); adding an
// id again revives and replaces its row.
//
// Files (`.soukhnsw`, docs/formats/hnsw.md): hnswlib's serialized graph behind a header and a
// CRC-32, checked before hnswlib's loader sees a byte.
//
// Thread-safety: as VectorIndex.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "souk/vector/vector_index.h"

namespace souk::vector {

struct HnswOptions {
  /// Links per row and layer (2m on the bottom layer): more gives higher recall and more memory.
  size_t m = 16;
  /// Candidate list while inserting: a better graph for a slower build.
  size_t ef_construction = 200;
  /// Candidate list while searching (at least k): higher recall for a slower search.
  size_t ef_search = 100;
  /// Level assignment: one seed and one order of Adds give one graph. Rows are inserted on one
  /// thread: hnswlib 0.6.2 draws levels from an unguarded generator, so concurrent inserts race.
  uint64_t seed = 100;
  /// INVALID_ARGUMENT naming the field.
  absl::Status Validate() const;
};

class HnswVectorIndex final : public VectorIndex {
 public:
  /// INVALID_ARGUMENT for dim 0 or invalid options.
  static absl::StatusOr<std::unique_ptr<HnswVectorIndex>> Create(size_t dim,
                                                                 const HnswOptions& options);
  /// Reads a graph Save() wrote; options.ef_search applies, the graph's own m and
  /// ef_construction are kept. INVALID_ARGUMENT when the file is not a Souk HNSW file,
  /// FAILED_PRECONDITION for another version, DATA_LOSS for a checksum mismatch or a header that
  /// disagrees with the graph.
  static absl::StatusOr<std::unique_ptr<HnswVectorIndex>> Load(const std::string& path,
                                                               const HnswOptions& options);
  ~HnswVectorIndex() override;

  /// Sets HnswOptions::ef_search (at least 1); not while searches run.
  void set_ef_search(size_t ef_search);

  /// Writes the graph and its rows to `path` atomically.
  absl::Status Save(const std::string& path) const;

  size_t dim() const override;
  size_t size() const override;
  absl::Status Add(std::span<const uint32_t> ids, std::span<const float> vectors) override;
  size_t Remove(std::span<const uint32_t> ids) override;
  absl::StatusOr<std::vector<std::vector<Neighbor>>> Search(
      std::span<const float> queries, size_t k, const IdFilter& filter = {}) const override;
  absl::StatusOr<std::vector<float>> Score(std::span<const float> query,
                                           std::span<const uint32_t> ids) const override;
  absl::StatusOr<std::vector<float>> Row(uint32_t id) const override;

 private:
  struct Impl;
  explicit HnswVectorIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::vector
