// YamlBinder: reads typed values out of a YAML mapping, naming the YAML path in every error and
// rejecting keys nobody asked for. Private to config/.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "yaml-cpp/yaml.h"

namespace souk::config::internal {

class YamlBinder {
 public:
  /// `node` is the mapping found at `path` ("" for the root). A null node binds nothing.
  YamlBinder(const YAML::Node& node, std::string path);

  /// Each leaves `*out` untouched when the key is absent.
  void Bind(std::string_view key, bool* out);
  void Bind(std::string_view key, int* out);
  void Bind(std::string_view key, size_t* out);
  void Bind(std::string_view key, float* out);
  /// A value of the form "${NAME}" is replaced by environment variable NAME (an error if unset).
  void Bind(std::string_view key, std::string* out);
  /// A sequence of strings (a scalar or another sequence is an error).
  void Bind(std::string_view key, std::vector<std::string>* out);
  /// The child mapping at `key` (null when absent).
  YamlBinder Child(std::string_view key);
  /// The mappings of the sequence at `key`, named "key[i]" (none when absent).
  std::vector<YamlBinder> Items(std::string_view key);

  /// Fails on the first error seen, or on a key not in `known`.
  absl::Status Finish(std::initializer_list<std::string_view> known);
  const std::string& path() const { return path_; }

 private:
  std::string PathOf(std::string_view key) const;
  YAML::Node Get(std::string_view key);
  template <typename T>
  void BindScalar(std::string_view key, const char* type_name, T* out);

  YAML::Node node_;
  std::string path_;
  absl::Status status_;
};

}  // namespace souk::config::internal
