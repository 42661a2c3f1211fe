// Command-line flags for Souk's executables: `--name value`, `--name=value`, boolean `--name`,
// repeated flags, positional arguments, and `--` ending the flags. Unknown flags are errors, so
// typos never pass silently.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace souk::apps {

struct FlagSpec {
  std::set<std::string> with_value;  ///< Flags that take a value (may repeat).
  std::set<std::string> boolean;     ///< Flags that take none.
};

/// The flags of several groups (a command's own and shared ones) as one set.
std::set<std::string> Union(std::initializer_list<std::set<std::string>> sets);

class Flags {
 public:
  /// Parses argv[first..argc).
  static absl::StatusOr<Flags> Parse(int argc, char** argv, int first, const FlagSpec& spec);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  /// The last value given, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> GetAll(const std::string& name) const;
  /// The value as an integer, or `fallback` when absent; an error naming the flag if malformed.
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t fallback) const;
  /// The value as a finite number, or `fallback` when absent.
  absl::StatusOr<double> GetDouble(const std::string& name, double fallback) const;
  /// An error naming every flag of `names` that is absent.
  absl::Status Require(const std::vector<std::string>& names) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace souk::apps
