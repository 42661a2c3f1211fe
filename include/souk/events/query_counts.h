// QueryCounts: how often shoppers searched each query, for query suggestions. Per query folded
// as suggestions match it (text::FoldText): a count decayed with the aggregates' half-life, and
// the distinct users who searched it, up to kMaxUsers of them, so that a query one shopper typed
// (a name, an order number) is never suggested to others.
//
// Bounded: at most max_queries distinct queries. When a new one would pass the bound, queries
// whose decayed count has fallen below kForgottenCount are dropped first; if none has, the new
// query is not counted. That sweep reads every query, so it runs at most once per eighth of a
// half-life of event time: a full table of fresh queries costs a new query one lookup, not a
// scan of the whole table on the path that logs events.
//
// Thread-safety: Add and Frequent may run on many threads at once (one lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace souk::events {

struct QueryCount {
  std::string query;  ///< folded
  double count = 0;   ///< searches, decayed to the moment asked
  size_t users = 0;   ///< distinct users, at most QueryCounts::kMaxUsers
};

class QueryCounts {
 public:
  static constexpr size_t kMaxUsers = 8;
  static constexpr double kForgottenCount = 0.05;

  QueryCounts(int64_t half_life_ms, size_t max_queries);

  /// One search of `query` by `user_id` at `at_ms`; a query that folds to nothing is ignored.
  void Add(std::string_view query, std::string_view user_id, int64_t at_ms);
  /// Queries searched by at least `min_users` distinct users, counts decayed to `now_ms`.
  std::vector<QueryCount> Frequent(size_t min_users, int64_t now_ms) const;
  size_t size() const;

 private:
  struct Entry {
    double count = 0;
    int64_t as_of_ms = 0;
    std::vector<uint64_t> users;  // hashes of distinct user ids, at most kMaxUsers
  };

  double DecayedTo(const Entry& entry, int64_t at_ms) const;
  // Drops the forgotten queries as of `at_ms`; true when room was made.
  bool MakeRoom(int64_t at_ms);

  int64_t half_life_ms_;
  size_t max_queries_;
  mutable std::mutex mutex_;
  absl::flat_hash_map<std::string, Entry> entries_;  // guarded by mutex_
  int64_t last_sweep_ms_ = INT64_MIN;                // guarded by mutex_; MakeRoom's last sweep
};

}  // namespace souk::events
