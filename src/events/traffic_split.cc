#include "souk/events/traffic_split.h"

#include <cmath>
#include <set>

#include "souk/base/str_cat.h"

namespace souk::events {
namespace {

// FNV-1a, 64 bits (Fowler, Noll & Vo): simple, fixed, and well spread for short ids.
uint64_t Fnv1a(std::string_view bytes, uint64_t hash = 14695981039346656037ull) {
  for (const char c : bytes) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

absl::StatusOr<TrafficSplit> TrafficSplit::Create(std::vector<VariantWeight> variants,
                                                  std::string salt) {
  if (variants.empty()) return absl::InvalidArgumentError("variants: at least one is needed");
  std::set<std::string> names;
  double total = 0;
  for (size_t i = 0; i < variants.size(); ++i) {
    const VariantWeight& v = variants[i];
    if (v.name.empty()) return absl::InvalidArgumentError(StrCat("variants[", i, "].name: empty"));
    if (!names.insert(v.name).second) {
      return absl::InvalidArgumentError(
          StrCat("variants[", i, "].name: '", v.name, "' is used twice"));
    }
    if (!std::isfinite(v.weight) || v.weight <= 0) {
      return absl::InvalidArgumentError(
          StrCat("variants[", i, "].weight: ", v.weight, " is not a positive number"));
    }
    total += v.weight;
  }
  TrafficSplit split;
  double cumulative = 0;
  for (const VariantWeight& v : variants) {
    cumulative += v.weight;
    split.bucket_end_.push_back(static_cast<uint32_t>(std::lround(cumulative / total * kBuckets)));
  }
  split.bucket_end_.back() = kBuckets;
  split.variants_ = std::move(variants);
  split.salt_ = std::move(salt);
  return split;
}

TrafficSplit TrafficSplit::Single(std::string name) {
  TrafficSplit split;
  split.variants_.push_back({std::move(name), 1});
  split.bucket_end_.push_back(kBuckets);
  return split;
}

uint32_t TrafficSplit::BucketOf(std::string_view user_id) const {
  // The salt, a separator no id holds, then the id: "ab" + "c" and "a" + "bc" differ.
  const uint64_t hash = Fnv1a(user_id, Fnv1a("\x1f", Fnv1a(salt_)));
  return static_cast<uint32_t>(hash % kBuckets);
}

size_t TrafficSplit::VariantOf(std::string_view user_id) const {
  if (user_id.empty() || variants_.size() == 1) return 0;
  const uint32_t bucket = BucketOf(user_id);
  size_t v = 0;
  while (bucket >= bucket_end_[v]) ++v;
  return v;
}

}  // namespace souk::events
