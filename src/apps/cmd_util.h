// Helpers shared by the `souk` subcommands.
#pragma once

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "flags.h"
#include "souk/catalog/product.h"
#include "souk/config/souk_config.h"

namespace souk::apps {

/// Prints "<who>: <status>" (who: "soukd", "souk index", ...) and returns 1.
inline int Fail(const std::string& who, const absl::Status& status) {
  std::cerr << who << ": " << status << "\n";
  return 1;
}

/// Prints the usage (to stdout for --help, else stderr) and returns 0 or 2.
inline int Usage(std::string_view usage, bool help) {
  (help ? std::cout : std::cerr) << usage;
  return help ? 0 : 2;
}

/// One line of a result table.
struct ResultRow {
  const catalog::Product* product;
  float score;
};
/// Prints rank, score, id, brand, price and title, one product a line, to stdout.
void PrintResultTable(const std::vector<ResultRow>& rows);

/// The configuration named by --config (with --set overrides), or the defaults; `index_dir`
/// replaces index.dir when not empty.
absl::StatusOr<config::SoukConfig> ConfigFromFlags(const Flags& flags,
                                                   const std::string& index_dir);

}  // namespace souk::apps
