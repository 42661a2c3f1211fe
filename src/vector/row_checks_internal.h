// Input checks both VectorIndex backends make before they change or search anything.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "souk/base/str_cat.h"

namespace souk::vector::internal {

/// Every value finite, and within `limit` in magnitude.
inline bool AllWithin(std::span<const float> values,
                      float limit = std::numeric_limits<float>::max()) {
  return std::all_of(values.begin(), values.end(),
                     [limit](float v) { return std::isfinite(v) && std::abs(v) <= limit; });
}

/// INVALID_ARGUMENT, prefixed by `who`, unless `vectors` holds one row of `dim` per id and no id
/// repeats.
inline absl::Status CheckRows(std::span<const uint32_t> ids, std::span<const float> vectors,
                              size_t dim, std::string_view who) {
  if (vectors.size() != ids.size() * dim) {
    return absl::InvalidArgumentError(StrCat(who, ": ", ids.size(), " ids need ", ids.size() * dim,
                                             " values (dim ", dim, "), got ", vectors.size()));
  }
  absl::flat_hash_set<uint32_t> seen;
  for (uint32_t id : ids) {
    if (!seen.insert(id).second) {
      return absl::InvalidArgumentError(StrCat(who, ": id ", id, " repeats in one Add"));
    }
  }
  return absl::OkStatus();
}

/// INVALID_ARGUMENT, prefixed by `who`, unless `queries` is whole queries of `dim`.
inline absl::Status CheckQueryShape(std::span<const float> queries, size_t dim,
                                    std::string_view who) {
  if (queries.size() % dim == 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      StrCat(who, ": ", queries.size(), " values are not whole queries of dim ", dim));
}

}  // namespace souk::vector::internal
