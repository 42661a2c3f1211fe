#include "souk/events/event_validation.h"

#include <cmath>

#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"

namespace souk::events {
namespace {

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(field, ": ", what));
}

// Ids travel into TSV exports and log lines: no blanks or control characters in them.
absl::Status CheckId(std::string_view field, std::string_view id, const EventLimits& limits) {
  if (id.empty()) return Invalid(field, "must not be empty");
  if (id.size() > limits.max_id_bytes) {
    return Invalid(field, StrCat("is ", id.size(), " bytes; the limit is ", limits.max_id_bytes));
  }
  for (const char c : id) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return Invalid(field, "holds a blank or control character");
  }
  if (!IsValidUtf8(id)) return Invalid(field, "not valid UTF-8");
  return absl::OkStatus();
}

absl::Status CheckProduct(std::string_view field, std::string_view id, const EventLimits& limits,
                          absl::FunctionRef<bool(std::string_view)> known_product) {
  if (absl::Status s = CheckId(field, id, limits); !s.ok()) return s;
  if (!known_product(id)) return Invalid(field, StrCat("unknown product '", id, "'"));
  return absl::OkStatus();
}

absl::Status CheckText(std::string_view field, std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Invalid(field, StrCat("is ", text.size(), " bytes; the limit is ", max_bytes));
  }
  if (!IsValidUtf8(text)) return Invalid(field, "not valid UTF-8");
  return absl::OkStatus();
}

absl::Status CheckCommon(const Event& e, const EventLimits& limits, int64_t now_ms) {
  if (absl::Status s = CheckId("event_id", e.event_id, limits); !s.ok()) return s;
  if (absl::Status s = CheckId("user_id", e.user_id, limits); !s.ok()) return s;
  if (!e.session_id.empty()) {
    if (absl::Status s = CheckId("session_id", e.session_id, limits); !s.ok()) return s;
  }
  if (e.timestamp_ms < limits.min_timestamp_ms) {
    return Invalid("timestamp_ms", StrCat(e.timestamp_ms, " is before ", limits.min_timestamp_ms,
                                          " (unix milliseconds expected)"));
  }
  if (e.timestamp_ms > now_ms + limits.max_future_skew_ms) {
    return Invalid("timestamp_ms",
                   StrCat(e.timestamp_ms, " is ", e.timestamp_ms - now_ms, " ms in the future"));
  }
  return absl::OkStatus();
}

absl::Status CheckPosition(const Event& e, bool required) {
  if (e.position < 0 || (required && e.position == 0)) {
    return Invalid("position", StrCat(e.position, " is not a 1-based position"));
  }
  return absl::OkStatus();
}

absl::Status CheckQuantity(const Event& e, const EventLimits& limits) {
  if (e.quantity < 1 || e.quantity > limits.max_quantity) {
    return Invalid("quantity", StrCat(e.quantity, " is outside 1..", limits.max_quantity));
  }
  return absl::OkStatus();
}

absl::Status CheckTypeFields(const Event& e, const EventLimits& limits,
                             absl::FunctionRef<bool(std::string_view)> known_product) {
  switch (e.type) {
    case EventType::kSearch:
      if (absl::Status s = CheckId("request_id", e.request_id, limits); !s.ok()) return s;
      if (e.query.empty()) return Invalid("query", "must not be empty");
      return CheckText("query", e.query, limits.max_query_bytes);
    case EventType::kImpression:
      if (absl::Status s = CheckId("request_id", e.request_id, limits); !s.ok()) return s;
      if (e.product_ids.empty()) return Invalid("product_ids", "must not be empty");
      if (e.product_ids.size() > limits.max_page_products) {
        return Invalid("product_ids", StrCat(e.product_ids.size(), " products; the limit is ",
                                             limits.max_page_products));
      }
      for (size_t i = 0; i < e.product_ids.size(); ++i) {
        const std::string field = StrCat("product_ids[", i, "]");
        if (absl::Status s = CheckProduct(field, e.product_ids[i], limits, known_product);
            !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    case EventType::kClick:
      if (absl::Status s = CheckId("request_id", e.request_id, limits); !s.ok()) return s;
      if (absl::Status s = CheckProduct("product_id", e.product_id, limits, known_product);
          !s.ok()) {
        return s;
      }
      return CheckPosition(e, /*required=*/true);
    case EventType::kAddToCart:
    case EventType::kPurchase:
      if (!e.request_id.empty()) {
        if (absl::Status s = CheckId("request_id", e.request_id, limits); !s.ok()) return s;
      }
      if (absl::Status s = CheckProduct("product_id", e.product_id, limits, known_product);
          !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckPosition(e, /*required=*/false); !s.ok()) return s;
      if (absl::Status s = CheckQuantity(e, limits); !s.ok()) return s;
      if (e.type == EventType::kPurchase && (!std::isfinite(e.unit_price) || e.unit_price < 0 ||
                                             e.unit_price > limits.max_unit_price)) {
        return Invalid("unit_price",
                       StrCat(e.unit_price, " is outside 0..", limits.max_unit_price));
      }
      return absl::OkStatus();
    case EventType::kReview:
      if (absl::Status s = CheckProduct("product_id", e.product_id, limits, known_product);
          !s.ok()) {
        return s;
      }
      if (e.rating < 1 || e.rating > 5) {
        return Invalid("rating", StrCat(e.rating, " is outside 1..5"));
      }
      return CheckText("text", e.text, limits.max_text_bytes);
  }
  return Invalid("type", "unknown event type");
}

}  // namespace

absl::Status EventLimits::Validate() const {
  if (max_future_skew_ms < 0) return Invalid("max_future_skew_ms", "must be >= 0");
  if (max_id_bytes == 0) return Invalid("max_id_bytes", "must be > 0");
  if (max_page_products == 0) return Invalid("max_page_products", "must be > 0");
  if (max_quantity < 1) return Invalid("max_quantity", "must be >= 1");
  if (!(max_unit_price > 0)) return Invalid("max_unit_price", "must be > 0");
  return absl::OkStatus();
}

absl::Status ValidateEvent(const Event& event, const EventLimits& limits, int64_t now_ms,
                           absl::FunctionRef<bool(std::string_view)> known_product) {
  if (absl::Status s = CheckCommon(event, limits, now_ms); !s.ok()) return s;
  return CheckTypeFields(event, limits, known_product);
}

}  // namespace souk::events
