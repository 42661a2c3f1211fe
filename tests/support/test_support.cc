#include "support/test_support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace souk::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "souk_test_XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::WriteFile(const std::string& name, const std::string& contents) const {
  const std::string path = File(name);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

namespace {
std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}
}  // namespace

std::string SourcePath(const std::string& relative) {
  return EnvOr("SOUK_SOURCE_DIR", SOUK_DEFAULT_SOURCE_DIR) + "/" + relative;
}

std::optional<std::string> SharedDataPath(const std::string& relative) {
  const std::string dir = EnvOr("SOUK_SHARED_DATA", SOUK_DEFAULT_SHARED_DATA);
  if (dir.empty()) return std::nullopt;
  std::string path = dir + "/" + relative;
  if (!std::filesystem::exists(path)) return std::nullopt;
  return path;
}

}  // namespace souk::testing
