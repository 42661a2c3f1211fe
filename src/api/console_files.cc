#include "console_files.h"

#include <filesystem>
#include <system_error>

#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::api::internal {
namespace {

namespace fs = std::filesystem;

// The served types by extension; other files are not loaded.
const char* ContentType(const std::string& extension) {
  static const std::map<std::string, const char*> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json; charset=utf-8"}};
  auto it = kTypes.find(extension);
  return it == kTypes.end() ? nullptr : it->second;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ConsoleFiles>> ConsoleFiles::Load(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return absl::NotFoundError(
        StrCat("server.console.static_dir: '", dir,
               "' is not a directory (the repository's "
               "web/console, relative to the working directory unless absolute)"));
  }
  std::unique_ptr<ConsoleFiles> files(new ConsoleFiles());
  size_t total = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    const char* type = ContentType(entry.path().extension().string());
    if (type == nullptr || !entry.is_regular_file(error)) continue;
    absl::StatusOr<std::string> body = ReadFileToString(entry.path().string());
    if (!body.ok()) return Annotate(body.status(), "server.console.static_dir");
    total += body->size();
    if (total > kMaxTotalBytes) {
      return absl::InvalidArgumentError(StrCat("server.console.static_dir: '", dir, "' holds over ",
                                               kMaxTotalBytes >> 20,
                                               " MiB of files; is it the console's directory?"));
    }
    files->files_[entry.path().filename().string()] = {type, *std::move(body)};
  }
  if (error) {
    return absl::UnavailableError(
        StrCat("server.console.static_dir: reading '", dir, "': ", error.message()));
  }
  if (files->Find("index.html") == nullptr) {
    return absl::NotFoundError(StrCat("server.console.static_dir: '", dir, "' has no index.html"));
  }
  return files;
}

const StaticFile* ConsoleFiles::Find(const std::string& name) const {
  auto it = files_.find(name);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace souk::api::internal
