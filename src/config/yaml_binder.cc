#include "yaml_binder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "souk/base/str_cat.h"

namespace souk::config::internal {

YamlBinder::YamlBinder(const YAML::Node& node, std::string path)
    : node_(node), path_(std::move(path)) {
  if (node_ && !node_.IsNull() && !node_.IsMap()) {
    status_ = absl::InvalidArgumentError(
        StrCat(path_.empty() ? "config" : path_, ": expected a mapping"));
  }
}

std::string YamlBinder::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : StrCat(path_, ".", key);
}

YAML::Node YamlBinder::Get(std::string_view key) {
  if (!status_.ok() || !node_ || !node_.IsMap()) return YAML::Node();
  return node_[std::string(key)];
}

template <typename T>
void YamlBinder::BindScalar(std::string_view key, const char* type_name, T* out) {
  YAML::Node value = Get(key);
  if (!value || value.IsNull()) return;
  T parsed{};
  if (!value.IsScalar() || !YAML::convert<T>::decode(value, parsed)) {
    status_ = absl::InvalidArgumentError(StrCat(PathOf(key), ": expected ", type_name));
    return;
  }
  *out = parsed;
}

void YamlBinder::Bind(std::string_view key, bool* out) { BindScalar(key, "true or false", out); }
void YamlBinder::Bind(std::string_view key, int* out) { BindScalar(key, "an integer", out); }
void YamlBinder::Bind(std::string_view key, std::string* out) {
  BindScalar(key, "a string", out);
  // "${NAME}": the environment variable's value, so that secrets stay out of config files.
  if (!status_.ok() || out->size() < 4 || out->rfind("${", 0) != 0 || out->back() != '}') return;
  const std::string name = out->substr(2, out->size() - 3);
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    status_ = absl::InvalidArgumentError(
        StrCat(PathOf(key), ": environment variable ", name, " is not set"));
    return;
  }
  *out = value;
}
void YamlBinder::Bind(std::string_view key, float* out) {
  BindScalar(key, "a number", out);
  if (status_.ok() && !std::isfinite(*out)) {
    status_ = absl::InvalidArgumentError(StrCat(PathOf(key), ": expected a finite number"));
  }
}

void YamlBinder::Bind(std::string_view key, size_t* out) {
  // yaml-cpp decodes "-1" into a huge unsigned value: go through a signed type.
  long long value = static_cast<long long>(*out);
  BindScalar(key, "a non-negative integer", &value);
  if (!status_.ok()) return;
  if (value < 0) {
    status_ = absl::InvalidArgumentError(StrCat(PathOf(key), ": expected a non-negative integer"));
    return;
  }
  *out = static_cast<size_t>(value);
}

void YamlBinder::Bind(std::string_view key, std::vector<std::string>* out) {
  YAML::Node value = Get(key);
  if (!value || value.IsNull()) return;
  std::vector<std::string> parsed;
  for (size_t i = 0; value.IsSequence() && i < value.size(); ++i) {
    if (!value[i].IsScalar()) break;
    parsed.push_back(value[i].as<std::string>());
  }
  if (!value.IsSequence() || parsed.size() != value.size()) {
    status_ = absl::InvalidArgumentError(StrCat(PathOf(key), ": expected a list of strings"));
    return;
  }
  *out = std::move(parsed);
}

YamlBinder YamlBinder::Child(std::string_view key) {
  YamlBinder child(Get(key), PathOf(key));
  if (!child.status_.ok() && status_.ok()) status_ = child.status_;
  return child;
}

std::vector<YamlBinder> YamlBinder::Items(std::string_view key) {
  std::vector<YamlBinder> items;
  YAML::Node list = Get(key);
  if (!list || list.IsNull()) return items;
  if (!list.IsSequence()) {
    status_ = absl::InvalidArgumentError(StrCat(PathOf(key), ": expected a list"));
    return items;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    items.emplace_back(list[i], StrCat(PathOf(key), "[", i, "]"));
    if (!items.back().status_.ok() && status_.ok()) status_ = items.back().status_;
  }
  return items;
}

absl::Status YamlBinder::Finish(std::initializer_list<std::string_view> known) {
  if (!status_.ok() || !node_ || !node_.IsMap()) return status_;
  for (const auto& entry : node_) {
    const std::string key = entry.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return absl::InvalidArgumentError(StrCat(PathOf(key), ": unknown key"));
    }
  }
  return absl::OkStatus();
}

}  // namespace souk::config::internal
