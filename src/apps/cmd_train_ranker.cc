// souk train ranker: a LambdaMART ranker from judged queries, over the served candidates.

#include <iostream>
#include <sstream>

#include "cmd_util.h"
#include "commands.h"
#include "ranker_flags.h"
#include "souk/base/status_macros.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/snapshot.h"
#include "souk/train/ranker_training.h"
#include "train_flags.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk train ranker --index DIR --out RANKER.json (--qrels FILE | --sessions FILE)...
                         [--config FILE] [--set k=v ...] [--heldout 0.1] [--gain-offset 0]
                         [--relevant-grade 1] [--label-scale 1] [--no-position-debias]
                         [--min-propensity 0.3] [--all-candidates] [--rounds 500]
                         [--early-stopping 50] [--lr 0.05] [--max-depth 6] [--subsample 0.8]
                         [--colsample 0.8] [--seed 42] [--threads 0]
                         [--exclude-features NAME,...] [--baseline RANKER.json]

Searches every judged query on the index (with the encoder of --config, if any) exactly as the
server does, and trains XGBoost rank:ndcg on the candidates' features (docs/ranking.md). Clicks
of --sessions are weighted by the inverse of their position's examination propensity, estimated
from the same log (--no-position-debias: plain highest grades). A logged search's group holds
the products of the page it showed (--all-candidates: every candidate, the unshown ones as
negatives) with its behaviour features as they were when it ran (the log replayed through the
aggregates of --config's feedback section); the most recent --heldout share of each log is held
out. Serve the result with `ranker.model: RANKER.json`. --exclude-features leaves the named
features of docs/ranking.md out of the model (ablations). --early-stopping 0 keeps every round.
--baseline reports another ranker (the serving one) on the same held-out queries.
)";

absl::Status ReadFlags(const Flags& flags, train::RankerTrainingOptions* o) {
  o->qrels = flags.GetAll("qrels");
  o->sessions = flags.GetAll("sessions");
  o->out = flags.Get("out");
  o->baseline_ranker = flags.Get("baseline");
  SOUK_ASSIGN_OR_RETURN(o->metrics.gain_offset, flags.GetDouble("gain-offset", 0));
  SOUK_ASSIGN_OR_RETURN(o->metrics.relevant_min_grade, flags.GetDouble("relevant-grade", 1));
  SOUK_ASSIGN_OR_RETURN(o->label_scale, flags.GetDouble("label-scale", o->label_scale));
  SOUK_RETURN_IF_ERROR(ReadRankerFlags(flags, o));
  return o->Validate();
}

void PrintRound(const rank::RoundMetrics& m) {
  if (m.round % 10 != 0 && m.round != 1) return;
  std::cerr << "ranker round " << m.round << " train ndcg@10 " << m.train_ndcg
            << " held-out ndcg@10 " << m.validation_ndcg << "\n";
}

std::string Baseline(const train::RankerTrainingOptions& options, double ndcg) {
  if (options.baseline_ranker.empty()) return "";
  std::ostringstream out;
  out << ", baseline " << ndcg;
  return out.str();
}

void PrintResult(const train::RankerTrainingResult& r,
                 const train::RankerTrainingOptions& options) {
  for (size_t i = 0; i < r.propensities.size(); ++i) {
    std::cout << "examination propensity by position (" << options.sessions[i] << "):";
    for (const double theta : r.propensities[i].theta) std::cout << " " << theta;
    std::cout << "\n";
    if (!r.propensities[i].fallback_positions.empty()) {
      std::cout << "  too few pairs shown at both 1 and k, click-rate ratio used for k =";
      for (const int k : r.propensities[i].fallback_positions) std::cout << " " << k;
      std::cout << "\n";
    }
  }
  std::cout << "ranker: " << r.train_queries << " train queries (" << r.skipped_queries
            << " without a judged candidate; " << r.train_groups << " groups, " << r.train_rows
            << " rows), " << r.heldout_queries << " held out, " << r.rounds << " trees, "
            << r.seconds << " s\n"
            << "  held-out ndcg@10: retrieval order " << r.heldout_ndcg_retrieval << ", ranker "
            << r.heldout_ndcg_ranker << Baseline(options, r.heldout_ndcg_baseline) << "\n"
            << "  held-out ndcg@10 of grade >= " << options.metrics.relevant_min_grade << " only ("
            << r.heldout_relevant_queries << " queries): retrieval order "
            << r.heldout_relevant_ndcg_retrieval << ", ranker " << r.heldout_relevant_ndcg_ranker
            << "\n";
  if (r.heldout_logged_searches > 0) {
    std::cout << "  held-out logged searches, position-debiased ndcg@10 ("
              << r.heldout_logged_searches << "): retrieval order " << r.heldout_ips_ndcg_retrieval
              << ", ranker " << r.heldout_ips_ndcg_ranker
              << Baseline(options, r.heldout_ips_ndcg_baseline) << "\n"
              << "  ranker minus "
              << (options.baseline_ranker.empty() ? "retrieval order" : "baseline")
              << ", search by search: " << r.heldout_ips_ndcg_gain.estimate << " [95% CI "
              << r.heldout_ips_ndcg_gain.low << ", " << r.heldout_ips_ndcg_gain.high << "]\n";
  }
  std::cout << "ranker -> " << options.out << "\n";
}

}  // namespace

int RunTrainRanker(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 3,
      {.with_value = Union({kRankerFlags,
                            {"index", "out", "qrels", "sessions", "config", "set", "gain-offset",
                             "relevant-grade", "label-scale", "baseline"}}),
       .boolean = Union({kRankerBooleans, {"help"}})});
  if (!flags.ok()) return Fail("souk train ranker", flags.status());
  if (flags->Has("help")) return Usage(kUsage, true);
  if (absl::Status s = flags->Require({"index", "out"}); !s.ok()) {
    return Fail("souk train ranker", s);
  }
  train::RankerTrainingOptions options;
  if (absl::Status s = ReadFlags(*flags, &options); !s.ok()) return Fail("souk train ranker", s);
  auto cfg = ConfigFromFlags(*flags, flags->Get("index"));
  if (!cfg.ok()) return Fail("souk train ranker", cfg.status());
  cfg->snapshot.ranker_model.clear();  // candidates and features do not depend on a ranker
  options.aggregates = cfg->feedback.aggregates;  // behaviour features count as serving's do
  options.sentiment = cfg->feedback.sentiment.classifier;
  auto snapshot = engine::Snapshot::Load(cfg->snapshot);
  if (!snapshot.ok()) return Fail("souk train ranker", snapshot.status());
  auto engine = engine::SearchEngine::Create(cfg->search, *snapshot);
  if (!engine.ok()) return Fail("souk train ranker", engine.status());
  auto result = train::TrainRanker(**engine, options, PrintRound);
  if (!result.ok()) return Fail("souk train ranker", result.status());
  PrintResult(*result, options);
  return 0;
}

}  // namespace souk::apps
