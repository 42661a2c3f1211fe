// SoukConfig: the whole server configuration, read from YAML (configs/*.yaml document every key).
//
// Each section maps onto one component's Options struct; the loader is the only code that knows
// YAML. Unknown keys and values of the wrong type are errors naming their YAML path
// ("lexical.k1: expected a number"). Precedence: defaults < file < --set overrides.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/api/server_options.h"
#include "souk/base/logging.h"
#include "souk/engine/engine_options.h"
#include "souk/engine/feedback_engine.h"

namespace souk::config {

struct SoukConfig {
  api::ServerOptions server;
  engine::SnapshotOptions snapshot;  ///< Sections index, analyzer, lexical, encoder, vectors.
  engine::SearchOptions search;
  engine::SuggestOptions suggest;
  engine::RecommendOptions recommend;  ///< Section recommend, with snapshot.recommender.
  engine::FeedbackOptions feedback;
  logging::LogOptions logging;

  absl::Status Validate() const;
};

/// Parses YAML text; `overrides` are "a.b.c=value" strings applied on top (value parsed as YAML).
absl::StatusOr<SoukConfig> ParseConfig(const std::string& yaml,
                                       const std::vector<std::string>& overrides = {});
/// Reads and parses a file; errors start with the file name.
absl::StatusOr<SoukConfig> LoadConfigFile(const std::string& path,
                                          const std::vector<std::string>& overrides = {});
/// The effective configuration as YAML, every key included (soukd --print-config).
std::string ToYaml(const SoukConfig& config);

}  // namespace souk::config
