// Event: one thing a shopper did, as FeedbackService.LogEvents receives it and the event log
// keeps it: a search, the page shown for it (impression), a click, an add-to-cart, a purchase,
// a review.
//
// One flat value for every type; each type reads only its own fields (the table below, and
// docs/formats/event-log.md). The fields mirror the demo shop's events.jsonl, so the same
// events flow from the generator, the simulator and a shop's backend.
//
//   search       request_id, query
//   impression   request_id, product_ids
//   click        request_id, product_id, position (1..)
//   add_to_cart  product_id, quantity (1..); request_id and position optional
//   purchase     product_id, quantity (1..), unit_price (>= 0); request_id and position optional
//   review       product_id, rating (1..5), text (any)
//
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace souk::events {

enum class EventType : uint8_t {
  kSearch = 1,
  kImpression = 2,
  kClick = 3,
  kAddToCart = 4,
  kPurchase = 5,
  kReview = 6,
};

/// "search", "impression", "click", "add_to_cart", "purchase", "review".
std::string_view EventTypeName(EventType type);
/// The type named `name` (EventTypeName's inverse); nullopt for any other string.
std::optional<EventType> EventTypeNamed(std::string_view name);

struct Event {
  // Every member has an initializer, so events can be written with designated initializers.
  std::string event_id{};    ///< Client-chosen and unique; a retry with the same id is ignored.
  int64_t timestamp_ms = 0;  ///< Unix milliseconds, when it happened.
  std::string user_id{};
  std::string session_id{};  ///< May be empty.
  EventType type = EventType::kClick;
  std::string request_id{};  ///< The Search/Recommend answer the event is about.
  std::string query{};
  std::vector<std::string> product_ids{};  ///< An impression's page, position k at k - 1.
  std::string product_id{};
  int32_t position = 0;  ///< 1-based place on the request's page; 0 when unknown.
  int32_t quantity = 0;
  double unit_price = 0;
  int32_t rating = 0;
  std::string text{};

  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace souk::events
