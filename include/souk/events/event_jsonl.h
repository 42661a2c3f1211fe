// Events as JSON lines in the demo shop's events.jsonl layout (docs/formats/demo-shop.md): what
// `souk events export` writes, and what the training tools read (train/search_log.h), so logged
// events and generated ones flow through the same pipeline.
//
// Keys: event_id, ts (unix seconds, rounded down from timestamp_ms), type, user_id, session_id,
// then the type's keys in the demo shop's order (request_id, query, product_ids, product_id,
// position, quantity, price, rating, text); optional ones (a cart's request_id, position 0) are
// left out when unset.
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "souk/events/event.h"

namespace souk::events {

/// One line, '\n'-terminated.
std::string EventJsonLine(const Event& event);

}  // namespace souk::events
