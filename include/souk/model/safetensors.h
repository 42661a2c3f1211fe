// Reading and writing the safetensors format (Hugging Face's `model.safetensors`).
//
// Layout (https://github.com/huggingface/safetensors, README "Format"): an 8-byte little-endian
// u64 N, then N bytes of UTF-8 JSON, an object mapping tensor names to
// {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]} plus an optional
// "__metadata__": {str: str}; then the data buffer, little-endian, where offsets are relative to
// the first byte after the header. The header may be padded with trailing spaces.
//
// Invariants of an opened file (checked by Open, which never crashes on bad input): every entry
// has a known dtype, a shape whose element count times the dtype's size equals its byte range,
// and the byte ranges tile the data buffer exactly (no gap, no overlap, nothing after the last
// tensor), as the reference implementation requires.
//
// Ownership and lifetime: SafetensorsFile maps the file read-only (mmap) and unmaps it when
// destroyed; the spans in TensorInfo point into the mapping and die with the object. Truncating
// the file on disk while it is mapped is undefined (SIGBUS): model files are replaced by rename.
// Thread-safety: an opened SafetensorsFile is immutable; all const methods may run concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::model {

/// Element types of the safetensors format (names as in the header: "F32", "BF16", ...).
/// 8-bit float types (F8_E4M3, F8_E5M2) are not supported and rejected by name.
enum class Dtype { kBool, kU8, kI8, kI16, kU16, kF16, kBF16, kI32, kU32, kF32, kI64, kU64, kF64 };

/// The header name of `dtype` ("F32").
std::string_view DtypeName(Dtype dtype);
/// The dtype named `name` in a header, or nullopt when unknown or unsupported.
std::optional<Dtype> ParseDtype(std::string_view name);
/// Bytes per element of `dtype`.
size_t DtypeSize(Dtype dtype);

/// One tensor of an opened file.
struct TensorInfo {
  std::string name;
  Dtype dtype = Dtype::kF32;
  std::vector<int64_t> shape;       ///< empty for a scalar
  std::span<const std::byte> data;  ///< little-endian bytes, inside the owning file's mapping

  /// Product of `shape` (1 for a scalar); fits int64 (checked when the file was opened).
  int64_t NumElements() const;
};

/// A validated, memory-mapped safetensors file.
class SafetensorsFile {
 public:
  /// Maps and validates `path`. Errors name the file and, where one is at fault, the tensor:
  /// NOT_FOUND etc. from the file system, DATA_LOSS for a malformed or truncated file.
  static absl::StatusOr<std::unique_ptr<SafetensorsFile>> Open(const std::string& path);
  /// Validates the bytes `contents` held in memory; `display_name` stands for the path in errors.
  static absl::StatusOr<std::unique_ptr<SafetensorsFile>> FromBytes(std::string contents,
                                                                    std::string display_name);

  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  /// The path given to Open (or FromBytes' display name).
  const std::string& path() const { return path_; }
  /// Names of all tensors, sorted.
  std::vector<std::string> TensorNames() const;
  size_t num_tensors() const { return tensors_.size(); }
  /// The tensor `name`, or nullptr when the file has none of that name.
  const TensorInfo* Find(std::string_view name) const;
  /// The tensor `name`; NOT_FOUND naming the file and the tensor when absent.
  absl::StatusOr<const TensorInfo*> Get(std::string_view name) const;
  /// The "__metadata__" object (empty when absent).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  /// The values of a floating-point tensor (F32, F16, BF16 or F64) as float, row-major.
  /// INVALID_ARGUMENT for an integer or boolean tensor; NOT_FOUND when absent.
  absl::StatusOr<std::vector<float>> ReadFloat32(std::string_view name) const;
  /// The values of an integer or boolean tensor (I8..I64, U8..U64, BOOL as 0/1) as int64.
  /// INVALID_ARGUMENT for a floating-point tensor or a U64 value that does not fit.
  absl::StatusOr<std::vector<int64_t>> ReadInt64(std::string_view name) const;

 private:
  class Storage;
  SafetensorsFile(std::string path, std::unique_ptr<Storage> storage);
  static absl::StatusOr<std::unique_ptr<SafetensorsFile>> Validate(
      std::string path, std::unique_ptr<Storage> storage);
  absl::Status ParseHeader(std::string_view header, std::span<const std::byte> data);

  std::string path_;
  std::unique_ptr<Storage> storage_;
  std::map<std::string, TensorInfo, std::less<>> tensors_;
  std::map<std::string, std::string> metadata_;
};

/// One tensor to write. The data is a view: the caller keeps it alive during WriteSafetensors.
struct TensorToWrite {
  std::string name;
  Dtype dtype = Dtype::kF32;  ///< element type in the file
  std::vector<int64_t> shape;
  /// float values, converted to `dtype` (which must then be F32, F16, BF16 or F64), or raw
  /// little-endian bytes already in `dtype`.
  std::variant<std::span<const float>, std::span<const std::byte>> data;

  /// A tensor of floats stored as `dtype` (F16/BF16 round to nearest even).
  static TensorToWrite Floats(std::string name, std::vector<int64_t> shape,
                              std::span<const float> values, Dtype dtype = Dtype::kF32);
  /// A tensor whose bytes are already encoded in `dtype`.
  static TensorToWrite Bytes(std::string name, Dtype dtype, std::vector<int64_t> shape,
                             std::span<const std::byte> bytes);
};

/// Writes `tensors` and `metadata` to `path` in the layout of the reference implementation:
/// compact JSON with "__metadata__" first (omitted when empty) and tensors sorted by name, the
/// header padded with spaces to a multiple of 8 bytes, data packed in the same order. The file
/// appears atomically (temporary file, fsync, rename). INVALID_ARGUMENT for an empty, duplicate
/// or reserved name, a negative dimension, or data whose size does not match the shape.
absl::Status WriteSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                              const std::map<std::string, std::string>& metadata = {});

}  // namespace souk::model
