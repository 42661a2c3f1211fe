// Named tensors <-> safetensors files, the libtorch side of model/safetensors.h: how model
// directories (encoder/) and training (train/) read and write weights under Hugging Face names.
//
// Thread-safety: free functions; concurrent calls on different paths are safe.
#pragma once

#include <torch/types.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::model {

/// Every tensor of the safetensors file `path`, copied into CPU tensors by name; floating-point
/// tensors (F16, BF16, F64 too) come back as float32, integer ones as int64 or int32. Errors name
/// the file (and the tensor): DATA_LOSS for a malformed file, INVALID_ARGUMENT for an
/// unsupported dtype.
absl::StatusOr<std::map<std::string, torch::Tensor>> ReadTensors(const std::string& path);

/// Writes `tensors` (any device, any floating dtype) as float32 safetensors, atomically, with
/// {"format": "pt"} metadata as transformers writes it. INVALID_ARGUMENT for a non-floating
/// tensor or a bad name.
absl::Status WriteTensors(const std::string& path,
                          const std::map<std::string, torch::Tensor>& tensors);

}  // namespace souk::model
