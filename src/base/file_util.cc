#include "souk/base/file_util.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "souk/base/str_cat.h"

namespace souk {
namespace {

absl::Status ErrnoStatus(std::string_view what, const std::string& path) {
  return absl::InternalError(StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return ErrnoStatus("opening", path);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : ErrnoStatus("fsync", path);
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return errno == ENOENT ? absl::NotFoundError(StrCat("no such file: ", path))
                           : ErrnoStatus("opening", path);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return ErrnoStatus("reading", path);
  return std::move(buffer).str();
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  const std::string tmp = StrCat(path, ".tmp.", ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return ErrnoStatus("creating", tmp);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return ErrnoStatus("writing", tmp);
    }
  }
  if (absl::Status s = FsyncPath(tmp, O_RDONLY); !s.ok()) {
    std::remove(tmp.c_str());
    return s;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return ErrnoStatus("renaming onto", path);
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  return FsyncPath(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);
}

absl::Status MakeDirectories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return absl::InternalError(StrCat("creating directory ", path, ": ", ec.message()));
  if (!std::filesystem::is_directory(path)) {
    return absl::FailedPreconditionError(StrCat("not a directory: ", path));
  }
  return absl::OkStatus();
}

uint32_t Crc32(std::string_view data, uint32_t crc) {
  // zlib takes uInt lengths: feed large buffers in chunks.
  while (!data.empty()) {
    const size_t n = std::min<size_t>(data.size(), 1u << 30);
    crc = static_cast<uint32_t>(
        ::crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n)));
    data.remove_prefix(n);
  }
  return crc;
}

}  // namespace souk
