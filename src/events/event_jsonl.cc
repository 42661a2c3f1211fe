#include "souk/events/event_jsonl.h"

#include <cstdint>
#include <limits>
#include <optional>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::events {
namespace {

absl::Status WrongType(const char* key, const char* expected) {
  return absl::InvalidArgumentError(StrCat("\"", key, "\" must be ", expected));
}

// Reads `key` into `out` when present; an error when it has another JSON type.
absl::Status Get(const nlohmann::json& j, const char* key, std::string* out) {
  const auto it = j.find(key);
  if (it == j.end()) return absl::OkStatus();
  if (!it->is_string()) return WrongType(key, "a string");
  *out = it->get<std::string>();
  return absl::OkStatus();
}

template <typename Int>
absl::Status Get(const nlohmann::json& j, const char* key, Int* out) {
  const auto it = j.find(key);
  if (it == j.end()) return absl::OkStatus();
  if (!it->is_number_integer()) return WrongType(key, "an integer");
  const int64_t value = it->get<int64_t>();
  if (value < std::numeric_limits<Int>::min() || value > std::numeric_limits<Int>::max()) {
    return WrongType(key, "an integer in range");
  }
  *out = static_cast<Int>(value);
  return absl::OkStatus();
}

absl::Status Get(const nlohmann::json& j, const char* key, double* out) {
  const auto it = j.find(key);
  if (it == j.end()) return absl::OkStatus();
  if (!it->is_number()) return WrongType(key, "a number");
  *out = it->get<double>();
  return absl::OkStatus();
}

absl::Status Get(const nlohmann::json& j, const char* key, std::vector<std::string>* out) {
  const auto it = j.find(key);
  if (it == j.end()) return absl::OkStatus();
  if (!it->is_array()) return WrongType(key, "an array of strings");
  for (const auto& item : *it) {
    if (!item.is_string()) return WrongType(key, "an array of strings");
    out->push_back(item.get<std::string>());
  }
  return absl::OkStatus();
}

}  // namespace

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

absl::StatusOr<Event> ParseEventJsonLine(std::string_view line) {
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return absl::InvalidArgumentError("not a JSON object");
  Event e;
  std::string type;
  SOUK_RETURN_IF_ERROR(Get(j, "type", &type));
  const std::optional<EventType> known = EventTypeNamed(type);
  if (!known)
    return absl::InvalidArgumentError(StrCat("\"type\": unknown event type '", type, "'"));
  e.type = *known;
  if (!j.contains("ts")) return absl::InvalidArgumentError("\"ts\" is missing");
  int64_t ts = 0;
  SOUK_RETURN_IF_ERROR(Get(j, "ts", &ts));
  if (ts > INT64_MAX / 1000 || ts < INT64_MIN / 1000) return WrongType("ts", "unix seconds");
  e.timestamp_ms = ts * 1000;
  SOUK_RETURN_IF_ERROR(Get(j, "event_id", &e.event_id));
  SOUK_RETURN_IF_ERROR(Get(j, "user_id", &e.user_id));
  SOUK_RETURN_IF_ERROR(Get(j, "session_id", &e.session_id));
  SOUK_RETURN_IF_ERROR(Get(j, "request_id", &e.request_id));
  SOUK_RETURN_IF_ERROR(Get(j, "query", &e.query));
  SOUK_RETURN_IF_ERROR(Get(j, "product_ids", &e.product_ids));
  SOUK_RETURN_IF_ERROR(Get(j, "product_id", &e.product_id));
  SOUK_RETURN_IF_ERROR(Get(j, "position", &e.position));
  SOUK_RETURN_IF_ERROR(Get(j, "quantity", &e.quantity));
  SOUK_RETURN_IF_ERROR(Get(j, "price", &e.unit_price));
  SOUK_RETURN_IF_ERROR(Get(j, "rating", &e.rating));
  SOUK_RETURN_IF_ERROR(Get(j, "text", &e.text));
  return e;
}

absl::StatusOr<std::vector<Event>> ReadEventsJsonl(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  std::vector<Event> events;
  LineCursor cursor(contents);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (TrimBlanks(line).empty()) continue;
    absl::StatusOr<Event> event = ParseEventJsonLine(line);
    if (!event.ok()) return Annotate(event.status(), StrCat(path, ":", cursor.line_number()));
    events.push_back(*std::move(event));
  }
  return events;
}

}  // namespace souk::events
