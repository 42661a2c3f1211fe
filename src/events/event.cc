#include "souk/events/event.h"

namespace souk::events {

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kSearch:
      return "search";
    case EventType::kImpression:
      return "impression";
    case EventType::kClick:
      return "click";
    case EventType::kAddToCart:
      return "add_to_cart";
    case EventType::kPurchase:
      return "purchase";
    case EventType::kReview:
      return "review";
  }
  return "unknown";
}

std::optional<EventType> EventTypeNamed(std::string_view name) {
  for (EventType type : {EventType::kSearch, EventType::kImpression, EventType::kClick,
                         EventType::kAddToCart, EventType::kPurchase, EventType::kReview}) {
    if (EventTypeName(type) == name) return type;
  }
  return std::nullopt;
}

}  // namespace souk::events
