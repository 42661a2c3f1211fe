#include "cmd_util.h"

#include <cstdio>
#include <iterator>

namespace souk::apps {
namespace {

// The first `max_chars` code points of UTF-8 `s`, with "..." when cut.
std::string Clip(const std::string& s, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == max_chars) {
      return s.substr(0, i) + "...";
    }
  }
  return s;
}

}  // namespace

void PrintResultTable(const std::vector<ResultRow>& rows) {
  std::printf("%4s  %8s  %-14s  %-16s  %9s  %s\n", "rank", "score", "product", "brand", "price",
              "title");
  for (size_t i = 0; i < rows.size(); ++i) {
    const catalog::Product& p = *rows[i].product;
    char price[32] = "-";
    if (p.price) std::snprintf(price, sizeof(price), "%.2f", *p.price);
    std::printf("%4zu  %8.3f  %-14s  %-16s  %9s  %s\n", i + 1, rows[i].score,
                Clip(p.id, 14).c_str(), Clip(p.brand, 16).c_str(), price,
                Clip(p.title, 70).c_str());
  }
  if (rows.empty()) std::printf("(no results)\n");
}

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
