#include "souk/events/business_metrics.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "souk/base/str_cat.h"

namespace souk::events {
namespace {

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// Events are dated after 2000 (validation), so plain division floors.
int64_t HourOf(int64_t ms) { return ms / kHourMs; }
int64_t DayOf(int64_t ms) { return ms / kDayMs; }
int64_t EndHour(int64_t to_ms) { return (to_ms + kHourMs - 1) / kHourMs; }
int64_t EndDay(int64_t to_ms) { return (to_ms + kDayMs - 1) / kDayMs; }

// A session is one user's (ids are the shop's, unique per user at least); an event without a
// session id is a session of its own.
std::string SessionKey(const Event& e) {
  return e.session_id.empty() ? StrCat("\x1f", e.event_id)
                              : StrCat(e.user_id, "\x1f", e.session_id);
}

absl::string_view Key(const std::string& s) { return absl::string_view(s.data(), s.size()); }

void Add(OutcomeCounts* sum, const OutcomeCounts& c) {
  sum->searches += c.searches;
  sum->impressions += c.impressions;
  sum->clicks += c.clicks;
  sum->add_to_carts += c.add_to_carts;
  sum->purchases += c.purchases;
  sum->units += c.units;
  sum->revenue += c.revenue;
}

bool In(int64_t value, int64_t from, int64_t to) { return value >= from && value < to; }

VariantReport ReportOf(std::string variant, const OutcomeCounts& c) {
  VariantReport r{.variant = std::move(variant), .counts = c};
  r.click_through = WilsonInterval(std::min(c.clicks, c.impressions), c.impressions);
  r.add_to_cart = WilsonInterval(c.carted_sessions, c.sessions);
  r.conversion = WilsonInterval(c.converted_sessions, c.sessions);
  r.repeat_purchase = WilsonInterval(c.repeat_purchasers, c.purchasing_users);
  r.returning_users = WilsonInterval(c.returning_users, c.active_users);
  r.revenue_per_search = c.searches == 0 ? 0 : c.revenue / static_cast<double>(c.searches);
  r.purchases_per_impression =
      c.impressions == 0 ? 0
                         : static_cast<double>(c.purchases) / static_cast<double>(c.impressions);
  return r;
}

}  // namespace

BusinessMetrics::BusinessMetrics(TrafficSplit split)
    : split_(std::move(split)), hours_(split_.size()) {}

void BusinessMetrics::Apply(const Event& event) {
  const auto variant = static_cast<uint32_t>(split_.VariantOf(event.user_id));
  std::lock_guard<std::mutex> lock(mutex_);
  CountEvent(variant, HourOf(event.timestamp_ms), event);
  CountSession(variant, HourOf(event.timestamp_ms), event);
  CountUser(variant, DayOf(event.timestamp_ms), event);
}

void BusinessMetrics::CountEvent(uint32_t variant, int64_t hour, const Event& e) {
  OutcomeCounts& c = hours_[variant][hour];
  switch (e.type) {
    case EventType::kSearch:
      ++c.searches;
      break;
    case EventType::kImpression:
      c.impressions += e.product_ids.size();
      break;
    case EventType::kClick:
      ++c.clicks;
      break;
    case EventType::kAddToCart:
      ++c.add_to_carts;
      break;
    case EventType::kPurchase:
      ++c.purchases;
      c.units += static_cast<uint64_t>(e.quantity);
      c.revenue += e.quantity * e.unit_price;
      break;
    case EventType::kReview:
      break;
  }
}

void BusinessMetrics::CountSession(uint32_t variant, int64_t hour, const Event& e) {
  int64_t Session::*field = nullptr;
  if (e.type == EventType::kSearch) field = &Session::first_search_hour;
  if (e.type == EventType::kAddToCart) field = &Session::cart_hour;
  if (e.type == EventType::kPurchase) field = &Session::purchase_hour;
  if (field == nullptr) return;
  Session& s = sessions_[Key(SessionKey(e))];
  s.variant = variant;
  // The earliest of each: events may arrive out of order.
  if (s.*field == INT64_MIN || hour < s.*field) s.*field = hour;
}

void BusinessMetrics::CountUser(uint32_t variant, int64_t day, const Event& e) {
  if (e.type == EventType::kImpression) return;  // shown, not an action of the user
  User& u = users_[Key(e.user_id)];
  u.variant = variant;
  const auto at = std::lower_bound(u.active_days.begin(), u.active_days.end(), day);
  if (at == u.active_days.end() || *at != day) u.active_days.insert(at, day);
  if (e.type != EventType::kPurchase) return;
  const Purchase p{day, absl::Hash<std::string>()(SessionKey(e))};
  const auto later =
      std::upper_bound(u.purchases.begin(), u.purchases.end(), p,
                       [](const Purchase& a, const Purchase& b) { return a.day < b.day; });
  u.purchases.insert(later, p);
}

void BusinessMetrics::AddSessions(int64_t from_hour, int64_t to_hour,
                                  std::vector<OutcomeCounts>* out) const {
  for (const auto& [key, s] : sessions_) {
    if (s.first_search_hour == INT64_MIN || !In(s.first_search_hour, from_hour, to_hour)) continue;
    OutcomeCounts& c = (*out)[s.variant];
    ++c.sessions;
    c.carted_sessions += s.cart_hour != INT64_MIN;
    c.converted_sessions += s.purchase_hour != INT64_MIN;
  }
}

void BusinessMetrics::AddUsers(int64_t from_day, int64_t to_day,
                               std::vector<OutcomeCounts>* out) const {
  for (const auto& [key, u] : users_) {
    const auto first_in = std::lower_bound(u.active_days.begin(), u.active_days.end(), from_day);
    if (first_in == u.active_days.end() || *first_in >= to_day) continue;
    OutcomeCounts& c = (*out)[u.variant];
    ++c.active_users;
    c.returning_users += first_in != u.active_days.begin();
    bool bought_in_window = false;
    absl::flat_hash_set<uint64_t> sessions_so_far;
    for (const Purchase& p : u.purchases) {
      if (p.day >= to_day) break;
      sessions_so_far.insert(p.session);
      bought_in_window |= p.day >= from_day;
    }
    if (!bought_in_window) continue;
    ++c.purchasing_users;
    c.repeat_purchasers += sessions_so_far.size() >= 2;
  }
}

std::vector<VariantReport> BusinessMetrics::Report(int64_t from_ms, int64_t to_ms) const {
  std::vector<OutcomeCounts> counts(split_.size());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t from_hour = HourOf(from_ms), to_hour = EndHour(to_ms);
    for (size_t v = 0; v < split_.size(); ++v) {
      for (auto it = hours_[v].lower_bound(from_hour); it != hours_[v].end() && it->first < to_hour;
           ++it) {
        Add(&counts[v], it->second);
      }
    }
    AddSessions(from_hour, to_hour, &counts);
    AddUsers(DayOf(from_ms), EndDay(to_ms), &counts);
  }
  std::vector<VariantReport> reports;
  for (size_t v = 0; v < split_.size(); ++v) reports.push_back(ReportOf(split_.name(v), counts[v]));
  return reports;
}

}  // namespace souk::events
