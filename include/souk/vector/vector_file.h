// Vector files: a set of id-keyed float vectors and the name of the model that made them, as
// `souk index --model` writes them beside the lexical index (docs/formats/vectors.md). The
// reader validates every count and the checksum before trusting a byte, so a corrupt or
// truncated file is an error naming what was wrong, never a crash.
//
// Thread-safety: pure functions; writing is atomic (base/file_util.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::vector {

inline constexpr int kVectorFileVersion = 1;

struct VectorSet {
  size_t dim = 0;
  std::vector<uint32_t> ids;
  std::vector<float> values;  ///< ids.size() * dim floats, row after row.
  /// What made the vectors (a model fingerprint): a server checks it against the encoder that
  /// embeds its queries, since vectors of two models are not comparable.
  std::string model;
};

/// INVALID_ARGUMENT when `set` is inconsistent (dim 0, values not ids.size() * dim).
absl::Status WriteVectorFile(const std::string& path, const VectorSet& set);
/// Errors name the path: DATA_LOSS for corruption or truncation, FAILED_PRECONDITION for
/// another format version, INVALID_ARGUMENT for a file that is not a vector file.
absl::StatusOr<VectorSet> ReadVectorFile(const std::string& path);

}  // namespace souk::vector
