// Helpers shared by Souk's tests: Status matchers, a temporary directory that cleans up after
// itself, and the location of real evaluation data (../shared/data), which tests read at run time.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#define EXPECT_OK(expr) EXPECT_TRUE((expr).ok()) << ::souk::testing::StatusOf(expr)
#define ASSERT_OK(expr) ASSERT_TRUE((expr).ok()) << ::souk::testing::StatusOf(expr)

namespace souk::testing {

inline absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

/// Matches an absl::Status or StatusOr whose code is `code` and whose message contains `substr`.
MATCHER_P2(StatusIs, code, substr, "") {
  const absl::Status s = ::souk::testing::StatusOf(arg);
  *result_listener << "status is " << s;
  return s.code() == code && s.message().find(substr) != std::string_view::npos;
}

/// A fresh directory under $TMPDIR, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  /// `path()/name`.
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  /// Writes `contents` to `path()/name` and returns the full path.
  std::string WriteFile(const std::string& name, const std::string& contents) const;

 private:
  std::string path_;
};

/// `<source dir>/<relative>`: committed fixtures under tests/.
std::string SourcePath(const std::string& relative);
/// Path to a file of ../shared/data, or nullopt when the data is not on this machine.
std::optional<std::string> SharedDataPath(const std::string& relative);

}  // namespace souk::testing
