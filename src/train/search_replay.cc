#include "souk/train/search_replay.h"

#include <cmath>
#include <limits>

#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/engine/review_scorer.h"

namespace souk::train {

absl::Status ReplaySearches(
    const engine::SearchEngine& engine, const std::vector<events::Event>& log,
    const events::AggregateOptions& aggregates,
    absl::FunctionRef<const std::string*(const events::Event& search)> query_of,
    absl::FunctionRef<absl::Status(const events::Event& search, engine::CandidateSet set)> visit,
    std::span<const float> review_sentiment) {
  if (!review_sentiment.empty() && review_sentiment.size() != log.size()) {
    return absl::InvalidArgumentError(StrCat("review_sentiment: ", review_sentiment.size(),
                                             " values for ", log.size(), " events"));
  }
  const std::shared_ptr<const engine::Snapshot> snapshot = engine.snapshot();
  const auto brand_of = [&](std::string_view id) { return snapshot->catalog().BrandOf(id); };
  events::Aggregates replayed(aggregates);
  for (size_t i = 0; i < log.size(); ++i) {
    const events::Event& event = log[i];
    const std::string* query = event.type == events::EventType::kSearch ? query_of(event) : nullptr;
    if (query != nullptr) {
      absl::StatusOr<engine::CandidateSet> set =
          engine.Candidates(*query, {event.timestamp_ms, event.user_id, &replayed});
      if (!set.ok()) return Annotate(set.status(), StrCat("search ", event.request_id));
      SOUK_RETURN_IF_ERROR(visit(event, *std::move(set)));
    }
    replayed.Apply(event, brand_of);
    if (!review_sentiment.empty() && !std::isnan(review_sentiment[i])) {
      replayed.ApplySentiment(event.product_id, review_sentiment[i]);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<float>> ScoreReviews(const std::vector<events::Event>& log,
                                                const encoder::SentimentClassifier& classifier) {
  std::vector<float> scores(log.size(), std::numeric_limits<float>::quiet_NaN());
  std::vector<size_t> reviews;
  std::vector<std::string> texts;
  for (size_t i = 0; i < log.size(); ++i) {
    if (!engine::HasReviewText(log[i])) continue;
    reviews.push_back(i);
    texts.push_back(log[i].text);
  }
  SOUK_ASSIGN_OR_RETURN(const std::vector<float> scored, classifier.Score(texts));
  for (size_t r = 0; r < reviews.size(); ++r) scores[reviews[r]] = scored[r];
  return scores;
}

}  // namespace souk::train
