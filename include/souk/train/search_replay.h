// Search replay: a logged search's candidates and features as they were when it ran.
//
// The behaviour features (rank/features.h) read the event aggregates as of the request and the
// searching user's history. A ranker trained on logs must see them as serving saw them, before
// the search's own clicks and purchases, or it learns that what was bought has a high
// conversion rate. ReplaySearches applies the log's events in order to fresh aggregates and asks
// the engine for the candidates of each selected search just before applying it.
//
// Thread-safety: runs on the calling thread.
#pragma once

#include <span>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "souk/encoder/sentiment_classifier.h"
#include "souk/engine/search_engine.h"
#include "souk/events/aggregates.h"
#include "souk/events/event.h"

namespace souk::train {

/// For each search event of `log` (in log order) that `select` accepts, `visit` gets the event
/// and the candidates of `query_of(event)` with the features as of its timestamp for its user;
/// brands are counted as the engine's catalog has them. `review_sentiment` is empty or holds one
/// value per event of `log` (ScoreReviews): a review's P(positive) counts in the aggregates as
/// the review is applied, as soukd's scorer counts it shortly after (NaN: not scored). The
/// engine's errors (and `visit`'s) stop the replay.
absl::Status ReplaySearches(
    const engine::SearchEngine& engine, const std::vector<events::Event>& log,
    const events::AggregateOptions& aggregates,
    absl::FunctionRef<const std::string*(const events::Event& search)> query_of,
    absl::FunctionRef<absl::Status(const events::Event& search, engine::CandidateSet set)> visit,
    std::span<const float> review_sentiment = {});

/// Per event of `log`: the P(positive) `classifier` gives a review's text; NaN for other events
/// and for reviews without text (soukd scores none of those either).
absl::StatusOr<std::vector<float>> ScoreReviews(const std::vector<events::Event>& log,
                                                const encoder::SentimentClassifier& classifier);

}  // namespace souk::train
