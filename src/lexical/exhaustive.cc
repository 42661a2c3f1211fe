// Exhaustive evaluation: every posting of every query term is read. The reference that MaxScore
// must equal, and the pass that collects all matches for facets.

#include <bit>

#include "query_internal.h"
#include "souk/lexical/topk_queue.h"

namespace souk::lexical::internal {
namespace {

bool Passes(const DocFilter* filter, uint32_t doc) {
  return filter == nullptr || filter->Contains(catalog::DocId(doc));
}

}  // namespace

std::vector<Hit> ExhaustiveTopK(std::span<const PostingCursor> cursors, const DocFilter* filter,
                                size_t k, size_t num_docs) {
  std::vector<double> scores(num_docs, 0.0);
  std::vector<uint64_t> matches = MatchingDocs(cursors, filter, num_docs);
  for (PostingCursor c : cursors) {
    for (; c.Doc() != kEndDoc; c.Next()) scores[c.Doc()] += c.Score();
  }
  TopKQueue top(k);
  for (size_t w = 0; w < matches.size(); ++w) {
    for (uint64_t word = matches[w]; word != 0; word &= word - 1) {
      const size_t d = w * 64 + static_cast<size_t>(std::countr_zero(word));
      top.Insert(static_cast<float>(scores[d]), catalog::DocId(static_cast<uint32_t>(d)));
    }
  }
  return top.Finalize();
}

std::vector<uint64_t> MatchingDocs(std::span<const PostingCursor> cursors, const DocFilter* filter,
                                   size_t num_docs) {
  std::vector<uint64_t> matches((num_docs + 63) / 64, 0);
  for (PostingCursor c : cursors) {
    for (; c.Doc() != kEndDoc; c.Next()) {
      const uint32_t d = c.Doc();
      if (Passes(filter, d)) matches[d >> 6] |= uint64_t{1} << (d & 63);
    }
  }
  return matches;
}

}  // namespace souk::lexical::internal
