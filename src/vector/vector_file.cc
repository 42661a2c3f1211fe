#include "souk/vector/vector_file.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>

#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::vector {
namespace {

static_assert(std::endian::native == std::endian::little,
              "vector files are little-endian and read by memcpy");

constexpr std::string_view kMagic("SOUKVEC\0", 8);
// magic, version, dim, count, model name length
constexpr size_t kHeaderBytes = 8 + 4 + 4 + 8 + 4;
constexpr size_t kChecksumBytes = 4;
constexpr size_t kMaxModelName = 4096;

template <typename T>
void Append(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
T Load(std::string_view bytes, size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

absl::Status Corrupt(const std::string& path, std::string_view what) {
  return absl::DataLossError(StrCat(path, ": ", what));
}

}  // namespace

absl::Status WriteVectorFile(const std::string& path, const VectorSet& set) {
  if (set.dim == 0 || set.dim > UINT32_MAX) {
    return absl::InvalidArgumentError(StrCat(path, ": dim must be in 1..2^32-1, got ", set.dim));
  }
  if (set.values.size() != set.ids.size() * set.dim) {
    return absl::InvalidArgumentError(StrCat(path, ": ", set.ids.size(), " ids of dim ", set.dim,
                                             " need ", set.ids.size() * set.dim, " values, got ",
                                             set.values.size()));
  }
  if (set.model.size() > kMaxModelName) {
    return absl::InvalidArgumentError(StrCat(path, ": model name longer than ", kMaxModelName));
  }
  std::string out(kMagic);
  Append<uint32_t>(out, kVectorFileVersion);
  Append<uint32_t>(out, static_cast<uint32_t>(set.dim));
  Append<uint64_t>(out, set.ids.size());
  Append<uint32_t>(out, static_cast<uint32_t>(set.model.size()));
  out += set.model;
  out.append(reinterpret_cast<const char*>(set.ids.data()), set.ids.size() * sizeof(uint32_t));
  out.append(reinterpret_cast<const char*>(set.values.data()), set.values.size() * sizeof(float));
  Append<uint32_t>(out, Crc32(out));
  return WriteFileAtomically(path, out);
}

absl::StatusOr<VectorSet> ReadVectorFile(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(std::string file, ReadFileToString(path));
  const std::string_view bytes(file);
  if (bytes.substr(0, kMagic.size()) != kMagic.substr(0, std::min(bytes.size(), kMagic.size()))) {
    return absl::InvalidArgumentError(StrCat(path, ": not a Souk vector file (bad magic)"));
  }
  if (bytes.size() < kHeaderBytes + kChecksumBytes) {
    return Corrupt(path, StrCat("truncated: ", bytes.size(), " bytes"));
  }
  if (const auto version = Load<uint32_t>(bytes, 8); version != kVectorFileVersion) {
    return absl::FailedPreconditionError(StrCat(path, ": format version ", version,
                                                " is not supported (this build reads version ",
                                                kVectorFileVersion, ")"));
  }
  const size_t body = bytes.size() - kChecksumBytes;
  if (Load<uint32_t>(bytes, body) != Crc32(bytes.substr(0, body))) {
    return Corrupt(path, "checksum mismatch: the file is corrupt or truncated");
  }
  VectorSet set;
  set.dim = Load<uint32_t>(bytes, 12);
  const auto count = Load<uint64_t>(bytes, 16);
  const auto model_size = Load<uint32_t>(bytes, 24);
  if (set.dim == 0) return Corrupt(path, "dim is 0");
  // Sizes checked by division so that hostile counts cannot overflow the arithmetic.
  const size_t rest = body - kHeaderBytes;
  if (model_size > kMaxModelName || model_size > rest) {
    return Corrupt(path, StrCat("model name of ", model_size, " bytes"));
  }
  const size_t row_bytes = sizeof(uint32_t) + set.dim * sizeof(float);
  if (count > (rest - model_size) / row_bytes || count * row_bytes != rest - model_size) {
    return Corrupt(path, StrCat(count, " vectors of dim ", set.dim, " do not fill ",
                                rest - model_size, " bytes"));
  }
  size_t offset = kHeaderBytes;
  set.model.assign(bytes.substr(offset, model_size));
  offset += model_size;
  if (count == 0) return set;
  set.ids.resize(count);
  std::memcpy(set.ids.data(), bytes.data() + offset, count * sizeof(uint32_t));
  offset += count * sizeof(uint32_t);
  set.values.resize(count * set.dim);
  std::memcpy(set.values.data(), bytes.data() + offset, set.values.size() * sizeof(float));
  return set;
}

}  // namespace souk::vector
