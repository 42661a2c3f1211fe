#include "souk/base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "souk/base/str_cat.h"

namespace souk {
namespace {

// `error` is the errno of the failing call, captured right after it: close() and unlink() in
// the cleanup that follows may overwrite errno.
absl::Status ErrnoStatus(int error, std::string_view what, const std::string& path) {
  const std::string message = StrCat(what, " ", path, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
      return absl::ResourceExhaustedError(message);
    case EISDIR:
    case ENOTDIR:
    case EEXIST:
      return absl::FailedPreconditionError(message);
    default:
      return absl::InternalError(message);
  }
}

// Closes `fd` on every path out of a scope.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  /// Closes now and reports close()'s errno (0 on success): for written files a failed close
  /// can be the first report of a failed write (NFS, quotas).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes all of `data`, retrying short writes and EINTR. Returns 0 or the errno of the failure.
int WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

// The process's umask, read without changing it: umask(2) can only be read by setting it,
// which would race with other threads creating files. Linux >= 4.7 reports it in
// /proc/self/status; elsewhere the common default 022 is assumed.
mode_t ProcessUmask() {
  const int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 022;
  FdCloser closer(fd);
  char buffer[4096];
  const ssize_t n = ::read(fd, buffer, sizeof(buffer) - 1);
  if (n <= 0) return 022;
  buffer[n] = '\0';
  const char* line = std::strstr(buffer, "\nUmask:");
  if (line == nullptr) return 022;
  return static_cast<mode_t>(std::strtoul(line + 7, nullptr, 8) & 0777);
}

absl::Status FsyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "opening directory", dir);
  FdCloser closer(fd);
  if (::fsync(fd) != 0) return ErrnoStatus(errno, "fsync", dir);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "opening", path);
  FdCloser closer(fd);
  struct stat info;
  if (::fstat(fd, &info) != 0) return ErrnoStatus(errno, "stat", path);
  // A directory opens fine on Linux and would read as "" (or fail with EISDIR on the first
  // read); a FIFO or a device could block or never end.
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(StrCat("not a regular file: ", path));
  }
  std::string contents(static_cast<size_t>(info.st_size), '\0');
  size_t size = 0;
  char probe[4096];
  while (true) {
    // Read straight into the string while it has room; past the size fstat reported (the file
    // grew), read through a small buffer so that the common case allocates once.
    const bool full = size == contents.size();
    char* into = full ? probe : contents.data() + size;
    const size_t room = full ? sizeof(probe) : contents.size() - size;
    const ssize_t n = ::read(fd, into, room);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "reading", path);
    }
    if (n == 0) break;
    if (full) contents.append(probe, static_cast<size_t>(n));
    size += static_cast<size_t>(n);
  }
  contents.resize(size);
  return contents;
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  // mkstemp gives every writer its own temporary file beside the target (same file system, so
  // the rename is atomic): two threads or processes writing one target never share a temporary,
  // and the last rename wins whole.
  std::string tmp = StrCat(path, ".tmp.XXXXXX");
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return ErrnoStatus(errno, "creating a temporary file for", path);
  FdCloser closer(fd);
  std::string_view failed = "writing";
  int error = WriteAll(fd, contents);
  // mkstemp creates the file 0600; give it the mode open(O_CREAT, 0666) would have given.
  if (error == 0 && ::fchmod(fd, 0666 & ~ProcessUmask()) != 0) {
    error = errno;
    failed = "chmod";
  }
  if (error == 0 && ::fsync(fd) != 0) {
    error = errno;
    failed = "fsync";
  }
  if (error == 0 && (error = closer.Close()) != 0) failed = "closing";
  if (error == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = errno;
    failed = "renaming onto";
  }
  if (error != 0) {
    ::unlink(tmp.c_str());
    return ErrnoStatus(error, failed, failed == "renaming onto" ? path : tmp);
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return FsyncDirectory(parent.empty() ? "." : parent.string());
}

absl::Status RemoveFileIfExists(const std::string& path) {
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return ErrnoStatus(errno, "removing", path);
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return FsyncDirectory(parent.empty() ? "." : parent.string());
}

absl::Status MakeDirectories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return ErrnoStatus(ec.value(), "creating directory", path);
  if (!std::filesystem::is_directory(path, ec)) {
    if (ec) return ErrnoStatus(ec.value(), "checking directory", path);
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
