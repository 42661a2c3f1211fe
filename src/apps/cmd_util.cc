#include "cmd_util.h"

namespace souk::apps {

absl::StatusOr<config::SoukConfig> ConfigFromFlags(const Flags& flags,
                                                   const std::string& index_dir) {
  std::vector<std::string> overrides = flags.GetAll("set");
  if (!index_dir.empty()) {
    // A single-quoted YAML scalar takes any path; its only escape is '' for '.
    std::string quoted;
    for (char c : index_dir) quoted += (c == '\'' ? std::string("''") : std::string(1, c));
    overrides.push_back("index.dir='" + quoted + "'");
  }
  if (flags.Has("config")) return config::LoadConfigFile(flags.Get("config"), overrides);
  return config::ParseConfig("", overrides);
}

}  // namespace souk::apps
