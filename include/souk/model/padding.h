// PadRows: token id rows of different lengths as one batch, what every forward pass over a
// batch of texts starts from.
// Thread-safety: a pure function.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace souk::model {

/// [B, T] int64 ids, each row padded with `pad_id` to the longest (T), and the [B, T] int64
/// attention mask (1 on real tokens, 0 on padding).
std::pair<torch::Tensor, torch::Tensor> PadRows(
    const std::vector<const std::vector<int64_t>*>& rows, int64_t pad_id);

}  // namespace souk::model
