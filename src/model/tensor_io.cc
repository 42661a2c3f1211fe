#include "souk/model/tensor_io.h"

#include <torch/torch.h>

#include <cstring>
#include <span>
#include <vector>

#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/safetensors.h"

namespace souk::model {
namespace {

torch::Dtype TorchDtype(Dtype dtype) {
  switch (dtype) {
    case Dtype::kF16:
      return torch::kHalf;
    case Dtype::kBF16:
      return torch::kBFloat16;
    case Dtype::kF64:
      return torch::kDouble;
    case Dtype::kI64:
      return torch::kLong;
    case Dtype::kI32:
      return torch::kInt;
    default:
      return torch::kFloat;
  }
}

bool IsFloat(Dtype d) {
  return d == Dtype::kF32 || d == Dtype::kF16 || d == Dtype::kBF16 || d == Dtype::kF64;
}

}  // namespace

absl::StatusOr<std::map<std::string, torch::Tensor>> ReadTensors(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(auto file, SafetensorsFile::Open(path));
  std::map<std::string, torch::Tensor> tensors;
  for (const std::string& name : file->TensorNames()) {
    const TensorInfo* info = file->Find(name);
    // Copy out of the mapping: tensors outlive the file, and packed F16 data may be unaligned.
    torch::Tensor t =
        torch::empty(info->shape, torch::TensorOptions().dtype(TorchDtype(info->dtype)));
    if (static_cast<size_t>(t.nbytes()) != info->data.size()) {
      return absl::InvalidArgumentError(
          StrCat(path, ": tensor ", name, ": dtype ", DtypeName(info->dtype), " not supported"));
    }
    std::memcpy(t.data_ptr(), info->data.data(), info->data.size());
    tensors[name] = IsFloat(info->dtype) ? t.to(torch::kFloat) : t;
  }
  return tensors;
}

absl::Status WriteTensors(const std::string& path,
                          const std::map<std::string, torch::Tensor>& tensors) {
  std::vector<torch::Tensor> keep;  // contiguous float copies, alive until written
  keep.reserve(tensors.size());
  std::vector<TensorToWrite> to_write;
  for (const auto& [name, tensor] : tensors) {
    if (!tensor.is_floating_point()) {
      return absl::InvalidArgumentError(StrCat(path, ": tensor ", name, " is not floating-point"));
    }
    keep.push_back(tensor.detach().to(torch::kCPU, torch::kFloat).contiguous());
    const torch::Tensor& t = keep.back();
    to_write.push_back(TensorToWrite::Floats(
        name, t.sizes().vec(),
        std::span<const float>(t.data_ptr<float>(), static_cast<size_t>(t.numel()))));
  }
  return WriteSafetensors(path, to_write, {{"format", "pt"}});
}

}  // namespace souk::model
