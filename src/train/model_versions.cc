#include "souk/train/model_versions.h"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <optional>
#include <system_error>

#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::train {
namespace {

namespace fs = std::filesystem;

constexpr char kCurrent[] = "current";

absl::Status FsError(std::string_view step, const std::string& path, const std::error_code& ec) {
  return absl::InternalError(StrCat(step, " ", path, ": ", ec.message()));
}

// N of a version directory named "vN" (N >= 1); nullopt for any other name.
std::optional<int> VersionNumber(const std::string& name) {
  if (name.size() < 2 || name[0] != 'v' || name[1] == '0') return std::nullopt;
  int n = 0;
  const char* end = name.data() + name.size();
  const auto [ptr, ec] = std::from_chars(name.data() + 1, end, n);
  if (ec != std::errc() || ptr != end || n < 1) return std::nullopt;
  return n;
}

}  // namespace

std::string ModelVersions::PathOf(const std::string& name) const {
  return (fs::path(dir_) / name).string();
}

std::string ModelVersions::StagingPath(const std::string& name) const {
  return (fs::path(dir_) / StrCat(".", name, ".staging")).string();
}

absl::StatusOr<int> ModelVersions::Latest() const {
  std::error_code ec;
  if (!fs::exists(dir_, ec)) return 0;
  int latest = 0;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::optional<int> n = VersionNumber(it->path().filename().string());
    if (n && it->is_directory() && !it->is_symlink()) latest = std::max(latest, *n);
  }
  if (ec) return FsError("listing", dir_, ec);
  return latest;
}

absl::StatusOr<std::string> ModelVersions::Current() const {
  const fs::path link = fs::path(dir_) / kCurrent;
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(link, ec))) {
    if (fs::exists(fs::symlink_status(link, ec))) {
      return absl::FailedPreconditionError(
          StrCat(link.string(), " is not a symbolic link to a version"));
    }
    return std::string();
  }
  const std::string target = fs::read_symlink(link, ec).string();
  if (ec) return FsError("reading the link", link.string(), ec);
  if (!VersionNumber(target) || !fs::is_directory(PathOf(target), ec)) {
    return absl::FailedPreconditionError(
        StrCat(link.string(), " links to '", target, "', which is not a version of ", dir_));
  }
  return target;
}

absl::StatusOr<std::string> ModelVersions::Stage(std::string* name) const {
  SOUK_RETURN_IF_ERROR(MakeDirectories(dir_));
  SOUK_ASSIGN_OR_RETURN(const int latest, Latest());
  *name = StrCat("v", latest + 1);
  const std::string staging = StagingPath(*name);
  std::error_code ec;
  fs::remove_all(staging, ec);  // a crashed run's leftovers
  if (ec) return FsError("removing", staging, ec);
  if (!fs::create_directory(staging, ec) || ec) return FsError("creating", staging, ec);
  return staging;
}

absl::Status ModelVersions::Publish(const std::string& name) const {
  std::error_code ec;
  if (fs::exists(PathOf(name), ec)) {
    return absl::AlreadyExistsError(StrCat(PathOf(name), " already exists"));
  }
  fs::rename(StagingPath(name), PathOf(name), ec);
  if (ec) return FsError("publishing", PathOf(name), ec);
  return absl::OkStatus();
}

absl::Status ModelVersions::Promote(const std::string& name) const {
  std::error_code ec;
  if (!VersionNumber(name) || !fs::is_directory(PathOf(name), ec)) {
    return absl::NotFoundError(StrCat("no published version ", name, " in ", dir_));
  }
  // A relative link, so DIR can be moved or mounted elsewhere; renamed over `current`.
  const fs::path temporary = fs::path(dir_) / StrCat(".current.", getpid());
  fs::remove(temporary, ec);
  fs::create_directory_symlink(name, temporary, ec);
  if (ec) return FsError("linking", temporary.string(), ec);
  fs::rename(temporary, fs::path(dir_) / kCurrent, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return FsError("promoting", (fs::path(dir_) / kCurrent).string(), ec);
  }
  return absl::OkStatus();
}

}  // namespace souk::train
