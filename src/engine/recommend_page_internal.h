// The parts of a recommendation page: candidates tagged with the generators that proposed
// them, their merge by reciprocal rank, and the builder that filters and diversifies them into a
// page. Private to engine/ (recommend_engine.cc).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "souk/engine/recommend_engine.h"
#include "souk/engine/snapshot.h"

namespace souk::engine::internal {

// The candidate generators, as bits: a product proposed by several carries them all.
enum SourceBit : uint8_t {
  kSequential = 1,
  kCoVisitation = 2,
  kContent = 4,
  kTrending = 8,
  kCatalog = 16,
  kBoughtTogether = 32,
};

/// "sequential+co-visitation" and the like, in a fixed order.
std::string SourceName(uint8_t bits);

struct SourceList {
  std::vector<catalog::DocId> docs;  ///< Best first.
  SourceBit source;
};

struct Candidate {
  catalog::DocId doc;
  float score = 0;
  uint8_t sources = 0;
};

/// The lists fused by reciprocal rank, each product with the sources that proposed it.
std::vector<Candidate> Merge(const std::vector<SourceList>& lists, double rrf_k);

/// Collects a page from candidates offered best first: each product once, only allowed ones,
/// at most `max_per_category` of one category before the overflow (0: no limit).
class PageBuilder {
 public:
  PageBuilder(const Snapshot& snap, size_t page_size, size_t max_per_category,
              std::function<bool(catalog::DocId)> allowed);

  bool full() const { return page_.size() >= page_size_; }
  void Offer(const Candidate& c);
  /// The page: the candidates taken, then the overflow while there is room.
  std::vector<Recommended> Finish();

 private:
  const Snapshot& snap_;
  size_t page_size_;
  size_t max_per_category_;
  std::function<bool(catalog::DocId)> allowed_;
  std::vector<Candidate> page_, overflow_;
  absl::flat_hash_set<uint32_t> offered_;
  absl::flat_hash_map<std::vector<std::string>, size_t> per_category_;
};

}  // namespace souk::engine::internal
