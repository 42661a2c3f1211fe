// BusinessMetrics: the shop's outcomes per A/B variant over a time window, counted from events:
// what a merchant reads (click-through, add-to-cart and conversion rates, revenue per search)
// and what loyalty looks like (repeat purchases, returning users).
//
// Attribution: an event counts for the variant TrafficSplit gives its user (the variant that
// served the user's searches). Windows: event counts are kept per hour of the events' own
// times; users' activity per day. Definitions (docs/feedback.md, "Business metrics"):
//   searches        search events                 impressions  products shown (page lengths)
//   sessions        sessions with a search (by the hour of their first search)
//   converted       of those, sessions with a purchase
//   click_through   clicks / impressions          conversion   converted / sessions
//   add_to_cart     sessions with a cart line / sessions
//   revenue_per_search  revenue / searches
//   returning users  users active in the window who were active on a day before it
//   repeat purchasers  users with a purchase in the window and one in an earlier session
// Events without a session id count each as their own session.
//
// Memory: per variant and hour a few counters; per session and per user a small record, kept
// for the process's lifetime (rebuilt from the log on start).
//
// Thread-safety: Apply and Report may run on many threads at once (one lock). Report walks
// every session and user under it: milliseconds for a shop of a million users, so scrape
// seconds apart, not per request.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "souk/base/confidence.h"
#include "souk/events/event.h"
#include "souk/events/traffic_split.h"

namespace souk::events {

/// Raw counts of one variant in one window.
struct OutcomeCounts {
  uint64_t searches = 0;
  uint64_t impressions = 0;
  uint64_t clicks = 0;
  uint64_t add_to_carts = 0;
  uint64_t purchases = 0;  ///< Purchase events (order lines).
  uint64_t units = 0;
  double revenue = 0;
  uint64_t sessions = 0;            ///< With at least one search.
  uint64_t carted_sessions = 0;     ///< Of those, with an add-to-cart.
  uint64_t converted_sessions = 0;  ///< Of those, with a purchase.
  uint64_t active_users = 0;
  uint64_t returning_users = 0;
  uint64_t purchasing_users = 0;
  uint64_t repeat_purchasers = 0;
};

struct VariantReport {
  std::string variant{};
  OutcomeCounts counts{};
  Interval click_through{};    ///< clicks / impressions
  Interval add_to_cart{};      ///< carted_sessions / sessions
  Interval conversion{};       ///< converted_sessions / sessions
  Interval repeat_purchase{};  ///< repeat_purchasers / purchasing_users
  Interval returning_users{};  ///< returning_users / active_users
  double revenue_per_search = 0;
  double purchases_per_impression = 0;
};

class BusinessMetrics {
 public:
  explicit BusinessMetrics(TrafficSplit split);

  void Apply(const Event& event);
  /// One report per variant, in the split's order, over events at [from_ms, to_ms).
  std::vector<VariantReport> Report(int64_t from_ms, int64_t to_ms) const;
  const TrafficSplit& split() const { return split_; }

 private:
  struct Session {
    uint32_t variant = 0;
    int64_t first_search_hour = INT64_MIN;  ///< INT64_MIN: no search yet.
    int64_t cart_hour = INT64_MIN;
    int64_t purchase_hour = INT64_MIN;
  };
  struct Purchase {
    int64_t day = 0;
    uint64_t session = 0;  ///< Hash of the session key.
  };
  struct User {
    uint32_t variant = 0;
    std::vector<int64_t> active_days;  ///< Sorted, distinct.
    std::vector<Purchase> purchases;   ///< In time order.
  };
  using HourCounts = std::map<int64_t, OutcomeCounts>;  ///< Hour -> event counts.

  void CountEvent(uint32_t variant, int64_t hour, const Event& event);
  void CountSession(uint32_t variant, int64_t hour, const Event& event);
  void CountUser(uint32_t variant, int64_t day, const Event& event);
  void AddSessions(int64_t from_hour, int64_t to_hour, std::vector<OutcomeCounts>* out) const;
  void AddUsers(int64_t from_day, int64_t to_day, std::vector<OutcomeCounts>* out) const;

  TrafficSplit split_;
  mutable std::mutex mutex_;       ///< Guards everything below.
  std::vector<HourCounts> hours_;  ///< Per variant.
  absl::flat_hash_map<std::string, Session> sessions_;
  absl::flat_hash_map<std::string, User> users_;
};

}  // namespace souk::events
