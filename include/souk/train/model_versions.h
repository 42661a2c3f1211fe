// A versioned model directory: what `souk retrain` writes and soukd serves from.
//
//   DIR/v1/, DIR/v2/, ...   one directory per trained version, never changed once published
//   DIR/current             a symbolic link to the serving version ("v2")
//
// A version is built in a staging directory beside its final name (".v3.staging") and renamed
// into place when complete, so DIR never holds half a version; promotion replaces `current` by
// renaming a new link over it, so a reader (soukd's Reload, through `DIR/current/ranker.json`)
// sees the old version or the new one, never none. A staging directory left by a crash is
// removed by the next Stage.
//
// Thread-safety: one writer per DIR at a time (retraining is one process); readers any time.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace souk::train {

class ModelVersions {
 public:
  explicit ModelVersions(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }
  /// The highest published version number; 0 when none.
  absl::StatusOr<int> Latest() const;
  /// The version `current` links to ("v2"); empty when there is no `current` link. A `current`
  /// that is not a link to a version of DIR is FAILED_PRECONDITION.
  absl::StatusOr<std::string> Current() const;
  /// The directory of version `name` ("v2"): DIR/v2.
  std::string PathOf(const std::string& name) const;
  /// Creates DIR (if needed) and an empty staging directory for the next version; returns its
  /// path and sets `*name` to the version it will become ("v3").
  absl::StatusOr<std::string> Stage(std::string* name) const;
  /// Renames the staging directory of `name` into place (DIR/v3).
  absl::Status Publish(const std::string& name) const;
  /// Points `current` at published version `name`, atomically.
  absl::Status Promote(const std::string& name) const;

 private:
  std::string StagingPath(const std::string& name) const;

  std::string dir_;
};

}  // namespace souk::train
