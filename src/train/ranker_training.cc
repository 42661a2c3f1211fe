#include "souk/train/ranker_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/rank/features.h"
#include "souk/rank/ranker.h"
#include "souk/train/labeled_queries.h"
#include "souk/train/search_log.h"

namespace souk::train {
namespace {

constexpr size_t kNdcgAt = 10;

// A judged query and, for one from logged searches with position debiasing, its
// inverse-propensity weighted outcomes (empty otherwise).
struct TrainingQuery {
  eval::JudgedQuery judged;
  std::vector<WeightedOutcome> outcomes;
};

// One query's candidates, features and labels.
struct Group {
  const eval::JudgedQuery* query = nullptr;
  engine::CandidateSet set;
  std::vector<float> labels;
  bool HasPositive() const {
    return std::any_of(labels.begin(), labels.end(), [](float l) { return l > 0; });
  }
};

float Label(double grade, const RankerTrainingOptions& options) {
  const double gain = std::max(0.0, grade - options.metrics.gain_offset);
  return std::round(static_cast<float>(gain * options.label_scale));
}

absl::StatusOr<Group> MakeGroup(const engine::SearchEngine& engine, const eval::JudgedQuery& q,
                                const RankerTrainingOptions& options) {
  Group g;
  g.query = &q;
  absl::StatusOr<engine::CandidateSet> set = engine.Candidates(q.text);
  if (!set.ok()) return Annotate(set.status(), StrCat("query ", q.id));
  g.set = *std::move(set);
  for (const rank::Candidate& c : g.set.candidates) {
    const auto it = q.judgments.find(g.set.snapshot->catalog().product(c.doc).id);
    g.labels.push_back(it == q.judgments.end() ? 0 : Label(it->second, options));
  }
  return g;
}

// Appends one query group: the candidates' features with `labels`, weighing `weight`.
void AppendGroup(const engine::CandidateSet& set, const std::vector<float>& labels, float weight,
                 rank::RankingData* data) {
  data->features.insert(data->features.end(), set.features.begin(), set.features.end());
  data->labels.insert(data->labels.end(), labels.begin(), labels.end());
  data->group_sizes.push_back(static_cast<uint32_t>(labels.size()));
  data->group_weights.push_back(weight);
}

// A logged query's training groups, one per weighted outcome among its candidates: that product
// is the one positive against every other candidate, and the group weighs 1 / theta of where it
// was clicked (position_bias.h). Returns the number of groups appended.
size_t AppendOutcomeGroups(const Group& g, const std::vector<WeightedOutcome>& outcomes,
                           const RankerTrainingOptions& options, rank::RankingData* data) {
  absl::flat_hash_map<std::string_view, size_t> candidate_index;
  for (size_t i = 0; i < g.set.candidates.size(); ++i) {
    candidate_index[g.set.snapshot->catalog().product(g.set.candidates[i].doc).id] = i;
  }
  size_t groups = 0;
  std::vector<float> labels(g.labels.size(), 0);
  for (const WeightedOutcome& outcome : outcomes) {
    const auto it = candidate_index.find(outcome.product);
    const float label = Label(outcome.grade, options);
    if (it == candidate_index.end() || label <= 0) continue;
    labels[it->second] = label;
    AppendGroup(g.set, labels, static_cast<float>(outcome.weight), data);
    labels[it->second] = 0;
    ++groups;
  }
  return groups;
}

// The judged queries of the qrels and sessions files, with the ids ReadJudgedQueries gives them
// (so the held-out split is the one fine-tuning used); with position debiasing, each logged
// query also carries its weighted outcomes, and each sessions file's propensities go to
// `result`.
absl::StatusOr<std::vector<TrainingQuery>> ReadTrainingQueries(const RankerTrainingOptions& options,
                                                               const catalog::Catalog& catalog,
                                                               RankerTrainingResult* result) {
  std::vector<TrainingQuery> queries;
  for (size_t i = 0; i < options.qrels.size(); ++i) {
    SOUK_ASSIGN_OR_RETURN(std::vector<eval::JudgedQuery> read,
                          eval::ReadQrelsTsv(options.qrels[i]));
    std::vector<eval::JudgedQuery> judged;
    SOUK_RETURN_IF_ERROR(AddJudgedQueries(std::move(read), catalog, options.qrels[i],
                                          QrelsQueryIdPrefix(i), &judged));
    for (eval::JudgedQuery& q : judged) queries.push_back({std::move(q), {}});
  }
  for (size_t i = 0; i < options.sessions.size(); ++i) {
    const std::string& path = options.sessions[i];
    SOUK_ASSIGN_OR_RETURN(const std::vector<LoggedSearch> searches, ReadSearchLog(path));
    std::vector<eval::JudgedQuery> judged;
    SOUK_RETURN_IF_ERROR(AddJudgedQueries(JudgeByQueryText(searches), catalog, path,
                                          SessionsQueryIdPrefix(i), &judged));
    absl::flat_hash_map<std::string, std::vector<WeightedOutcome>> outcomes_by_query;
    if (options.position_debias) {
      Propensities propensities = EstimateExaminationPropensities(searches, options.propensity);
      for (WeightedOutcome& outcome : WeightOutcomes(searches, propensities)) {
        outcomes_by_query[outcome.query].push_back(std::move(outcome));
      }
      result->propensities.push_back(std::move(propensities));
    }
    for (eval::JudgedQuery& q : judged) {
      std::vector<WeightedOutcome> outcomes;
      if (const auto it = outcomes_by_query.find(q.text); it != outcomes_by_query.end()) {
        outcomes = std::move(it->second);
      }
      queries.push_back({std::move(q), std::move(outcomes)});
    }
  }
  if (queries.empty()) {
    return absl::FailedPreconditionError("no judged queries (--qrels, --sessions)");
  }
  return queries;
}

// Appends query `q`'s groups to `data`; false when none of its candidates is judged positive.
absl::StatusOr<bool> AppendQuery(const engine::SearchEngine& engine, const TrainingQuery& q,
                                 const RankerTrainingOptions& options, rank::RankingData* data,
                                 Group* group) {
  SOUK_ASSIGN_OR_RETURN(*group, MakeGroup(engine, q.judged, options));
  if (!group->HasPositive()) return false;
  if (q.outcomes.empty()) {
    AppendGroup(group->set, group->labels, 1, data);
    return true;
  }
  return AppendOutcomeGroups(*group, q.outcomes, options, data) > 0;
}

rank::RankingData EmptyData() {
  rank::RankingData data;
  for (const rank::FeatureInfo& f : rank::kFeatureTable) data.feature_names.emplace_back(f.name);
  return data;
}

// `data` (full feature-table rows) without the `excluded` features.
void ExcludeFeatures(const std::vector<std::string>& excluded, rank::RankingData* data) {
  if (excluded.empty()) return;
  std::vector<size_t> kept;
  std::vector<std::string> names;
  for (size_t c = 0; c < data->feature_names.size(); ++c) {
    if (std::find(excluded.begin(), excluded.end(), data->feature_names[c]) != excluded.end()) {
      continue;
    }
    kept.push_back(c);
    names.push_back(data->feature_names[c]);
  }
  const size_t width = data->feature_names.size();
  std::vector<float> features;
  features.reserve(data->rows() * kept.size());
  for (size_t row = 0; row < data->rows(); ++row) {
    for (const size_t c : kept) features.push_back(data->features[row * width + c]);
  }
  data->features = std::move(features);
  data->feature_names = std::move(names);
}

// NDCG@10 of one group's candidates ordered by `scores` (highest first, ties in retrieval order).
double GroupNdcg(const Group& g, const eval::Judgments& judgments, const std::vector<float>& scores,
                 const eval::MetricOptions& metrics) {
  std::vector<size_t> order(g.labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<std::string> ranking;
  for (size_t i : order)
    ranking.push_back(g.set.snapshot->catalog().product(g.set.candidates[i].doc).id);
  return eval::NdcgAtK(ranking, judgments, kNdcgAt, metrics);
}

// The judgments of grade >= metrics.relevant_min_grade (purchases, for logged searches graded
// by ReadSearchSessions and a relevant grade of 3).
eval::Judgments RelevantOnly(const eval::Judgments& judgments, const eval::MetricOptions& metrics) {
  eval::Judgments relevant;
  for (const auto& [product, grade] : judgments) {
    if (eval::IsRelevant(grade, metrics)) relevant.emplace(product, grade);
  }
  return relevant;
}

// NDCG@10 of the held-out queries in retrieval and ranker order, over all their judgments and
// over the relevant ones only.
absl::Status ReportHeldOut(const std::vector<Group>& groups, const rank::Ranker& ranker,
                           const eval::MetricOptions& metrics, RankerTrainingResult* result) {
  for (const Group& g : groups) {
    SOUK_ASSIGN_OR_RETURN(std::vector<float> scores, ranker.Score(g.set.features));
    const eval::Judgments& all = g.query->judgments;
    result->heldout_ndcg_retrieval += GroupNdcg(g, all, g.set.retrieval_scores, metrics);
    result->heldout_ndcg_ranker += GroupNdcg(g, all, scores, metrics);
    const eval::Judgments relevant = RelevantOnly(all, metrics);
    if (relevant.empty()) continue;
    ++result->heldout_relevant_queries;
    result->heldout_relevant_ndcg_retrieval +=
        GroupNdcg(g, relevant, g.set.retrieval_scores, metrics);
    result->heldout_relevant_ndcg_ranker += GroupNdcg(g, relevant, scores, metrics);
  }
  const auto mean = [](double& sum, size_t n) { sum = n == 0 ? 0 : sum / static_cast<double>(n); };
  mean(result->heldout_ndcg_retrieval, groups.size());
  mean(result->heldout_ndcg_ranker, groups.size());
  mean(result->heldout_relevant_ndcg_retrieval, result->heldout_relevant_queries);
  mean(result->heldout_relevant_ndcg_ranker, result->heldout_relevant_queries);
  return absl::OkStatus();
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
  for (const std::string& name : excluded_features) {
    if (!rank::FindFeature(name)) {
      return absl::InvalidArgumentError(
          StrCat("excluded_features: no ranking feature is named '", name, "'"));
    }
  }
  if (excluded_features.size() >= rank::kNumFeatures) {
    return absl::InvalidArgumentError("excluded_features: every ranking feature is excluded");
  }
  SOUK_RETURN_IF_ERROR(propensity.Validate());
  return lambdamart.Validate();
}

absl::StatusOr<RankerTrainingResult> TrainRanker(const engine::SearchEngine& engine,
                                                 const RankerTrainingOptions& options,
                                                 const rank::LambdaMart::RoundCallback& on_round) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const auto start = std::chrono::steady_clock::now();
  const std::shared_ptr<const engine::Snapshot> snapshot = engine.snapshot();
  RankerTrainingResult result;
  SOUK_ASSIGN_OR_RETURN(const std::vector<TrainingQuery> queries,
                        ReadTrainingQueries(options, snapshot->catalog(), &result));

  rank::RankingData train = EmptyData(), heldout = EmptyData();
  std::vector<Group> heldout_groups;
  for (const TrainingQuery& q : queries) {
    const bool held_out = IsHeldOut(q.judged.id, options.heldout_fraction, options.seed);
    Group group;
    SOUK_ASSIGN_OR_RETURN(const bool appended,
                          AppendQuery(engine, q, options, held_out ? &heldout : &train, &group));
    if (held_out) {
      ++result.heldout_queries;
      heldout_groups.push_back(std::move(group));
    } else {
      ++result.train_queries;
      if (!appended) ++result.skipped_queries;
    }
  }
  if (train.rows() == 0) {
    return absl::FailedPreconditionError(
        "no training query has a judged product among its candidates");
  }
  result.train_rows = train.rows();
  result.train_groups = train.group_sizes.size();
  for (const float weight : train.group_weights) result.train_weight += weight;
  SOUK_LOG_INFO("train", "ranker: ", train.rows(), " candidates in ", train.group_sizes.size(),
                " groups of ", result.train_queries - result.skipped_queries, " training queries (",
                result.skipped_queries, " without a judged candidate), ",
                heldout.group_sizes.size(), " held-out groups for early stopping");

  ExcludeFeatures(options.excluded_features, &train);
  ExcludeFeatures(options.excluded_features, &heldout);
  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<rank::LambdaMart> model,
                        rank::LambdaMart::Train(train, heldout, options.lambdamart, on_round));
  result.rounds = model->rounds();
  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<rank::Ranker> ranker,
                        rank::Ranker::Create(std::move(model)));
  SOUK_RETURN_IF_ERROR(ReportHeldOut(heldout_groups, *ranker, options.metrics, &result));
  SOUK_RETURN_IF_ERROR(ranker->model().Save(options.out));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace souk::train
