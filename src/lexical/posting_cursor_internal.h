// PostingCursor: a position in one query term's posting list, with the term's query weight.
//
// Lists end with a sentinel posting (DocId kEndDoc > every DocId, impact 0), so Doc() needs no
// bounds check and a finished cursor simply reports kEndDoc. NextGeq gallops (exponential then
// binary search; Bentley & Yao 1976), which costs O(log gap) when skipping far ahead.
// A plain value; cheap to copy. Valid while the index it points into lives.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace souk::lexical::internal {

class PostingCursor {
 public:
  /// `docs`..`end` are the postings and `end` the sentinel; `impacts` is parallel to `docs`.
  /// `weight` = qtf * idf; `max_score` = weight * the list's largest impact.
  PostingCursor(const uint32_t* docs, const uint32_t* end, const float* impacts, float weight,
                float max_score)
      : doc_(docs), end_(end), impact_(impacts), weight_(weight), max_score_(max_score) {}

  uint32_t Doc() const { return *doc_; }
  /// This term's contribution to the current document's score.
  float Score() const { return weight_ * *impact_; }
  float max_score() const { return max_score_; }
  float weight() const { return weight_; }
  size_t size() const { return static_cast<size_t>(end_ - doc_); }

  void Next() {
    ++doc_;
    ++impact_;
  }

  /// Moves to the first posting with DocId >= target (the sentinel when none).
  void NextGeq(uint32_t target) {
    if (*doc_ >= target) return;
    // Invariant: *lo < target. Gallop until a probe reaches target or the sentinel.
    const uint32_t* lo = doc_;
    const uint32_t* hi = end_;
    for (size_t step = 1;; step *= 2) {
      if (static_cast<size_t>(end_ - lo) <= step) break;
      if (lo[step] >= target) {
        hi = lo + step;
        break;
      }
      lo += step;
    }
    const uint32_t* found = std::lower_bound(lo + 1, hi, target);
    impact_ += found - doc_;
    doc_ = found;
  }

 private:
  const uint32_t* doc_;
  const uint32_t* end_;
  const float* impact_;
  float weight_;
  float max_score_;
};

}  // namespace souk::lexical::internal
