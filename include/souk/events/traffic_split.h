// TrafficSplit: which variant of an A/B test a user gets.
//
// The user id and the experiment's salt are hashed (64-bit FNV-1a: the same on every machine,
// version and restart, unlike std::hash) into 10,000 buckets, which the variants share in
// proportion to their weights. A user keeps their variant for as long as the variants, weights
// and salt stay the same; changing the salt reshuffles everyone (a new experiment). Searches
// and events without a user id go to the first variant (the control).
//
// Serving uses the split to pick each request's ranker; the business metrics use the same split
// to attribute each event to the variant its user saw.
//
// Thread-safety: immutable after Create.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace souk::events {

struct VariantWeight {
  std::string name{};
  double weight = 1;  ///< Relative share of the traffic, > 0.
};

class TrafficSplit {
 public:
  static constexpr uint32_t kBuckets = 10000;

  /// INVALID_ARGUMENT for no variants, an empty or repeated name, or a weight that is not
  /// positive and finite.
  static absl::StatusOr<TrafficSplit> Create(std::vector<VariantWeight> variants, std::string salt);
  /// One variant taking all traffic.
  static TrafficSplit Single(std::string name);

  /// The index of `user_id`'s variant.
  size_t VariantOf(std::string_view user_id) const;
  const std::string& name(size_t variant) const { return variants_[variant].name; }
  size_t size() const { return variants_.size(); }
  /// The bucket 0..kBuckets-1 of `user_id` (exposed for tests and diagnostics).
  uint32_t BucketOf(std::string_view user_id) const;

 private:
  TrafficSplit() = default;

  std::vector<VariantWeight> variants_;
  std::vector<uint32_t> bucket_end_;  ///< Variant i takes buckets [end[i-1], end[i]).
  std::string salt_;
};

}  // namespace souk::events
