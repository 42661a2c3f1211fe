// souk train rewrites: learned query rewrites from an events log (train/query_rewrites.h), as
// the TSV file lexical.rewrites.learned_file serves.

#include <iostream>
#include <vector>

#include "cmd_util.h"
#include "commands.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/lexical/rewrite_rules.h"
#include "souk/text/analyzer.h"
#include "souk/train/query_rewrites.h"
#include "souk/train/search_log.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk train rewrites --events EVENTS.jsonl --out REWRITES.tsv [--min-users 2]
                           [--session-gap-s 1800] [--config FILE [--set k=v ...]]

Learns query rewrites from a search log (a demo shop events.jsonl or `souk events` export): a
shopper who searched A, carted nothing from it, then searched B in the same session and bought
from B's results rewrote A to B. Each A gets the B that the most shoppers (at least
--min-users) rewrote it to, when B has a term A lacks. Queries are compared as the analyzer of
--config (section analyzer; the default analyzer without one) makes them. Serve the result
with lexical.rewrites.learned_file.
)";

absl::Status Learn(const Flags& flags) {
  text::AnalyzerOptions analyzer_options;
  if (flags.Has("config")) {
    SOUK_ASSIGN_OR_RETURN(const config::SoukConfig config, ConfigFromFlags(flags, ""));
    analyzer_options = config.snapshot.analyzer;
  }
  train::RewriteLearningOptions options;
  SOUK_ASSIGN_OR_RETURN(const int64_t min_users, flags.GetInt("min-users", 2));
  SOUK_ASSIGN_OR_RETURN(options.session_gap_s, flags.GetInt("session-gap-s", 1800));
  if (min_users < 1) return absl::InvalidArgumentError("--min-users: must be >= 1");
  if (options.session_gap_s < 1) return absl::InvalidArgumentError("--session-gap-s: must be >= 1");
  options.min_users = static_cast<size_t>(min_users);
  SOUK_ASSIGN_OR_RETURN(auto analyzer, text::Analyzer::Create(analyzer_options));
  SOUK_ASSIGN_OR_RETURN(const std::vector<train::LoggedSearch> log,
                        train::ReadSearchLog(flags.Get("events")));
  const std::vector<lexical::LearnedRewrite> rewrites =
      train::LearnQueryRewrites(log, *analyzer, options);
  SOUK_RETURN_IF_ERROR(lexical::WriteLearnedRewrites(flags.Get("out"), rewrites));
  std::cout << StrCat(rewrites.size(), " rewrites from ", log.size(), " searches -> ",
                      flags.Get("out"))
            << "\n";
  return absl::OkStatus();
}

}  // namespace

int RunTrainRewrites(int argc, char** argv) {
  auto flags =
      Flags::Parse(argc, argv, 3,
                   {.with_value = {"events", "out", "min-users", "session-gap-s", "config", "set"},
                    .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk train rewrites", flags.status());
  if (flags->Has("help")) return Usage(kUsage, true);
  if (absl::Status s = flags->Require({"events", "out"}); !s.ok()) {
    return Fail("souk train rewrites", s);
  }
  if (absl::Status s = Learn(*flags); !s.ok()) return Fail("souk train rewrites", s);
  return 0;
}

}  // namespace souk::apps
