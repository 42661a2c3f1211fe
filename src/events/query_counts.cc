#include "souk/events/query_counts.h"

#include <algorithm>
#include <cmath>

#include "absl/hash/hash.h"
#include "souk/text/fold.h"

namespace souk::events {

QueryCounts::QueryCounts(int64_t half_life_ms, size_t max_queries)
    : half_life_ms_(half_life_ms), max_queries_(max_queries) {}

double QueryCounts::DecayedTo(const Entry& entry, int64_t at_ms) const {
  const double elapsed = static_cast<double>(at_ms - entry.as_of_ms);
  return entry.count * std::exp2(-elapsed / static_cast<double>(half_life_ms_));
}

bool QueryCounts::MakeRoom(int64_t at_ms) {
  if (last_sweep_ms_ != INT64_MIN && at_ms - last_sweep_ms_ < half_life_ms_ / 8) return false;
  last_sweep_ms_ = at_ms;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& entry = it->second;
    if (entry.as_of_ms <= at_ms && DecayedTo(entry, at_ms) < kForgottenCount) {
      entries_.erase(it++);
    } else {
      ++it;
    }
  }
  return entries_.size() < max_queries_;
}

void QueryCounts::Add(std::string_view query, std::string_view user_id, int64_t at_ms) {
  std::string folded = text::FoldText(query);
  if (folded.empty()) return;
  const uint64_t user = absl::HashOf(user_id);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(folded);
  if (it == entries_.end()) {
    if (entries_.size() >= max_queries_ && !MakeRoom(at_ms)) return;
    it = entries_.emplace(std::move(folded), Entry{0, at_ms, {}}).first;
  }
  Entry& entry = it->second;
  // Counts are kept as of the newest search; a late one counts as of when it happened.
  if (at_ms >= entry.as_of_ms) {
    entry.count = DecayedTo(entry, at_ms) + 1;
    entry.as_of_ms = at_ms;
  } else {
    entry.count += std::exp2(-static_cast<double>(entry.as_of_ms - at_ms) /
                             static_cast<double>(half_life_ms_));
  }
  if (entry.users.size() < kMaxUsers &&
      std::find(entry.users.begin(), entry.users.end(), user) == entry.users.end()) {
    entry.users.push_back(user);
  }
}

std::vector<QueryCount> QueryCounts::Frequent(size_t min_users, int64_t now_ms) const {
  std::vector<QueryCount> out;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [query, entry] : entries_) {
    if (entry.users.size() < min_users) continue;
    out.push_back({query, now_ms > entry.as_of_ms ? DecayedTo(entry, now_ms) : entry.count,
                   entry.users.size()});
  }
  return out;
}

size_t QueryCounts::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace souk::events
