#include "flags.h"

#include <charconv>
#include <cmath>

#include "souk/base/str_cat.h"

namespace souk::apps {

std::set<std::string> Union(std::initializer_list<std::set<std::string>> sets) {
  std::set<std::string> out;
  for (const auto& s : sets) out.insert(s.begin(), s.end());
  return out;
}

absl::StatusOr<Flags> Flags::Parse(int argc, char** argv, int first, const FlagSpec& spec) {
  Flags flags;
  bool options_ended = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (!options_ended && arg == "--") {  // everything after is positional ("--" queries)
      options_ended = true;
      continue;
    }
    if (options_ended || arg.rfind("--", 0) != 0) {
      flags.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (spec.boolean.count(name)) {
      if (value) return absl::InvalidArgumentError(StrCat("--", name, " takes no value"));
      flags.values_[name].push_back("true");
    } else if (spec.with_value.count(name)) {
      if (!value) {
        if (i + 1 >= argc) return absl::InvalidArgumentError(StrCat("--", name, " needs a value"));
        value = argv[++i];
      }
      flags.values_[name].push_back(*value);
    } else {
      return absl::InvalidArgumentError(StrCat("unknown flag --", name));
    }
  }
  return flags;
}

std::string Flags::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<int64_t> Flags::GetInt(const std::string& name, int64_t fallback) const {
  if (!Has(name)) return fallback;
  const std::string text = Get(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return absl::InvalidArgumentError(StrCat("--", name, ": '", text, "' is not an integer"));
  }
  return value;
}

absl::StatusOr<double> Flags::GetDouble(const std::string& name, double fallback) const {
  if (!Has(name)) return fallback;
  const std::string text = Get(name);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return absl::InvalidArgumentError(StrCat("--", name, ": '", text, "' is not a number"));
  }
  return value;
}

absl::Status Flags::Require(const std::vector<std::string>& names) const {
  std::string missing;
  for (const std::string& n : names) {
    if (!Has(n)) missing += StrCat(missing.empty() ? "" : ", ", "--", n);
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat("missing required flag(s): ", missing));
}

}  // namespace souk::apps
