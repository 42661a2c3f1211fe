// The demo shop: a deterministic synthetic shop (catalog, users with hidden tastes, sessions of
// queries, impressions, clicks, carts, purchases and reviews) written by `souk gen`.
//
// It is Souk's embedded default (make run indexes and serves it) and its hidden tastes let the
// shop simulator measure one ranking against another. The generative model is documented in
// docs/demo-shop.md; the files in docs/formats/demo-shop.md.
//
// Deterministic: the same options (seed included) write byte-identical files on any machine (our
// own PRNG and distributions; no std:: distributions). Each phase (catalog, users, sessions)
// draws from its own stream, so changing num_sessions leaves catalog.jsonl unchanged.
// Thread-safety: GenerateDemoShop is a pure function of its options; calls may run in parallel
// on different output directories.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::eval {

struct DemoShopOptions {
  uint64_t seed = 42;           ///< Everything random derives from this.
  size_t num_products = 20000;  ///< Catalog size, 1..1,000,000.
  size_t num_users = 5000;      ///< Users, each with hidden tastes, 1..1,000,000.
  size_t num_sessions = 30000;  ///< Shopping sessions over all users, 0..1,000,000.
  double chinese_share = 0.5;   ///< Share of products (and of users) whose language is Chinese.
  int days = 90;                ///< Length of the event window, in days.
  /// First second of the event window (default 2024-01-01T00:00:00Z), at most
  /// 253402300799 (9999-12-31T23:59:59Z). Products are listed before it; every event falls
  /// inside [start, start + days).
  int64_t start_unix_s = 1704067200;
  size_t page_size = 10;  ///< Results the logging policy shows per search (positions 1..N).

  /// InvalidArgument naming the first option out of its range. The size bounds keep a run's
  /// memory near 5 GB at most (docs/demo-shop.md, "Sizes and cost").
  absl::Status Validate() const;
};

struct DemoShopSummary {
  size_t products = 0;
  size_t users = 0;
  size_t sessions = 0;
  size_t events = 0;     ///< Lines of events.jsonl.
  size_t purchases = 0;  ///< Purchase events.
  size_t reviews = 0;
  size_t searches = 0;  ///< Search events (each has one impression event).
  size_t clicks = 0;
  size_t add_to_carts = 0;
  size_t repeat_purchases = 0;  ///< Purchases of a product the user had bought before.
  /// Index i counts results shown / clicked at position i + 1 (size page_size).
  std::vector<size_t> impressions_by_position;
  std::vector<size_t> clicks_by_position;
};

/// Writes catalog.jsonl, users.jsonl, product_truth.jsonl, events.jsonl and, last,
/// manifest.json (format version, options, totals) into `out_dir` (created if needed). An old
/// manifest.json there is removed before anything is written, so a failed run leaves none.
/// users.jsonl and product_truth.jsonl hold the hidden ground truth (tastes, qualities) for
/// simulation only: never feed them to a ranker.
absl::StatusOr<DemoShopSummary> GenerateDemoShop(const DemoShopOptions& options,
                                                 const std::string& out_dir);

/// The options a shop directory was generated with, from its manifest.json (which also says
/// the directory is complete). NOT_FOUND without a manifest; INVALID_ARGUMENT naming the file
/// for another format or version, or options missing or of the wrong type.
absl::StatusOr<DemoShopOptions> ReadDemoShopOptions(const std::string& shop_dir);

}  // namespace souk::eval
