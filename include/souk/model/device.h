// The torch device a setting names: "cpu", "cuda", "cuda:N" or "auto" (the first GPU when
// libtorch sees one, else the CPU). The encoder and the trainers read the same spelling.
// Thread-safety: a pure function.
#pragma once

#include <torch/types.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace souk::model {

/// `field` names the setting in errors ("encoder.device"): FAILED_PRECONDITION for a CUDA device
/// this libtorch cannot see, INVALID_ARGUMENT for any other spelling.
absl::StatusOr<torch::Device> ResolveDevice(const std::string& name, std::string_view field);

}  // namespace souk::model
