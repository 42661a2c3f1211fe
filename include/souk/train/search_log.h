// A logged search as training reads it: the query, the page the shop showed, and what the user
// did with it, from a demo shop events.jsonl (docs/formats/demo-shop.md; FeedbackService events
// have the same keys).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace souk::train {

/// The user's best response to one shown product of one search.
struct LoggedOutcome {
  std::string product;
  int position = 0;  ///< 1-based place on the shown page; 0 when unknown.
  int grade = 0;     ///< 1 click, 2 add-to-cart, 3 purchase (the highest reached).
};

struct LoggedSearch {
  std::string request_id;
  std::string query;  ///< AsciiLowerCollapsingBlanks of the typed query; never empty.
  std::vector<std::string> shown{};  ///< The page, position k at index k - 1; empty if not logged.
  std::vector<LoggedOutcome> outcomes{};  ///< One per product clicked, carted or bought.
  std::string user_id{};                  ///< Empty when the event had none.
  std::string session_id{};               ///< Empty when the event had none.
  int64_t ts = 0;                         ///< Unix seconds; 0 when the event had none.
};

/// The searches of an events file in log order; searches whose normalized query is empty are
/// left out. Errors name the file and line: bad JSON, an event without a string `type`, a search
/// without string `request_id` and `query` or with a `user_id` or `session_id` that is not a
/// string or a `ts` that is not an integer, an impression without `request_id` and an array of
/// string `product_ids`, a click, cart or purchase without string `request_id` and `product_id`
/// or with a `position` that is not an integer 1..1000000. Events whose request_id no earlier
/// search had are skipped. An outcome without `position` takes its place on the shown page, if
/// there.
absl::StatusOr<std::vector<LoggedSearch>> ReadSearchLog(const std::string& events_path);

}  // namespace souk::train
