// ShopSimulator: the demo shop's users, with their hidden tastes, shopping against a live
// ranking: what `souk simulate` drives a server with to measure one ranker against another.
//
// It rebuilds the shop's world (catalog, brands, users) from the options its manifest records,
// plans sessions over a window (users by activity, hours by the day profile), and runs them one
// by one as the generator does (docs/demo-shop.md: intents, queries with typos, the
// position-based click model, carts, purchases, repurchases, reviews), except that each page
// comes from `search`, the ranking under test, instead of the logging policy. Each session
// comes back as FeedbackService events (with the answers' request ids) and its outcome.
//
// Every session draws from its own random stream (the seed and its number), so one variant's
// pages never change the draws of another session: variants are compared on the same users
// with the same randomness. The window should end before now (reviews and checkouts fall inside
// it, never in the future). Event and session ids carry a random run id, so two runs never collide
// in a log.
//
// Thread-safety: one simulator per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/eval/demo_shop.h"
#include "souk/events/event.h"

namespace souk::eval {

/// What the ranking under test showed for one query.
struct ShownPage {
  std::string request_id{};
  std::vector<std::string> product_ids{};  ///< Display order; ids the shop lacks are skipped.
  std::string variant{};                   ///< The A/B variant that ranked it, if any.
};

using SearchFunction =
    std::function<absl::StatusOr<ShownPage>(const std::string& user_id, const std::string& query)>;

struct SimulatedSession {
  std::string variant;                // of the session's first search
  std::vector<events::Event> events;  // in time order
  size_t searches = 0;
  size_t impressions = 0;  ///< Products shown.
  size_t clicks = 0;
  bool carted = false;
  bool purchased = false;
  double revenue = 0;
};

struct SimulationOptions {
  uint64_t seed = 1;         ///< Which users come when, and what they do.
  size_t sessions = 10000;   ///< Sessions planned over the window.
  int64_t start_unix_s = 0;  ///< First second of the window.
  int days = 1;              ///< Its length.

  absl::Status Validate() const;
};

class ShopSimulator {
 public:
  static absl::StatusOr<std::unique_ptr<ShopSimulator>> Create(const DemoShopOptions& shop,
                                                               const SimulationOptions& options);
  ~ShopSimulator();

  /// Runs the next planned session with `search` showing the pages. OUT_OF_RANGE when every
  /// planned session has run; `search`'s error as it is.
  absl::StatusOr<SimulatedSession> Next(const SearchFunction& search);

 private:
  class Impl;
  explicit ShopSimulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::eval
