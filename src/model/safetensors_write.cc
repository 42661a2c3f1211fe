// WriteSafetensors: the writer half of safetensors.h. Data is streamed to a temporary file beside
// the target (never assembled in memory: a BERT-base checkpoint is 440 MB), then renamed over it.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <utility>

#include "nlohmann/json.hpp"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"
#include "souk/model/float16.h"
#include "souk/model/safetensors.h"

namespace souk::model {
namespace {

absl::Status IoError(std::string_view step, const std::string& path) {
  return absl::InternalError(StrCat(step, " ", path, ": ", std::strerror(errno)));
}

// A temporary file removed on destruction unless committed by rename.
class TempFile {
 public:
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  // O_EXCL on a name unique to this process and call: concurrent writers never share a file.
  // (Not mkstemp: its 0600 mode would need a racy process-wide umask() call to widen.)
  absl::Status Create(const std::string& target) {
    static std::atomic<uint64_t> counter{0};
    for (int attempt = 0; attempt < 8; ++attempt) {
      std::string name = StrCat(target, ".tmp.", getpid(), ".", counter.fetch_add(1));
      fd_ = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0) {
        path_ = std::move(name);
        return absl::OkStatus();
      }
      if (errno != EEXIST) break;  // a leftover of a crashed process with our pid: try the next
    }
    return IoError("creating a temporary file for", target);
  }

  absl::Status Write(const void* data, size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      const ssize_t n = ::write(fd_, p, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return IoError("writing", path_);
      p += n;
      size -= static_cast<size_t>(n);
    }
    return absl::OkStatus();
  }

  // fsync, rename over `target`, fsync the directory so the rename survives a crash.
  absl::Status Commit(const std::string& target) {
    if (fsync(fd_) != 0) return IoError("syncing", path_);
    if (::close(fd_) != 0) {
      fd_ = -1;
      return IoError("closing", path_);
    }
    fd_ = -1;
    if (std::rename(path_.c_str(), target.c_str()) != 0) return IoError("renaming onto", target);
    path_.clear();
    // A path, not a std::string assigned ".": GCC 12 -O2 misreports that with -Wrestrict.
    std::filesystem::path dir = std::filesystem::path(target).parent_path();
    if (dir.empty()) dir = std::filesystem::path(".");
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return IoError("opening directory", dir.string());
    const int rc = fsync(dir_fd);
    ::close(dir_fd);
    if (rc != 0) return IoError("syncing directory", dir.string());
    return absl::OkStatus();
  }

 private:
  int fd_ = -1;
  std::string path_;
};

// Bytes the tensor occupies in the file, or an error naming it when its data does not fit.
absl::StatusOr<uint64_t> CheckTensor(const TensorToWrite& t) {
  const std::string who = StrCat("tensor ", QuoteForError(t.name));
  uint64_t elements = 1;
  for (int64_t d : t.shape) {
    if (d < 0) return absl::InvalidArgumentError(StrCat(who, ": negative dimension ", d));
    if (__builtin_mul_overflow(elements, static_cast<uint64_t>(d), &elements) ||
        elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return absl::InvalidArgumentError(StrCat(who, ": shape overflows"));
    }
  }
  if (const auto* floats = std::get_if<std::span<const float>>(&t.data)) {
    if (t.dtype != Dtype::kF32 && t.dtype != Dtype::kF16 && t.dtype != Dtype::kBF16 &&
        t.dtype != Dtype::kF64) {
      return absl::InvalidArgumentError(
          StrCat(who, ": floats cannot be stored as ", DtypeName(t.dtype)));
    }
    if (floats->size() != elements) {
      return absl::InvalidArgumentError(
          StrCat(who, ": ", floats->size(), " values for a shape of ", elements, " elements"));
    }
    return elements * DtypeSize(t.dtype);
  }
  const auto& bytes = std::get<std::span<const std::byte>>(t.data);
  if (bytes.size() / DtypeSize(t.dtype) != elements || bytes.size() % DtypeSize(t.dtype) != 0) {
    return absl::InvalidArgumentError(StrCat(who, ": ", bytes.size(), " bytes for ", elements,
                                             " elements of ", DtypeName(t.dtype)));
  }
  return static_cast<uint64_t>(bytes.size());
}

// Writes the data of `t` in its file dtype, converting floats in bounded chunks.
absl::Status WriteData(const TensorToWrite& t, TempFile& out) {
  if (const auto* bytes = std::get_if<std::span<const std::byte>>(&t.data)) {
    return out.Write(bytes->data(), bytes->size());
  }
  const auto& floats = std::get<std::span<const float>>(t.data);
  if (t.dtype == Dtype::kF32) return out.Write(floats.data(), floats.size_bytes());
  constexpr size_t kChunk = 1 << 16;
  std::vector<std::byte> buffer;
  for (size_t start = 0; start < floats.size(); start += kChunk) {
    const std::span<const float> chunk =
        floats.subspan(start, std::min(kChunk, floats.size() - start));
    buffer.resize(chunk.size() * DtypeSize(t.dtype));
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (t.dtype == Dtype::kF64) {
        const double value = chunk[i];
        std::memcpy(buffer.data() + i * 8, &value, 8);
      } else {
        const uint16_t value =
            t.dtype == Dtype::kF16 ? FloatToHalf(chunk[i]) : FloatToBFloat16(chunk[i]);
        std::memcpy(buffer.data() + i * 2, &value, 2);
      }
    }
    SOUK_RETURN_IF_ERROR(out.Write(buffer.data(), buffer.size()));
  }
  return absl::OkStatus();
}

}  // namespace

TensorToWrite TensorToWrite::Floats(std::string name, std::vector<int64_t> shape,
                                    std::span<const float> values, Dtype dtype) {
  return {std::move(name), dtype, std::move(shape), values};
}

TensorToWrite TensorToWrite::Bytes(std::string name, Dtype dtype, std::vector<int64_t> shape,
                                   std::span<const std::byte> bytes) {
  return {std::move(name), dtype, std::move(shape), bytes};
}

absl::Status WriteSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                              const std::map<std::string, std::string>& metadata) {
  std::vector<const TensorToWrite*> sorted;
  for (const TensorToWrite& t : tensors) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->name < b->name; });
  // ordered_json keeps insertion order: __metadata__ first, then tensors by name, as the
  // reference writer lays them out.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  for (const auto& [key, value] : metadata) {
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) {
      return absl::InvalidArgumentError(
          StrCat(path, ": metadata ", QuoteForError(key), " is not valid UTF-8"));
    }
  }
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const TensorToWrite& t = *sorted[i];
    if (t.name.empty() || t.name == "__metadata__" || !IsValidUtf8(t.name)) {
      return absl::InvalidArgumentError(
          StrCat(path, ": invalid tensor name ", QuoteForError(t.name)));
    }
    if (i > 0 && sorted[i - 1]->name == t.name) {
      return absl::InvalidArgumentError(
          StrCat(path, ": tensor ", QuoteForError(t.name), " given twice"));
    }
    const absl::StatusOr<uint64_t> size_or = CheckTensor(t);
    if (!size_or.ok()) return Annotate(size_or.status(), path);
    const uint64_t size = *size_or;
    header[t.name] = {{"dtype", DtypeName(t.dtype)},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + size}}};
    offset += size;
  }
  // Names and metadata are valid UTF-8 (checked above), so dump() cannot throw.
  std::string text = header.dump();
  // Pad with spaces so the data starts 8-byte aligned (8 + N is a multiple of 8).
  text.append((8 - text.size() % 8) % 8, ' ');
  const uint64_t header_size = text.size();

  TempFile out;
  SOUK_RETURN_IF_ERROR(out.Create(path));
  SOUK_RETURN_IF_ERROR(out.Write(&header_size, sizeof(header_size)));
  SOUK_RETURN_IF_ERROR(out.Write(text.data(), text.size()));
  for (const TensorToWrite* t : sorted) SOUK_RETURN_IF_ERROR(WriteData(*t, out));
  return out.Commit(path);
}

}  // namespace souk::model
