#include "souk/events/event_jsonl.h"

#include "nlohmann/json.hpp"

namespace souk::events {

std::string EventJsonLine(const Event& e) {
  nlohmann::ordered_json j;
  j["event_id"] = e.event_id;
  // Floor, also before 1970 (validation keeps timestamps after 2000 anyway).
  j["ts"] = e.timestamp_ms >= 0 ? e.timestamp_ms / 1000 : -((-e.timestamp_ms + 999) / 1000);
  j["type"] = std::string(EventTypeName(e.type));
  j["user_id"] = e.user_id;
  j["session_id"] = e.session_id;
  if (!e.request_id.empty()) j["request_id"] = e.request_id;
  switch (e.type) {
    case EventType::kSearch:
      j["query"] = e.query;
      break;
    case EventType::kImpression:
      j["product_ids"] = e.product_ids;
      break;
    case EventType::kClick:
    case EventType::kAddToCart:
    case EventType::kPurchase:
      j["product_id"] = e.product_id;
      if (e.position > 0) j["position"] = e.position;
      if (e.type != EventType::kClick) j["quantity"] = e.quantity;
      if (e.type == EventType::kPurchase) j["price"] = e.unit_price;
      break;
    case EventType::kReview:
      j["product_id"] = e.product_id;
      j["rating"] = e.rating;
      j["text"] = e.text;
      break;
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace souk::events
