#include "souk/train/ranker_retrain.h"

#include <filesystem>
#include <string_view>

#include "nlohmann/json.hpp"
#include "souk/base/clock.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/events/event_jsonl.h"
#include "souk/events/event_log.h"
#include "souk/train/model_versions.h"

namespace souk::train {
namespace {

constexpr char kRankerFile[] = "ranker.json";
constexpr char kReportFile[] = "report.json";
constexpr char kLogExport[] = "events.jsonl";

// The log as events.jsonl in `dir` (what ranker training reads); returns the events written.
absl::StatusOr<size_t> ExportLog(const std::string& event_log, const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<events::EventLog> log,
                        events::EventLog::Open({.path = event_log, .read_only = true}));
  std::string text;
  size_t events = 0;
  SOUK_RETURN_IF_ERROR(log->Replay(0, [&](uint64_t, const events::Event& e) {
    text += events::EventJsonLine(e);
    ++events;
    return absl::OkStatus();
  }));
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(path, text));
  return events;
}

// The serving ranker's path: the override, else the current version's, else none.
absl::StatusOr<std::string> ServingRanker(const RankerRetrainOptions& options,
                                          const ModelVersions& versions) {
  if (!options.serving_ranker.empty()) return options.serving_ranker;
  SOUK_ASSIGN_OR_RETURN(const std::string current, versions.Current());
  if (current.empty()) return std::string();
  return (std::filesystem::path(versions.PathOf(current)) / kRankerFile).string();
}

nlohmann::json ReportJson(const RankerRetrainResult& r, const RankerRetrainOptions& options) {
  const RankerTrainingResult& t = r.training;
  return {{"version", r.version},
          {"created_unix_ms", NowUnixMillis()},
          {"event_log", options.event_log},
          {"events", r.events},
          {"serving_ranker", r.serving_ranker},
          {"training",
           {{"searches", t.train_queries},
            {"groups", t.train_groups},
            {"rows", t.train_rows},
            {"trees", t.rounds},
            {"seconds", t.seconds}}},
          {"heldout",
           {{"searches", t.heldout_logged_searches},
            {"ips_ndcg@10",
             {{"retrieval", t.heldout_ips_ndcg_retrieval},
              {"new", t.heldout_ips_ndcg_ranker},
              {"serving", t.heldout_ips_ndcg_baseline}}},
            {"gain",
             {{"estimate", t.heldout_ips_ndcg_gain.estimate},
              {"low", t.heldout_ips_ndcg_gain.low},
              {"high", t.heldout_ips_ndcg_gain.high}}},
            {"ndcg@10",
             {{"retrieval", t.heldout_ndcg_retrieval},
              {"new", t.heldout_ndcg_ranker},
              {"serving", t.heldout_ndcg_baseline}}}}},
          {"promoted", r.decision.promote},
          {"reason", r.decision.reason},
          {"forced", options.force}};
}

}  // namespace

absl::Status RankerRetrainOptions::Validate() const {
  if (event_log.empty()) return absl::InvalidArgumentError("event_log: must not be empty");
  if (models_dir.empty()) return absl::InvalidArgumentError("models_dir: must not be empty");
  if (min_heldout_searches == 0) {
    return absl::InvalidArgumentError("min_heldout_searches: must be >= 1");
  }
  if (!(training.heldout_fraction > 0)) {
    return absl::InvalidArgumentError(
        "heldout_fraction: must be > 0, the comparison with the serving ranker needs held-out "
        "searches");
  }
  return absl::OkStatus();
}

HeldOutComparison CompareWithServing(const RankerTrainingResult& result, bool has_serving_ranker) {
  return {.metric = "debiased NDCG@10",
          .cases = "searches",
          .serving = has_serving_ranker ? "the serving ranker" : "retrieval order",
          .count = result.heldout_logged_searches,
          .candidate = result.heldout_ips_ndcg_ranker,
          .baseline = result.heldout_ips_ndcg_baseline,
          .gain = result.heldout_ips_ndcg_gain};
}

absl::StatusOr<RankerRetrainResult> RetrainRanker(const engine::SearchEngine& engine,
                                                  const RankerRetrainOptions& options,
                                                  const rank::LambdaMart::RoundCallback& on_round) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const ModelVersions versions(options.models_dir);
  RankerRetrainResult result;
  SOUK_ASSIGN_OR_RETURN(result.serving_ranker, ServingRanker(options, versions));
  SOUK_ASSIGN_OR_RETURN(const std::string staging, versions.Stage(&result.version));
  const std::string exported = (std::filesystem::path(staging) / kLogExport).string();
  absl::StatusOr<size_t> events = ExportLog(options.event_log, exported);
  if (!events.ok()) return Annotate(events.status(), "reading the event log");
  result.events = *events;

  RankerTrainingOptions training = options.training;
  training.qrels.clear();
  training.sessions = {exported};
  training.out = (std::filesystem::path(staging) / kRankerFile).string();
  training.baseline_ranker = result.serving_ranker;
  absl::StatusOr<RankerTrainingResult> trained = TrainRanker(engine, training, on_round);
  SOUK_RETURN_IF_ERROR(RemoveFileIfExists(exported));  // the log stays the source of truth
  SOUK_RETURN_IF_ERROR(trained.status());
  result.training = *std::move(trained);
  result.decision =
      DecidePromotion(CompareWithServing(result.training, !result.serving_ranker.empty()),
                      options.min_heldout_searches, options.force);

  const std::string report = (std::filesystem::path(staging) / kReportFile).string();
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(report, ReportJson(result, options).dump(2) + "\n"));
  SOUK_RETURN_IF_ERROR(versions.Publish(result.version));
  result.version_dir = versions.PathOf(result.version);
  if (result.decision.promote) SOUK_RETURN_IF_ERROR(versions.Promote(result.version));
  SOUK_LOG_INFO(
      "train", "ranker ", result.version,
      result.decision.promote ? " promoted: " : " not promoted: ", result.decision.reason);
  return result;
}

}  // namespace souk::train
