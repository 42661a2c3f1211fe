#include "souk/train/ranker_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/events/event_jsonl.h"
#include "souk/rank/features.h"
#include "souk/rank/ranker.h"
#include "souk/train/labeled_queries.h"
#include "souk/train/search_log.h"
#include "souk/train/search_replay.h"

namespace souk::train {
namespace {

constexpr size_t kNdcgAt = 10;

// One query's (or logged search's) candidates, features and labels.
struct Group {
  eval::Judgments judgments;
  engine::CandidateSet set;
  std::vector<float> labels;
  std::vector<WeightedOutcome> outcomes;  ///< A logged search's, weighted; empty for qrels.
  std::vector<std::string> shown;         ///< A logged search's page.
  bool HasPositive() const {
    return std::any_of(labels.begin(), labels.end(), [](float l) { return l > 0; });
  }
  std::string_view ProductId(size_t candidate) const {
    return set.snapshot->catalog().product(set.candidates[candidate].doc).id;
  }
};

// `candidates` (indices into a group) ordered by `scores`, highest first, ties in retrieval order.
std::vector<size_t> ByScore(std::vector<size_t> candidates, const std::vector<float>& scores) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return candidates;
}

float Label(double grade, const RankerTrainingOptions& options) {
  const double gain = std::max(0.0, grade - options.metrics.gain_offset);
  return std::round(static_cast<float>(gain * options.label_scale));
}

Group MakeGroup(engine::CandidateSet set, eval::Judgments judgments,
                const RankerTrainingOptions& options) {
  Group g{std::move(judgments), std::move(set), {}, {}, {}};
  for (const rank::Candidate& c : g.set.candidates) {
    const auto it = g.judgments.find(g.set.snapshot->catalog().product(c.doc).id);
    g.labels.push_back(it == g.judgments.end() ? 0 : Label(it->second, options));
  }
  return g;
}

// Where groups go: the training data, or the held-out data and groups (for the report).
struct Collected {
  rank::RankingData train;
  rank::RankingData heldout;
  std::vector<Group> heldout_groups;
  /// Scores logged reviews for review_sentiment; null without options.sentiment.
  std::unique_ptr<encoder::SentimentClassifier> sentiment;
};

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
    candidate_index[g.ProductId(i)] = i;
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

// `group` cut down to the products of its shown page, in the candidates' order: the only ones the
// user could have examined, so a candidate the page never showed is not taught as a negative
// (which pulls the ranker towards the order that was logged). A search without a logged page
// keeps all its candidates.
void KeepShown(Group* group) {
  if (group->shown.empty()) return;
  const absl::flat_hash_set<std::string_view> shown(group->shown.begin(), group->shown.end());
  const size_t width = rank::kNumFeatures;
  engine::CandidateSet& set = group->set;
  size_t kept = 0;
  for (size_t i = 0; i < set.candidates.size(); ++i) {
    if (!shown.contains(group->ProductId(i))) continue;
    set.candidates[kept] = set.candidates[i];
    set.retrieval_scores[kept] = set.retrieval_scores[i];
    group->labels[kept] = group->labels[i];
    std::copy_n(set.features.begin() + static_cast<std::ptrdiff_t>(i * width), width,
                set.features.begin() + static_cast<std::ptrdiff_t>(kept * width));
    ++kept;
  }
  set.candidates.resize(kept);
  set.retrieval_scores.resize(kept);
  group->labels.resize(kept);
  set.features.resize(kept * width);
}

// The judged queries of the qrels files, with the ids ReadJudgedQueries gives them (so the
// held-out split is the one fine-tuning used).
absl::StatusOr<std::vector<eval::JudgedQuery>> ReadQrelsQueries(
    const RankerTrainingOptions& options, const catalog::Catalog& catalog) {
  std::vector<eval::JudgedQuery> queries;
  for (size_t i = 0; i < options.qrels.size(); ++i) {
    SOUK_ASSIGN_OR_RETURN(std::vector<eval::JudgedQuery> read,
                          eval::ReadQrelsTsv(options.qrels[i]));
    SOUK_RETURN_IF_ERROR(AddJudgedQueries(std::move(read), catalog, options.qrels[i],
                                          QrelsQueryIdPrefix(i), &queries));
  }
  return queries;
}

// Adds one group (or, with weighted `outcomes`, one per outcome) to the training or held-out
// data; a training group without a positive label is skipped (counted).
void Add(Group group, const std::vector<WeightedOutcome>& outcomes, bool held_out,
         const RankerTrainingOptions& options, Collected* collected, RankerTrainingResult* result) {
  rank::RankingData* data = held_out ? &collected->heldout : &collected->train;
  bool appended = false;
  if (group.HasPositive() && outcomes.empty()) {
    AppendGroup(group.set, group.labels, 1, data);
    appended = true;
  } else if (group.HasPositive()) {
    appended = AppendOutcomeGroups(group, outcomes, options, data) > 0;
  }
  if (held_out) {
    ++result->heldout_queries;
    group.outcomes = outcomes;
    collected->heldout_groups.push_back(std::move(group));
  } else {
    ++result->train_queries;
    if (!appended) ++result->skipped_queries;
  }
}

absl::Status CollectQrels(const engine::SearchEngine& engine, const RankerTrainingOptions& options,
                          Collected* collected, RankerTrainingResult* result) {
  SOUK_ASSIGN_OR_RETURN(const std::vector<eval::JudgedQuery> queries,
                        ReadQrelsQueries(options, engine.snapshot()->catalog()));
  for (const eval::JudgedQuery& q : queries) {
    absl::StatusOr<engine::CandidateSet> set = engine.Candidates(q.text);
    if (!set.ok()) return Annotate(set.status(), StrCat("query ", q.id));
    Add(MakeGroup(*std::move(set), q.judgments, options), {},
        IsHeldOut(q.id, options.heldout_fraction, options.seed), options, collected, result);
  }
  return absl::OkStatus();
}

// The highest grade of each product a logged search got.
eval::Judgments JudgmentsOf(const LoggedSearch& search) {
  eval::Judgments judgments;
  for (const LoggedOutcome& o : search.outcomes) {
    double& grade = judgments[o.product];
    grade = std::max<double>(grade, o.grade);
  }
  return judgments;
}

// Replays one events file: each logged search with an outcome becomes a group whose features
// are as of the search (its user, its moment, the aggregates of the events before it); the
// file's most recent searches are held out.
absl::Status CollectLoggedSearches(const engine::SearchEngine& engine, const std::string& path,
                                   const RankerTrainingOptions& options, Collected* collected,
                                   RankerTrainingResult* result) {
  SOUK_ASSIGN_OR_RETURN(const std::vector<LoggedSearch> searches, ReadSearchLog(path));
  SOUK_ASSIGN_OR_RETURN(const std::vector<events::Event> log, events::ReadEventsJsonl(path));
  Propensities propensities;
  if (options.position_debias) {
    propensities = EstimateExaminationPropensities(searches, options.propensity);
    result->propensities.push_back(propensities);
  }
  const size_t first_heldout =
      searches.size() -
      static_cast<size_t>(std::llround(options.heldout_fraction * searches.size()));
  absl::flat_hash_map<std::string_view, size_t> judged;  // request id -> searches index
  for (size_t i = 0; i < searches.size(); ++i) {
    if (!searches[i].outcomes.empty()) judged[searches[i].request_id] = i;
  }
  const auto query_of = [&](const events::Event& search) -> const std::string* {
    const auto it = judged.find(search.request_id);
    return it == judged.end() ? nullptr : &searches[it->second].query;
  };
  std::vector<float> review_sentiment;
  if (collected->sentiment != nullptr) {
    SOUK_ASSIGN_OR_RETURN(review_sentiment, ScoreReviews(log, *collected->sentiment));
  }
  return ReplaySearches(
      engine, log, options.aggregates, query_of,
      [&](const events::Event& event, engine::CandidateSet set) {
        const size_t index = judged.at(event.request_id);
        const LoggedSearch& search = searches[index];
        std::vector<WeightedOutcome> outcomes;
        if (options.position_debias) outcomes = WeightOutcomes({search}, propensities);
        Group group = MakeGroup(std::move(set), JudgmentsOf(search), options);
        group.shown = search.shown;
        if (options.shown_page_only) KeepShown(&group);
        Add(std::move(group), outcomes, index >= first_heldout, options, collected, result);
        return absl::OkStatus();
      },
      review_sentiment);
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
  std::vector<size_t> all(g.labels.size());
  std::iota(all.begin(), all.end(), 0);
  std::vector<std::string> ranking;
  for (size_t i : ByScore(std::move(all), scores)) ranking.emplace_back(g.ProductId(i));
  return eval::NdcgAtK(ranking, judgments, kNdcgAt, metrics);
}

// Inverse-propensity weighted NDCG@10 of a logged search's page reordered by `scores`: each
// outcome's gain counts 1 / theta of where it was shown, which makes the DCG an unbiased
// estimate of the reordered page's DCG under full examination (Joachims et al., WSDM 2017).
// Only the shown products take part: a product the log never showed has no outcome to count,
// so over all candidates the ranking that was shown would always win. Normalized by the ideal
// ordering.
double GroupIpsNdcg(const Group& g, const std::vector<float>& scores,
                    const eval::MetricOptions& metrics) {
  absl::flat_hash_map<std::string_view, double> weighted_gain;
  for (const WeightedOutcome& o : g.outcomes) {
    const double gain = std::exp2(std::max(0.0, o.grade - metrics.gain_offset)) - 1;
    weighted_gain[o.product] = std::max(weighted_gain[o.product], o.weight * gain);
  }
  std::vector<double> ideal;
  for (const auto& [product, gain] : weighted_gain) ideal.push_back(gain);
  std::sort(ideal.rbegin(), ideal.rend());
  double idcg = 0, dcg = 0;
  for (size_t i = 0; i < std::min(ideal.size(), kNdcgAt); ++i)
    idcg += ideal[i] / std::log2(i + 2.0);
  if (idcg <= 0) return 0;
  const absl::flat_hash_set<std::string_view> shown(g.shown.begin(), g.shown.end());
  std::vector<size_t> on_page;
  for (size_t i = 0; i < g.set.candidates.size(); ++i) {
    if (shown.contains(g.ProductId(i))) on_page.push_back(i);
  }
  const std::vector<size_t> order = ByScore(std::move(on_page), scores);
  for (size_t r = 0; r < std::min(order.size(), kNdcgAt); ++r) {
    const auto it = weighted_gain.find(g.ProductId(order[r]));
    if (it != weighted_gain.end()) dcg += it->second / std::log2(r + 2.0);
  }
  return dcg / idcg;
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

// NDCG@10 of the held-out queries in retrieval, ranker and `baseline` order (when not null),
// over all their judgments and over the relevant ones only; and of the held-out logged searches,
// inverse-propensity weighted.
absl::Status ReportHeldOut(const std::vector<Group>& groups, const rank::Ranker& ranker,
                           const rank::Ranker* baseline, const eval::MetricOptions& metrics,
                           RankerTrainingResult* result) {
  std::vector<double> ips_gains;  // ranker - baseline, per logged search
  for (const Group& g : groups) {
    SOUK_ASSIGN_OR_RETURN(std::vector<float> scores, ranker.Score(g.set.features));
    std::vector<float> baseline_scores = g.set.retrieval_scores;
    if (baseline != nullptr) {
      SOUK_ASSIGN_OR_RETURN(baseline_scores, baseline->Score(g.set.features));
    }
    const eval::Judgments& all = g.judgments;
    result->heldout_ndcg_retrieval += GroupNdcg(g, all, g.set.retrieval_scores, metrics);
    result->heldout_ndcg_ranker += GroupNdcg(g, all, scores, metrics);
    result->heldout_ndcg_baseline += GroupNdcg(g, all, baseline_scores, metrics);
    if (!g.outcomes.empty()) {
      ++result->heldout_logged_searches;
      result->heldout_ips_ndcg_retrieval += GroupIpsNdcg(g, g.set.retrieval_scores, metrics);
      const double ranker_ndcg = GroupIpsNdcg(g, scores, metrics);
      const double baseline_ndcg = GroupIpsNdcg(g, baseline_scores, metrics);
      result->heldout_ips_ndcg_ranker += ranker_ndcg;
      result->heldout_ips_ndcg_baseline += baseline_ndcg;
      ips_gains.push_back(ranker_ndcg - baseline_ndcg);
    }
    const eval::Judgments relevant = RelevantOnly(all, metrics);
    if (relevant.empty()) continue;
    ++result->heldout_relevant_queries;
    result->heldout_relevant_ndcg_retrieval +=
        GroupNdcg(g, relevant, g.set.retrieval_scores, metrics);
    result->heldout_relevant_ndcg_ranker += GroupNdcg(g, relevant, scores, metrics);
  }
  const auto mean = [](double& sum, size_t n) { sum = n == 0 ? 0 : sum / static_cast<double>(n); };
  for (double* sum : {&result->heldout_ndcg_retrieval, &result->heldout_ndcg_ranker,
                      &result->heldout_ndcg_baseline}) {
    mean(*sum, groups.size());
  }
  for (double* sum : {&result->heldout_ips_ndcg_retrieval, &result->heldout_ips_ndcg_ranker,
                      &result->heldout_ips_ndcg_baseline}) {
    mean(*sum, result->heldout_logged_searches);
  }
  result->heldout_ips_ndcg_gain = MeanInterval(ips_gains);
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
  RankerTrainingResult result;
  Collected collected{EmptyData(), EmptyData(), {}, nullptr};
  if (!options.sentiment.model_dir.empty() && !options.sessions.empty()) {
    SOUK_ASSIGN_OR_RETURN(collected.sentiment,
                          encoder::SentimentClassifier::Load(options.sentiment));
  }
  SOUK_RETURN_IF_ERROR(CollectQrels(engine, options, &collected, &result));
  for (const std::string& path : options.sessions) {
    SOUK_RETURN_IF_ERROR(CollectLoggedSearches(engine, path, options, &collected, &result));
  }
  if (result.train_queries + result.heldout_queries == 0) {
    return absl::FailedPreconditionError("no judged queries (--qrels, --sessions)");
  }
  rank::RankingData& train = collected.train;
  rank::RankingData& heldout = collected.heldout;
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
  std::unique_ptr<rank::Ranker> baseline;
  if (!options.baseline_ranker.empty()) {
    absl::StatusOr<std::unique_ptr<rank::Ranker>> loaded =
        rank::Ranker::Load(options.baseline_ranker);
    if (!loaded.ok()) return Annotate(loaded.status(), "baseline ranker");
    baseline = *std::move(loaded);
  }
  SOUK_RETURN_IF_ERROR(
      ReportHeldOut(collected.heldout_groups, *ranker, baseline.get(), options.metrics, &result));
  SOUK_RETURN_IF_ERROR(ranker->model().Save(options.out));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace souk::train
