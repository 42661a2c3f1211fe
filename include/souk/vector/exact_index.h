// ExactVectorIndex: exact inner-product search over every row: a few queries at a time by one
// SIMD pass over the rows on the CPU, more by one matrix product of the queries with every row
// (libtorch; CPU, or CUDA in fp16 or fp32). No approximation: the reference the ANN backend is
// measured against, and the right choice up to a few hundred thousand rows on a GPU.
//
// Thread-safety: as VectorIndex. Ownership: the rows live in the index (on its device).
#pragma once

#include <memory>
#include <string>

#include "souk/vector/vector_index.h"

namespace souk::vector {

struct ExactIndexOptions {
  /// "cpu", "cuda", "cuda:N" or "auto" (model/device.h).
  std::string device = "cpu";
  /// Rows in fp16 on CUDA: half the memory and bandwidth; scores then carry about 3 significant
  /// digits. Always fp32 on the CPU.
  bool fp16_on_cuda = true;
};

class ExactVectorIndex final : public VectorIndex {
 public:
  /// INVALID_ARGUMENT for dim 0 or an unknown device name; FAILED_PRECONDITION for a CUDA
  /// device this libtorch cannot see.
  static absl::StatusOr<std::unique_ptr<ExactVectorIndex>> Create(size_t dim,
                                                                  const ExactIndexOptions& options);
  ~ExactVectorIndex() override;

  size_t dim() const override;
  size_t size() const override;
  absl::Status Add(std::span<const uint32_t> ids, std::span<const float> vectors) override;
  size_t Remove(std::span<const uint32_t> ids) override;
  absl::StatusOr<std::vector<std::vector<Neighbor>>> Search(
      std::span<const float> queries, size_t k, const IdFilter& filter = {}) const override;
  absl::StatusOr<std::vector<float>> Score(std::span<const float> query,
                                           std::span<const uint32_t> ids) const override;
  absl::StatusOr<std::vector<float>> Row(uint32_t id) const override;

 private:
  struct Impl;
  explicit ExactVectorIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::vector
