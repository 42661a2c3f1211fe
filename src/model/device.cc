#include "souk/model/device.h"

#include <torch/cuda.h>

#include <cstdlib>

#include "souk/base/str_cat.h"

namespace souk::model {

absl::StatusOr<torch::Device> ResolveDevice(const std::string& name, std::string_view field) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  const bool has_cuda = torch::cuda::is_available();
  if (name == "auto") return has_cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!has_cuda) {
      return absl::FailedPreconditionError(
          StrCat(field, ": '", name, "' but this libtorch sees no CUDA device"));
    }
    const int index = name == "cuda" ? 0 : std::atoi(name.c_str() + 5);
    if (index < 0 || index >= static_cast<int>(torch::cuda::device_count())) {
      return absl::InvalidArgumentError(StrCat(field, ": no device ", name));
    }
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  return absl::InvalidArgumentError(
      StrCat(field, ": '", name, "' is not cpu, cuda, cuda:N or auto"));
}

}  // namespace souk::model
