#include "souk/model/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

#include "nlohmann/json.hpp"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/float16.h"

namespace souk::model {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host needs byte swapping");

namespace {

using Json = nlohmann::json;

// The reference implementation refuses headers above 100 MB (MAX_HEADER_SIZE in
// safetensors/src/tensor.rs); so do we, before allocating anything of that size.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::string_view kMetadataKey = "__metadata__";

struct DtypeEntry {
  Dtype dtype;
  std::string_view name;
  size_t size;
};
constexpr DtypeEntry kDtypes[] = {
    {Dtype::kBool, "BOOL", 1}, {Dtype::kU8, "U8", 1},   {Dtype::kI8, "I8", 1},
    {Dtype::kI16, "I16", 2},   {Dtype::kU16, "U16", 2}, {Dtype::kF16, "F16", 2},
    {Dtype::kBF16, "BF16", 2}, {Dtype::kI32, "I32", 4}, {Dtype::kU32, "U32", 4},
    {Dtype::kF32, "F32", 4},   {Dtype::kI64, "I64", 8}, {Dtype::kU64, "U64", 8},
    {Dtype::kF64, "F64", 8},
};

const DtypeEntry& EntryOf(Dtype dtype) {
  for (const DtypeEntry& entry : kDtypes) {
    if (entry.dtype == dtype) return entry;
  }
  return kDtypes[0];  // unreachable: every enumerator has an entry
}

absl::Status ErrnoStatus(int error, std::string_view what) {
  const std::string message = StrCat(what, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

template <typename T>
T LoadAt(const std::byte* data, size_t index) {
  T value;
  std::memcpy(&value, data + index * sizeof(T), sizeof(T));
  return value;
}

template <typename T>
void AppendConverted(std::span<const std::byte> data, std::vector<int64_t>& out) {
  const size_t n = data.size() / sizeof(T);
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<int64_t>(LoadAt<T>(data.data(), i)));
}

// An unsigned JSON integer, or nullopt (negative, fractional, too large, or not a number).
std::optional<uint64_t> Unsigned(const Json& j) {
  if (!j.is_number_unsigned()) return std::nullopt;
  return j.get<uint64_t>();
}

}  // namespace

std::string_view DtypeName(Dtype dtype) { return EntryOf(dtype).name; }
size_t DtypeSize(Dtype dtype) { return EntryOf(dtype).size; }

std::optional<Dtype> ParseDtype(std::string_view name) {
  for (const DtypeEntry& entry : kDtypes) {
    if (entry.name == name) return entry.dtype;
  }
  return std::nullopt;
}

int64_t TensorInfo::NumElements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Storage: the file's bytes, either a read-only private mapping or an owned string.

class SafetensorsFile::Storage {
 public:
  explicit Storage(std::string bytes) : owned_(std::move(bytes)) {}
  Storage(void* mapping, size_t size) : mapping_(mapping), size_(size) {}
  ~Storage() {
    if (mapping_ != nullptr) munmap(mapping_, size_);
  }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  std::span<const std::byte> bytes() const {
    if (mapping_ != nullptr) return {static_cast<const std::byte*>(mapping_), size_};
    return std::as_bytes(std::span<const char>(owned_.data(), owned_.size()));
  }

 private:
  std::string owned_;
  void* mapping_ = nullptr;
  size_t size_ = 0;
};

SafetensorsFile::SafetensorsFile(std::string path, std::unique_ptr<Storage> storage)
    : path_(std::move(path)), storage_(std::move(storage)) {}

SafetensorsFile::~SafetensorsFile() = default;

absl::StatusOr<std::unique_ptr<SafetensorsFile>> SafetensorsFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, StrCat("opening ", path));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return ErrnoStatus(error, StrCat("reading ", path));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(StrCat("not a regular file: ", path));
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size < 8) {
    ::close(fd);
    return absl::DataLossError(
        StrCat(path, ": ", size, " bytes, shorter than the 8-byte safetensors header length"));
  }
  void* mapping = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const int error = errno;
  ::close(fd);  // the mapping keeps the file's pages reachable
  if (mapping == MAP_FAILED) return ErrnoStatus(error, StrCat("mapping ", path));
  return Validate(path, std::make_unique<Storage>(mapping, size));
}

absl::StatusOr<std::unique_ptr<SafetensorsFile>> SafetensorsFile::FromBytes(
    std::string contents, std::string display_name) {
  return Validate(std::move(display_name), std::make_unique<Storage>(std::move(contents)));
}

absl::StatusOr<std::unique_ptr<SafetensorsFile>> SafetensorsFile::Validate(
    std::string path, std::unique_ptr<Storage> storage) {
  const std::span<const std::byte> bytes = storage->bytes();
  if (bytes.size() < 8) {
    return absl::DataLossError(StrCat(path, ": ", bytes.size(),
                                      " bytes, shorter than the 8-byte safetensors header length"));
  }
  const uint64_t header_size = LoadAt<uint64_t>(bytes.data(), 0);
  if (header_size > kMaxHeaderBytes) {
    return absl::DataLossError(StrCat(path, ": header length ", header_size,
                                      " exceeds the limit of ", kMaxHeaderBytes, " bytes"));
  }
  if (header_size > bytes.size() - 8) {
    return absl::DataLossError(StrCat(path, ": header length ", header_size, " exceeds the file (",
                                      bytes.size() - 8, " bytes after the length); truncated?"));
  }
  const std::string_view header(reinterpret_cast<const char*>(bytes.data()) + 8, header_size);
  const std::span<const std::byte> data = bytes.subspan(8 + header_size);
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile(std::move(path), std::move(storage)));
  SOUK_RETURN_IF_ERROR(Annotate(file->ParseHeader(header, data), file->path()));
  return file;
}

// ---------------------------------------------------------------------------------------------
// Header parsing and validation.

namespace {

// Parses the header JSON, refusing duplicate top-level keys, which nlohmann would silently merge
// (the last one winning) while the reference implementation rejects them.
absl::StatusOr<Json> ParseHeaderJson(std::string_view header) {
  if (header.empty() || header.front() != '{') {
    return absl::DataLossError("header does not start with '{' (not a safetensors file?)");
  }
  std::set<std::string, std::less<>> seen;
  std::string duplicate;
  const Json::parser_callback_t on_event = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth == 1 && event == Json::parse_event_t::key && parsed.is_string()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!seen.insert(key).second && duplicate.empty()) duplicate = key;
    }
    return true;
  };
  Json json = Json::parse(header.begin(), header.end(), on_event, /*allow_exceptions=*/false);
  if (json.is_discarded()) return absl::DataLossError("header is not valid JSON");
  if (!json.is_object()) return absl::DataLossError("header is not a JSON object");
  if (!duplicate.empty()) {
    return absl::DataLossError(StrCat("tensor ", QuoteForError(duplicate), " appears twice"));
  }
  return json;
}

absl::StatusOr<std::map<std::string, std::string>> ParseMetadata(const Json& json) {
  std::map<std::string, std::string> metadata;
  if (json.is_null()) return metadata;
  if (!json.is_object()) return absl::DataLossError("__metadata__ is not an object");
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string()) {
      return absl::DataLossError(StrCat("__metadata__ ", QuoteForError(key), " is not a string"));
    }
    metadata.emplace(key, value.get<std::string>());
  }
  return metadata;
}

struct Range {
  uint64_t begin;
  uint64_t end;
};

// Checks one tensor entry and fills `info` (all but the data span) and `range`.
absl::Status ParseEntry(const Json& entry, TensorInfo& info, Range& range) {
  if (!entry.is_object()) return absl::DataLossError("entry is not an object");
  for (const auto& [key, value] : entry.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      return absl::DataLossError(StrCat("unknown field ", QuoteForError(key)));
    }
  }
  const auto dtype = entry.find("dtype");
  const auto shape = entry.find("shape");
  const auto offsets = entry.find("data_offsets");
  if (dtype == entry.end()) return absl::DataLossError("missing \"dtype\"");
  if (shape == entry.end()) return absl::DataLossError("missing \"shape\"");
  if (offsets == entry.end()) return absl::DataLossError("missing \"data_offsets\"");
  if (!dtype->is_string()) return absl::DataLossError("\"dtype\" is not a string");
  const auto parsed = ParseDtype(dtype->get_ref<const std::string&>());
  if (!parsed) {
    return absl::DataLossError(
        StrCat("unsupported dtype ", QuoteForError(dtype->get_ref<const std::string&>())));
  }
  info.dtype = *parsed;
  if (!shape->is_array()) return absl::DataLossError("\"shape\" is not an array");
  uint64_t elements = 1;
  for (const Json& dim : *shape) {
    const std::optional<uint64_t> d = Unsigned(dim);
    if (!d) return absl::DataLossError(StrCat("shape dimension ", dim.dump(), " is invalid"));
    if (__builtin_mul_overflow(elements, *d, &elements) ||
        elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return absl::DataLossError(StrCat("shape ", shape->dump(), " overflows"));
    }
    info.shape.push_back(static_cast<int64_t>(*d));
  }
  uint64_t byte_size = 0;
  if (__builtin_mul_overflow(elements, DtypeSize(info.dtype), &byte_size)) {
    return absl::DataLossError(StrCat("shape ", shape->dump(), " overflows"));
  }
  if (!offsets->is_array() || offsets->size() != 2 || !Unsigned((*offsets)[0]) ||
      !Unsigned((*offsets)[1])) {
    return absl::DataLossError(
        StrCat("\"data_offsets\" ", offsets->dump(), " is not two non-negative integers"));
  }
  range = {*Unsigned((*offsets)[0]), *Unsigned((*offsets)[1])};
  if (range.end < range.begin || range.end - range.begin != byte_size) {
    return absl::DataLossError(StrCat("data_offsets ", offsets->dump(), " span ",
                                      range.end < range.begin ? 0 : range.end - range.begin,
                                      " bytes, but ", DtypeName(info.dtype), " ", shape->dump(),
                                      " needs ", byte_size));
  }
  return absl::OkStatus();
}

// The byte ranges must tile [0, data_size) exactly: the reference implementation rejects gaps,
// overlaps and trailing bytes (InvalidOffset / MetadataIncompleteBuffer).
absl::Status CheckCoverage(std::vector<std::tuple<uint64_t, uint64_t, std::string>> ranges,
                           uint64_t data_size) {
  std::sort(ranges.begin(), ranges.end());
  uint64_t expected = 0;
  for (const auto& [begin, end, name] : ranges) {
    if (begin != expected) {
      return absl::DataLossError(StrCat("tensor ", QuoteForError(name), ": data starts at byte ",
                                        begin, ", expected ", expected,
                                        begin < expected ? " (overlaps the previous tensor)"
                                                         : " (gap after the previous tensor)"));
    }
    if (end > data_size) {
      return absl::DataLossError(StrCat("tensor ", QuoteForError(name), ": data ends at byte ", end,
                                        ", past the end of the data (", data_size,
                                        " bytes); truncated?"));
    }
    expected = end;
  }
  if (expected != data_size) {
    return absl::DataLossError(
        StrCat("data holds ", data_size, " bytes but the tensors cover ", expected));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SafetensorsFile::ParseHeader(std::string_view header,
                                          std::span<const std::byte> data) {
  SOUK_ASSIGN_OR_RETURN(Json json, ParseHeaderJson(header));
  std::vector<std::tuple<uint64_t, uint64_t, std::string>> ranges;
  for (const auto& [name, entry] : json.items()) {
    if (name == kMetadataKey) {
      SOUK_ASSIGN_OR_RETURN(metadata_, ParseMetadata(entry));
      continue;
    }
    TensorInfo info;
    info.name = name;
    Range range{};
    SOUK_RETURN_IF_ERROR(
        Annotate(ParseEntry(entry, info, range), StrCat("tensor ", QuoteForError(name))));
    ranges.emplace_back(range.begin, range.end, name);
    if (range.end <= data.size()) {
      info.data = data.subspan(range.begin, range.end - range.begin);
    }
    tensors_.emplace(name, std::move(info));
  }
  return CheckCoverage(std::move(ranges), data.size());
}

// ---------------------------------------------------------------------------------------------
// Lookups and conversions.

std::vector<std::string> SafetensorsFile::TensorNames() const {
  std::vector<std::string> names;
  names.reserve(tensors_.size());
  for (const auto& [name, info] : tensors_) names.push_back(name);
  return names;
}

const TensorInfo* SafetensorsFile::Find(std::string_view name) const {
  const auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

absl::StatusOr<const TensorInfo*> SafetensorsFile::Get(std::string_view name) const {
  const TensorInfo* info = Find(name);
  if (info == nullptr) {
    return absl::NotFoundError(StrCat(path_, ": no tensor ", QuoteForError(name)));
  }
  return info;
}

absl::StatusOr<std::vector<float>> SafetensorsFile::ReadFloat32(std::string_view name) const {
  SOUK_ASSIGN_OR_RETURN(const TensorInfo* info, Get(name));
  const std::byte* bytes = info->data.data();
  const auto n = static_cast<size_t>(info->NumElements());
  std::vector<float> out(n);
  switch (info->dtype) {
    case Dtype::kF32:
      if (n > 0) std::memcpy(out.data(), bytes, n * sizeof(float));
      return out;
    case Dtype::kF16:
      for (size_t i = 0; i < n; ++i) out[i] = HalfToFloat(LoadAt<uint16_t>(bytes, i));
      return out;
    case Dtype::kBF16:
      for (size_t i = 0; i < n; ++i) out[i] = BFloat16ToFloat(LoadAt<uint16_t>(bytes, i));
      return out;
    case Dtype::kF64:
      for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(LoadAt<double>(bytes, i));
      return out;
    default:
      return absl::InvalidArgumentError(StrCat(path_, ": tensor ", QuoteForError(name), " is ",
                                               DtypeName(info->dtype),
                                               ", not a floating-point type"));
  }
}

absl::StatusOr<std::vector<int64_t>> SafetensorsFile::ReadInt64(std::string_view name) const {
  SOUK_ASSIGN_OR_RETURN(const TensorInfo* info, Get(name));
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(info->NumElements()));
  switch (info->dtype) {
    case Dtype::kBool:
    case Dtype::kU8:
      AppendConverted<uint8_t>(info->data, out);
      return out;
    case Dtype::kI8:
      AppendConverted<int8_t>(info->data, out);
      return out;
    case Dtype::kI16:
      AppendConverted<int16_t>(info->data, out);
      return out;
    case Dtype::kU16:
      AppendConverted<uint16_t>(info->data, out);
      return out;
    case Dtype::kI32:
      AppendConverted<int32_t>(info->data, out);
      return out;
    case Dtype::kU32:
      AppendConverted<uint32_t>(info->data, out);
      return out;
    case Dtype::kI64:
      AppendConverted<int64_t>(info->data, out);
      return out;
    case Dtype::kU64:
      for (size_t i = 0; i < info->data.size() / 8; ++i) {
        const auto value = LoadAt<uint64_t>(info->data.data(), i);
        if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          return absl::InvalidArgumentError(StrCat(path_, ": tensor ", QuoteForError(name),
                                                   ": U64 value ", value, " exceeds int64"));
        }
        out.push_back(static_cast<int64_t>(value));
      }
      return out;
    default:
      return absl::InvalidArgumentError(StrCat(path_, ": tensor ", QuoteForError(name), " is ",
                                               DtypeName(info->dtype), ", not an integer type"));
  }
}

}  // namespace souk::model
