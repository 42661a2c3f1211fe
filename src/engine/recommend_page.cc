#include <utility>

#include "recommend_page_internal.h"
#include "souk/engine/rank_fusion.h"

namespace souk::engine::internal {

std::string SourceName(uint8_t bits) {
  static constexpr std::pair<SourceBit, const char*> kNames[] = {
      {kSequential, "sequential"},
      {kCoVisitation, "co-visitation"},
      {kBoughtTogether, "bought-together"},
      {kContent, "content"},
      {kTrending, "trending"},
      {kCatalog, "catalog"}};
  std::string name;
  for (const auto& [bit, text] : kNames) {
    if ((bits & bit) == 0) continue;
    if (!name.empty()) name += '+';
    name += text;
  }
  return name;
}

std::vector<Candidate> Merge(const std::vector<SourceList>& lists, double rrf_k) {
  std::vector<std::vector<catalog::DocId>> docs;
  absl::flat_hash_map<uint32_t, uint8_t> sources;
  for (const SourceList& list : lists) {
    docs.push_back(list.docs);
    for (const catalog::DocId doc : list.docs) sources[doc.value()] |= list.source;
  }
  std::vector<Candidate> merged;
  for (const FusedDoc& fused : FuseReciprocalRank(docs, rrf_k)) {
    merged.push_back({fused.doc, static_cast<float>(fused.score), sources[fused.doc.value()]});
  }
  return merged;
}

PageBuilder::PageBuilder(const Snapshot& snap, size_t page_size, size_t max_per_category,
                         std::function<bool(catalog::DocId)> allowed)
    : snap_(snap),
      page_size_(page_size),
      max_per_category_(max_per_category),
      allowed_(std::move(allowed)) {}

void PageBuilder::Offer(const Candidate& c) {
  if (full() || !offered_.insert(c.doc.value()).second || !allowed_(c.doc)) return;
  size_t& shown = per_category_[snap_.catalog().product(c.doc).category_path];
  if (max_per_category_ > 0 && shown >= max_per_category_) {
    overflow_.push_back(c);
    return;
  }
  ++shown;
  page_.push_back(c);
}

std::vector<Recommended> PageBuilder::Finish() {
  for (const Candidate& c : overflow_) {
    if (full()) break;
    page_.push_back(c);
  }
  std::vector<Recommended> items;
  for (const Candidate& c : page_) {
    items.push_back({c.doc, &snap_.catalog().product(c.doc), c.score, SourceName(c.sources)});
  }
  return items;
}

}  // namespace souk::engine::internal
