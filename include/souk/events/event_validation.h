// Validation of one incoming Event before it may enter the log: every check of the type's
// fields (event.h's table), bounds on sizes and values, and the products it names against the
// serving catalog. A rejected event gets one message naming the field and what is wrong, and
// is never stored; the rest of its batch goes on.
//
// Users are not checked against a list: a shop's backend owns its accounts, and a first event
// from a new user is normal. A user id must be present and well-formed.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "souk/events/event.h"

namespace souk::events {

struct EventLimits {
  /// Events dated further ahead of the server's clock are refused (client clocks drift a
  /// little; a timestamp in the future beyond that is a bug in the sender).
  int64_t max_future_skew_ms = 5 * 60 * 1000;
  /// Events dated before this are refused (2000-01-01T00:00:00Z: seconds sent as milliseconds
  /// land in 1970).
  int64_t min_timestamp_ms = 946684800000;
  size_t max_id_bytes = 128;        ///< event, user, session, request and product ids.
  size_t max_query_bytes = 1024;    ///< A search's query.
  size_t max_text_bytes = 16384;    ///< A review's text.
  size_t max_page_products = 1000;  ///< Products of one impression.
  int32_t max_quantity = 100000;
  double max_unit_price = 1e9;

  absl::Status Validate() const;
};

/// INVALID_ARGUMENT naming the field for the first problem of `event`. `now_ms` is the
/// server's clock; `known_product(id)` says whether the catalog holds product `id`.
absl::Status ValidateEvent(const Event& event, const EventLimits& limits, int64_t now_ms,
                           absl::FunctionRef<bool(std::string_view)> known_product);

}  // namespace souk::events
