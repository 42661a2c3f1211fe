// ShortLinear: a Linear layer's y = x W^T + b for a few rows of x, without sgemm.
//
// Why: a query is 6-16 tokens, so each of a BERT's Linear layers multiplies a handful of rows by
// a large weight matrix. OpenBLAS's sgemm packs its operands at every call before multiplying,
// which took 28% of a query's encoding against 37% for the multiply-adds (bench/NOTES.md,
// section 2). Reading each weight row once and dotting it with every input row, two weight rows
// and four input rows at a time, is 1.9-2.7x faster at 8 rows and 1.3-1.5x at 16; from about 32
// rows sgemm's packing pays for itself, and batches of product texts stay with it.
//
// Applies only where nothing else could differ: fp32 tensors on the CPU, no gradient recorded
// (serving and evaluation, never training), at most kShortLinearMaxRows rows. The sums run in
// another order than sgemm's, so results match torch's to float rounding, not bit for bit.
#pragma once

#include <torch/torch.h>

#include <cstddef>
#include <cstdint>

namespace souk::model::internal {

inline constexpr int64_t kShortLinearMaxRows = 16;

/// y[r * out + o] = b[o] + sum_i x[r * in + i] * w[o * in + i] for r < rows, o < out; `b` may be
/// null (no bias). Row-major arrays; `y` must not alias the inputs.
void ShortLinearRows(const float* x, size_t rows, size_t in, const float* w, const float* b,
                     size_t out, float* y);

/// `linear`(x): by ShortLinearRows when x (any leading shape, last dimension in_features) has at
/// most kShortLinearMaxRows rows, both are fp32 on the CPU and no gradient is being recorded;
/// by the module (sgemm) otherwise.
torch::Tensor ApplyLinear(torch::nn::Linear& linear, const torch::Tensor& x);

}  // namespace souk::model::internal
