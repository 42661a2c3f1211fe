// ConsoleFiles (private to api/): the web console's static files (server.console.static_dir,
// web/console in the repository), read once at start-up and served from memory.
//
// Only the directory's own regular files with a known type (.html, .js, .css, .svg, .png, .ico,
// .json) are loaded, so a request can name nothing else: no path is ever joined with a
// request's. The directory must hold index.html. Immutable after Load; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace souk::api::internal {

struct StaticFile {
  std::string content_type;
  std::string body;
};

class ConsoleFiles {
 public:
  /// Files larger than this in all refuse the load (a wrong directory, not a console).
  static constexpr size_t kMaxTotalBytes = 8 << 20;

  /// Reads `dir`'s files. NOT_FOUND / INVALID_ARGUMENT naming server.console.static_dir when it
  /// is missing, lacks index.html or is too large.
  static absl::StatusOr<std::unique_ptr<ConsoleFiles>> Load(const std::string& dir);

  /// The file called `name` (no directory part), or null.
  const StaticFile* Find(const std::string& name) const;

 private:
  ConsoleFiles() = default;

  std::map<std::string, StaticFile> files_;
};

}  // namespace souk::api::internal
