// The safetensors reader on arbitrary bytes: a file either fails to open with a status or every
// tensor in it reads back, as floats or integers by its dtype, with as many values as its shape
// says. The seeds are files WriteSafetensors wrote (several dtypes, a scalar, metadata).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "souk/model/safetensors.h"

namespace {

using souk::fuzz::Fail;
using souk::model::Dtype;
using souk::model::TensorToWrite;

bool IsFloat(Dtype dtype) {
  return dtype == Dtype::kF32 || dtype == Dtype::kF16 || dtype == Dtype::kBF16 ||
         dtype == Dtype::kF64;
}

std::string Seed(const std::vector<TensorToWrite>& tensors,
                 const std::map<std::string, std::string>& metadata) {
  const std::string path = souk::fuzz::ScratchDir() + "/seed.safetensors";
  if (!souk::model::WriteSafetensors(path, tensors, metadata).ok()) Fail("writing a seed");
  return souk::fuzz::ReadWholeFile(path);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  souk::fuzz::QuietLogs();
  const std::vector<float> values = {1.5f, -2.0f, 0.25f, 3.0f, 65504.0f, -0.0f};
  const std::vector<std::byte> ints(4 * sizeof(int32_t), std::byte{7});
  souk::fuzz::WriteSeeds(
      *argc, *argv,
      {Seed({TensorToWrite::Floats("embeddings.weight", {2, 3}, values)}, {{"format", "pt"}}),
       Seed({TensorToWrite::Floats("a", {6}, values, Dtype::kF16),
             TensorToWrite::Floats("b", {3, 2}, values, Dtype::kBF16),
             TensorToWrite::Floats("scalar", {}, std::span(values).first(1), Dtype::kF64),
             TensorToWrite::Bytes("ids", Dtype::kI32, {4}, ints)},
            {})});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = souk::model::SafetensorsFile::FromBytes(std::string(souk::fuzz::AsText(data, size)),
                                                      "fuzz.safetensors");
  if (!file.ok()) return 0;
  for (const std::string& name : (*file)->TensorNames()) {
    const souk::model::TensorInfo* tensor = (*file)->Find(name);
    if (tensor == nullptr) Fail("a listed tensor is not found");
    const size_t expected = static_cast<size_t>(tensor->NumElements());
    if (tensor->data.size() != expected * souk::model::DtypeSize(tensor->dtype)) {
      Fail("a tensor's bytes do not match its shape");
    }
    if (IsFloat(tensor->dtype)) {
      auto read = (*file)->ReadFloat32(name);
      if (!read.ok() || read->size() != expected) Fail("a float tensor does not read back");
    } else {
      auto read = (*file)->ReadInt64(name);  // a U64 value beyond int64 is an error, not a crash
      if (read.ok() && read->size() != expected) Fail("an integer tensor reads the wrong count");
    }
  }
  return 0;
}
