#include "souk/train/ranker_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/rank/features.h"
#include "souk/rank/ranker.h"
#include "souk/train/labeled_queries.h"

namespace souk::train {
namespace {

constexpr size_t kNdcgAt = 10;

// One judged query's candidates, features and labels.
struct Group {
  const eval::JudgedQuery* query = nullptr;
  engine::CandidateSet set;
  std::vector<float> labels;
  bool HasPositive() const {
    return std::any_of(labels.begin(), labels.end(), [](float l) { return l > 0; });
  }
};

absl::StatusOr<Group> MakeGroup(const engine::SearchEngine& engine, const eval::JudgedQuery& q,
                                const RankerTrainingOptions& options) {
  Group g;
  g.query = &q;
  absl::StatusOr<engine::CandidateSet> set = engine.Candidates(q.text);
  if (!set.ok()) return Annotate(set.status(), StrCat("query ", q.id));
  g.set = *std::move(set);
  for (const rank::Candidate& c : g.set.candidates) {
    const auto it = q.judgments.find(g.set.snapshot->catalog().product(c.doc).id);
    const double gain = it == q.judgments.end() ? 0 : it->second - options.metrics.gain_offset;
    g.labels.push_back(std::round(static_cast<float>(std::max(0.0, gain) * options.label_scale)));
  }
  return g;
}

void Append(const Group& g, rank::RankingData* data) {
  data->features.insert(data->features.end(), g.set.features.begin(), g.set.features.end());
  data->labels.insert(data->labels.end(), g.labels.begin(), g.labels.end());
  data->group_sizes.push_back(static_cast<uint32_t>(g.labels.size()));
}

rank::RankingData EmptyData() {
  rank::RankingData data;
  for (const rank::FeatureInfo& f : rank::kFeatureTable) data.feature_names.emplace_back(f.name);
  return data;
}

// NDCG@10 of one group's candidates ordered by `scores` (highest first, ties in retrieval order).
double GroupNdcg(const Group& g, const std::vector<float>& scores,
                 const eval::MetricOptions& metrics) {
  std::vector<size_t> order(g.labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<std::string> ranking;
  for (size_t i : order)
    ranking.push_back(g.set.snapshot->catalog().product(g.set.candidates[i].doc).id);
  return eval::NdcgAtK(ranking, g.query->judgments, kNdcgAt, metrics);
}

}  // namespace

absl::Status RankerTrainingOptions::Validate() const {
  if (out.empty()) return absl::InvalidArgumentError("out: the ranker's path must not be empty");
  if (qrels.empty() && sessions.empty()) {
    return absl::InvalidArgumentError("no judged queries given (--qrels, --sessions)");
  }
  if (!(label_scale > 0 && label_scale <= 10)) {
    return absl::InvalidArgumentError(StrCat("label_scale: ", label_scale, " is not in (0, 10]"));
  }
  if (!(heldout_fraction >= 0 && heldout_fraction < 1)) {
    return absl::InvalidArgumentError(
        StrCat("heldout_fraction: ", heldout_fraction, " is not in [0, 1)"));
  }
  return lambdamart.Validate();
}

absl::StatusOr<RankerTrainingResult> TrainRanker(const engine::SearchEngine& engine,
                                                 const RankerTrainingOptions& options,
                                                 const rank::LambdaMart::RoundCallback& on_round) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const auto start = std::chrono::steady_clock::now();
  const std::shared_ptr<const engine::Snapshot> snapshot = engine.snapshot();
  SOUK_ASSIGN_OR_RETURN(std::vector<eval::JudgedQuery> queries,
                        ReadJudgedQueries(options.qrels, options.sessions, snapshot->catalog()));
  const QuerySplit split = SplitQueries(queries, options.heldout_fraction, options.seed);
  RankerTrainingResult result;
  result.train_queries = split.train.size();
  result.heldout_queries = split.heldout.size();

  rank::RankingData train = EmptyData(), heldout = EmptyData();
  for (const eval::JudgedQuery& q : split.train) {
    SOUK_ASSIGN_OR_RETURN(Group g, MakeGroup(engine, q, options));
    if (!g.HasPositive()) {
      ++result.skipped_queries;
      continue;
    }
    Append(g, &train);
  }
  if (train.rows() == 0) {
    return absl::FailedPreconditionError(
        "no training query has a judged product among its candidates");
  }
  std::vector<Group> heldout_groups;
  for (const eval::JudgedQuery& q : split.heldout) {
    SOUK_ASSIGN_OR_RETURN(Group g, MakeGroup(engine, q, options));
    if (g.HasPositive()) Append(g, &heldout);
    heldout_groups.push_back(std::move(g));
  }
  result.train_rows = train.rows();
  SOUK_LOG_INFO("train", "ranker: ", train.rows(), " candidates of ", train.group_sizes.size(),
                " training queries (", result.skipped_queries, " without a judged candidate), ",
                heldout.group_sizes.size(), " held-out queries for early stopping");

  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<rank::LambdaMart> model,
                        rank::LambdaMart::Train(train, heldout, options.lambdamart, on_round));
  result.rounds = model->rounds();
  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<rank::Ranker> ranker,
                        rank::Ranker::Create(std::move(model)));
  for (const Group& g : heldout_groups) {
    result.heldout_ndcg_retrieval += GroupNdcg(g, g.set.retrieval_scores, options.metrics);
    SOUK_ASSIGN_OR_RETURN(std::vector<float> scores, ranker->Score(g.set.features));
    result.heldout_ndcg_ranker += GroupNdcg(g, scores, options.metrics);
  }
  if (!heldout_groups.empty()) {
    result.heldout_ndcg_retrieval /= static_cast<double>(heldout_groups.size());
    result.heldout_ndcg_ranker /= static_cast<double>(heldout_groups.size());
  }
  SOUK_RETURN_IF_ERROR(ranker->model().Save(options.out));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace souk::train
