// Events as JSON lines in the demo shop's events.jsonl layout (docs/formats/demo-shop.md): what
// `souk events export` writes, and what the training tools read (train/search_log.h), so logged
// events and generated ones flow through the same pipeline.
//
// Keys: event_id, ts (unix seconds, rounded down from timestamp_ms), type, user_id, session_id,
// then the type's keys in the demo shop's order (request_id, query, product_ids, product_id,
// position, quantity, price, rating, text); optional ones (a cart's request_id, position 0) are
// left out when unset.
//
// Reading is the inverse: timestamp_ms = ts x 1000, missing keys take the Event defaults.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/events/event.h"

namespace souk::events {

/// One line, '\n'-terminated.
std::string EventJsonLine(const Event& event);

/// The event of one line; INVALID_ARGUMENT naming the key for a line that is not a JSON object,
/// lacks an integer `ts` or a known `type`, or holds a key of the wrong JSON type. The event is
/// not validated (events/event_validation.h).
absl::StatusOr<Event> ParseEventJsonLine(std::string_view line);

/// The events of an events.jsonl file in file order, blank lines skipped; errors name the file
/// and line.
absl::StatusOr<std::vector<Event>> ReadEventsJsonl(const std::string& path);

}  // namespace souk::events
