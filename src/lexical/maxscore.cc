// MaxScore dynamic pruning (Turtle & Flood, "Query evaluation: strategies and optimizations",
// IP&M 31(6), 1995), document-at-a-time as in PISA's maxscore_query:
// cursors are sorted by their score upper bound; the lists whose bounds together cannot beat the
// top-k threshold are "non-essential": a document that appears only there cannot enter the
// top k, so candidates come from the essential lists alone, and the non-essential lists are
// only probed (galloping NextGeq) while the candidate can still make it.

#include <algorithm>

#include "query_internal.h"
#include "souk/lexical/topk_queue.h"

namespace souk::lexical::internal {
namespace {

// True when a document whose score is at most `bound` may still enter `top` (whose threshold is
// -infinity until it holds k). Scores are summed in double and entered as float; if bound <=
// threshold then float(score) <= threshold too, since rounding is monotone. The slack covers
// double rounding differences between summation orders (relative 1e-15 at most).
bool MayEnter(const TopKQueue& top, double bound) {
  return bound * (1.0 + 1e-12) > static_cast<double>(top.threshold());
}

}  // namespace

std::vector<Hit> MaxScoreTopK(std::span<PostingCursor> cursors, const DocFilter* filter, size_t k) {
  TopKQueue top(k);
  if (k == 0 || cursors.empty()) return top.Finalize();
  std::sort(cursors.begin(), cursors.end(), [](const PostingCursor& a, const PostingCursor& b) {
    return a.max_score() < b.max_score();
  });
  const size_t n = cursors.size();
  // upper[i]: bound on what cursors 0..i can add together.
  absl::InlinedVector<double, 8> upper(n);
  double sum = 0;
  for (size_t i = 0; i < n; ++i) upper[i] = sum += cursors[i].max_score();

  size_t first_essential = 0;
  uint32_t doc = kEndDoc;
  for (const PostingCursor& c : cursors) doc = std::min(doc, c.Doc());
  while (first_essential < n && doc != kEndDoc) {
    uint32_t next = kEndDoc;
    if (filter != nullptr && !filter->Contains(catalog::DocId(doc))) {
      for (size_t i = first_essential; i < n; ++i) {
        if (cursors[i].Doc() == doc) cursors[i].Next();
        next = std::min(next, cursors[i].Doc());
      }
      doc = next;
      continue;
    }
    // ---- essential lists: score and advance ----
    double score = 0;
    for (size_t i = first_essential; i < n; ++i) {
      if (cursors[i].Doc() == doc) {
        score += cursors[i].Score();
        cursors[i].Next();
      }
      next = std::min(next, cursors[i].Doc());
    }
    // ---- non-essential lists, largest bound first, while the document can still enter ----
    for (size_t i = first_essential; i-- > 0;) {
      if (!MayEnter(top, score + upper[i])) break;
      cursors[i].NextGeq(doc);
      if (cursors[i].Doc() == doc) score += cursors[i].Score();
    }
    // ---- offer; a higher threshold may turn more lists non-essential ----
    const float final_score = static_cast<float>(score);
    if (top.WouldEnter(final_score)) {
      top.Insert(final_score, catalog::DocId(doc));
      while (first_essential < n && !MayEnter(top, upper[first_essential])) ++first_essential;
    }
    doc = next;
  }
  return top.Finalize();
}

}  // namespace souk::lexical::internal
