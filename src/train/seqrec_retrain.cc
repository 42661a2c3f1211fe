#include "souk/train/seqrec_retrain.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "nlohmann/json.hpp"
#include "souk/base/clock.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/events/event_log.h"
#include "souk/model/seqrec_model.h"
#include "souk/recommend/interactions.h"
#include "souk/recommend/recommender.h"
#include "souk/train/model_versions.h"

namespace souk::train {
namespace {

namespace fs = std::filesystem;

constexpr char kInteractionsFile[] = "interactions.txt";
constexpr char kReportFile[] = "report.json";
constexpr char kCheckpointFile[] = "checkpoint.pt";  // training's; the version keeps the model
constexpr size_t kTopK = 10;
constexpr size_t kBatch = 256;

// Every user's items, oldest first, in order of the users' first appearance.
struct Histories {
  std::vector<std::string> users;
  absl::flat_hash_map<std::string, std::vector<std::string>> items;
  absl::flat_hash_map<std::string, int64_t> last_log_ms;  ///< The users the log added to.

  void Add(const std::string& user, const std::string& item) {
    std::vector<std::string>& history = items[user];
    if (history.empty()) users.push_back(user);
    if (history.empty() || history.back() != item) history.push_back(item);
  }
};

// A held-out user: the history before their newest item, and that item.
struct HeldOut {
  std::vector<std::string> before;
  std::string item;
};

absl::Status ReadBaseHistories(const std::string& path, Histories* histories) {
  if (path.empty()) return absl::OkStatus();
  SOUK_ASSIGN_OR_RETURN(const recommend::Interactions read, recommend::ReadInteractions(path));
  for (const recommend::UserHistory& user : read.users) {
    for (const recommend::ItemIndex item : user.items)
      histories->Add(user.user, read.items.Name(item));
  }
  return absl::OkStatus();
}

bool IsHistoryAction(const events::Event& e) {
  return (e.type == events::EventType::kClick || e.type == events::EventType::kAddToCart ||
          e.type == events::EventType::kPurchase) &&
         !e.user_id.empty() && !e.product_id.empty();
}

// Appends the log's clicks, carts and purchases, in time order (log order among equal times).
absl::Status AddLogHistories(const std::string& event_log, Histories* histories,
                             SeqRecRetrainResult* result) {
  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<events::EventLog> log,
                        events::EventLog::Open({.path = event_log, .read_only = true}));
  std::vector<std::tuple<int64_t, uint64_t, std::string, std::string>> actions;
  SOUK_RETURN_IF_ERROR(log->Replay(0, [&](uint64_t sequence, const events::Event& e) {
    ++result->events;
    if (IsHistoryAction(e)) actions.emplace_back(e.timestamp_ms, sequence, e.user_id, e.product_id);
    return absl::OkStatus();
  }));
  std::sort(actions.begin(), actions.end());
  for (const auto& [ms, sequence, user, product] : actions) {
    histories->Add(user, product);
    histories->last_log_ms[user] = ms;
  }
  result->log_actions = actions.size();
  return absl::OkStatus();
}

// Takes the newest item of the log's most recently active users (at most `max`) out of their
// histories; a user needs an item before it.
std::vector<HeldOut> HoldOut(size_t max, Histories* histories) {
  std::vector<std::pair<int64_t, std::string>> recent;
  for (const auto& [user, ms] : histories->last_log_ms) {
    if (histories->items[user].size() >= 2) recent.emplace_back(ms, user);
  }
  std::sort(recent.rbegin(), recent.rend());
  recent.resize(std::min(recent.size(), max));
  std::vector<HeldOut> held;
  for (const auto& [ms, user] : recent) {
    std::vector<std::string>& items = histories->items[user];
    held.push_back({{items.begin(), items.end() - 1}, items.back()});
    items.pop_back();
  }
  return held;
}

absl::Status WriteInteractions(const Histories& histories, const std::string& path) {
  std::string text;
  for (const std::string& user : histories.users) {
    for (const std::string& item : histories.items.at(user)) text += StrCat(user, " ", item, "\n");
  }
  return WriteFileAtomically(path, text);
}

// Each held-out user's NDCG@10 (and into `hits`, HR@10) of their item under the model in `dir`;
// zeros without a model.
absl::StatusOr<std::vector<double>> ScoreHeldOut(const std::string& dir,
                                                 const std::vector<HeldOut>& held,
                                                 std::vector<double>* hits) {
  std::vector<double> ndcg(held.size(), 0);
  hits->assign(held.size(), 0);
  if (dir.empty()) return ndcg;
  SOUK_ASSIGN_OR_RETURN(const std::unique_ptr<model::SeqRecModel> model,
                        model::SeqRecModel::Load(dir, "cpu"));
  SOUK_ASSIGN_OR_RETURN(const recommend::ItemVocabulary vocabulary,
                        recommend::ReadSeqRecItems(dir, model->config().num_items));
  for (size_t start = 0; start < held.size(); start += kBatch) {
    const size_t end = std::min(held.size(), start + kBatch);
    std::vector<std::vector<uint32_t>> histories;
    for (size_t u = start; u < end; ++u) {
      std::vector<uint32_t>& history = histories.emplace_back();
      for (const std::string& item : held[u].before) {
        if (const recommend::ItemIndex index = vocabulary.Find(item)) history.push_back(index);
      }
    }
    SOUK_ASSIGN_OR_RETURN(const auto top, model->TopK(histories, kTopK));
    for (size_t u = start; u < end; ++u) {
      const recommend::ItemIndex target = vocabulary.Find(held[u].item);
      const auto& ranked = top[u - start];
      for (size_t r = 0; target != 0 && r < ranked.size(); ++r) {
        if (ranked[r].item != target) continue;
        ndcg[u] = 1 / std::log2(r + 2.0);
        (*hits)[u] = 1;
      }
    }
  }
  return ndcg;
}

double Mean(const std::vector<double>& values) { return MeanInterval(values).estimate; }

// The held-out comparison of the new model in `dir` with the serving one.
absl::Status Compare(const std::string& dir, const std::vector<HeldOut>& held,
                     SeqRecRetrainResult* result) {
  std::vector<double> new_hits, serving_hits;
  SOUK_ASSIGN_OR_RETURN(const std::vector<double> new_ndcg, ScoreHeldOut(dir, held, &new_hits));
  absl::StatusOr<std::vector<double>> serving_ndcg =
      ScoreHeldOut(result->serving_model, held, &serving_hits);
  if (!serving_ndcg.ok()) return Annotate(serving_ndcg.status(), "the serving model");
  std::vector<double> gains(held.size());
  for (size_t u = 0; u < held.size(); ++u) gains[u] = new_ndcg[u] - (*serving_ndcg)[u];
  result->comparison = {.metric = "NDCG@10 of the next item",
                        .cases = "users",
                        .serving = result->serving_model.empty() ? "no model" : "the serving model",
                        .count = held.size(),
                        .candidate = Mean(new_ndcg),
                        .baseline = Mean(*serving_ndcg),
                        .gain = MeanInterval(gains)};
  result->heldout_hr_new = Mean(new_hits);
  result->heldout_hr_serving = Mean(serving_hits);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ServingModel(const SeqRecRetrainOptions& options,
                                         const ModelVersions& versions) {
  if (!options.serving_model.empty()) return options.serving_model;
  SOUK_ASSIGN_OR_RETURN(const std::string current, versions.Current());
  return current.empty() ? std::string() : versions.PathOf(current);
}

nlohmann::json ReportJson(const SeqRecRetrainResult& r, const SeqRecRetrainOptions& options) {
  const HeldOutComparison& c = r.comparison;
  return {{"version", r.version},
          {"created_unix_ms", NowUnixMillis()},
          {"event_log", options.event_log},
          {"interactions", options.interactions},
          {"events", r.events},
          {"log_actions", r.log_actions},
          {"serving_model", r.serving_model},
          {"training",
           {{"users", r.training.users},
            {"items", r.training.items},
            {"interactions", r.training.interactions},
            {"best_epoch", r.training.best_epoch},
            {"seconds", r.training.seconds}}},
          {"heldout",
           {{"users", c.count},
            {"ndcg@10", {{"new", c.candidate}, {"serving", c.baseline}}},
            {"hr@10", {{"new", r.heldout_hr_new}, {"serving", r.heldout_hr_serving}}},
            {"gain", {{"estimate", c.gain.estimate}, {"low", c.gain.low}, {"high", c.gain.high}}}}},
          {"promoted", r.decision.promote},
          {"reason", r.decision.reason},
          {"forced", options.force}};
}

}  // namespace

absl::Status SeqRecRetrainOptions::Validate() const {
  if (event_log.empty()) return absl::InvalidArgumentError("event_log: must not be empty");
  if (models_dir.empty()) return absl::InvalidArgumentError("models_dir: must not be empty");
  if (min_heldout_users == 0 || max_heldout_users < min_heldout_users) {
    return absl::InvalidArgumentError(StrCat("held-out users: need 1 <= min (", min_heldout_users,
                                             ") <= max (", max_heldout_users, ")"));
  }
  SeqRecTrainingOptions checked = training;
  checked.interactions = "(the histories)";
  checked.out_dir = "(the new version)";
  return checked.Validate();
}

absl::StatusOr<SeqRecRetrainResult> RetrainSeqRec(const SeqRecRetrainOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const ModelVersions versions(options.models_dir);
  SeqRecRetrainResult result;
  SOUK_ASSIGN_OR_RETURN(result.serving_model, ServingModel(options, versions));
  Histories histories;
  SOUK_RETURN_IF_ERROR(ReadBaseHistories(options.interactions, &histories));
  absl::Status read = AddLogHistories(options.event_log, &histories, &result);
  if (!read.ok()) return Annotate(read, "reading the event log");
  const std::vector<HeldOut> held = HoldOut(options.max_heldout_users, &histories);

  SOUK_ASSIGN_OR_RETURN(const std::string staging, versions.Stage(&result.version));
  SeqRecTrainingOptions training = options.training;
  training.interactions = (fs::path(staging) / kInteractionsFile).string();
  training.out_dir = staging;
  SOUK_RETURN_IF_ERROR(WriteInteractions(histories, training.interactions));
  SOUK_ASSIGN_OR_RETURN(result.training, RunSeqRecTraining(training));
  SOUK_RETURN_IF_ERROR(RemoveFileIfExists(training.interactions));  // the log is the source
  SOUK_RETURN_IF_ERROR(RemoveFileIfExists((fs::path(staging) / kCheckpointFile).string()));

  SOUK_RETURN_IF_ERROR(Compare(staging, held, &result));
  result.decision = DecidePromotion(result.comparison, options.min_heldout_users, options.force);
  SOUK_RETURN_IF_ERROR(WriteFileAtomically((fs::path(staging) / kReportFile).string(),
                                           ReportJson(result, options).dump(2) + "\n"));
  SOUK_RETURN_IF_ERROR(versions.Publish(result.version));
  result.version_dir = versions.PathOf(result.version);
  if (result.decision.promote) SOUK_RETURN_IF_ERROR(versions.Promote(result.version));
  SOUK_LOG_INFO(
      "train", "recommender ", result.version,
      result.decision.promote ? " promoted: " : " not promoted: ", result.decision.reason);
  return result;
}

}  // namespace souk::train
