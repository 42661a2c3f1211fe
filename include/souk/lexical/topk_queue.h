// TopKQueue: the k best (score, DocId) pairs offered so far, kept as a binary heap whose top is
// the worst of them (the model is PISA's include/pisa/topk_queue.hpp).
//
// Order: higher score first; equal scores rank the smaller DocId first (RanksBefore in hit.h).
// threshold() is the score of the worst kept entry once k are kept, -infinity before: dynamic
// pruning (MaxScore) skips a document whose score upper bound cannot beat it.
//
// Not thread-safe; one queue per query. Allocates once (k entries) at construction.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "souk/lexical/hit.h"

namespace souk::lexical {

class TopKQueue {
 public:
  explicit TopKQueue(size_t k) : k_(k), threshold_(InitialThreshold(k)) { entries_.reserve(k); }

  /// Offers a document; returns true when it is now among the k best.
  bool Insert(float score, catalog::DocId doc) {
    const Hit hit{doc, score};
    if (entries_.size() < k_) {
      entries_.push_back(hit);
      std::push_heap(entries_.begin(), entries_.end(), Order{});
      if (entries_.size() == k_) threshold_ = entries_.front().score;
      return true;
    }
    if (k_ == 0 || !RanksBefore(hit, entries_.front())) return false;
    std::pop_heap(entries_.begin(), entries_.end(), Order{});
    entries_.back() = hit;
    std::push_heap(entries_.begin(), entries_.end(), Order{});
    threshold_ = entries_.front().score;
    return true;
  }

  /// True when a document scoring `score`, with a DocId larger than every one offered so far,
  /// would enter. Document-at-a-time traversal offers DocIds in increasing order, so a tie with
  /// the threshold loses.
  bool WouldEnter(float score) const { return entries_.size() < k_ || score > threshold_; }

  /// Score of the worst kept entry when k are kept; -infinity before (+infinity when k = 0).
  float threshold() const { return threshold_; }
  size_t size() const { return entries_.size(); }
  size_t capacity() const { return k_; }

  /// The kept entries, best first. Leaves the queue empty.
  std::vector<Hit> Finalize() {
    std::sort_heap(entries_.begin(), entries_.end(), Order{});
    std::vector<Hit> out = std::move(entries_);
    entries_.clear();
    threshold_ = InitialThreshold(k_);
    return out;
  }

 private:
  // A function object rather than a function pointer, so that the heap algorithms inline it.
  struct Order {
    bool operator()(const Hit& a, const Hit& b) const { return RanksBefore(a, b); }
  };

  static float InitialThreshold(size_t k) {
    return k == 0 ? std::numeric_limits<float>::infinity()
                  : -std::numeric_limits<float>::infinity();
  }

  size_t k_;
  float threshold_;
  std::vector<Hit> entries_;  // heap under RanksBefore: front() is the worst kept entry
};

}  // namespace souk::lexical
