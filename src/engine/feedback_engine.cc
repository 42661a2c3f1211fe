#include "souk/engine/feedback_engine.h"

#include <chrono>

#include "souk/base/clock.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/engine/snapshot.h"

namespace souk::engine {
absl::Status ReviewSentimentOptions::Validate() const {
  if (!enabled()) return absl::OkStatus();
  SOUK_RETURN_IF_ERROR(classifier.Validate());
  if (max_pending == 0) {
    return absl::InvalidArgumentError("sentiment.max_pending: must be > 0");
  }
  return absl::OkStatus();
}

absl::Status FeedbackOptions::Validate() const {
  SOUK_RETURN_IF_ERROR(sentiment.Validate());
  SOUK_RETURN_IF_ERROR(Annotate(limits.Validate(), "limits"));
  SOUK_RETURN_IF_ERROR(Annotate(aggregates.Validate(), "aggregates"));
  if (max_batch_events == 0) return absl::InvalidArgumentError("max_batch_events: must be > 0");
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<FeedbackEngine>> FeedbackEngine::Create(
    const FeedbackOptions& options, const SearchEngine* search, events::TrafficSplit split,
    events::Aggregates* aggregates) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  std::unique_ptr<FeedbackEngine> engine(
      new FeedbackEngine(options, search, std::move(split), aggregates));
  if (!options.enabled()) return engine;
  SOUK_ASSIGN_OR_RETURN(engine->log_, events::EventLog::Open(options.log));
  if (options.sentiment.enabled()) {
    SOUK_ASSIGN_OR_RETURN(auto classifier,
                          encoder::SentimentClassifier::Load(options.sentiment.classifier));
    engine->scorer_ = std::make_unique<ReviewScorer>(std::move(classifier), aggregates,
                                                     options.sentiment.max_pending,
                                                     options.sentiment.classifier.batch_size);
  }
  const auto start = std::chrono::steady_clock::now();
  SOUK_RETURN_IF_ERROR(engine->log_->Replay(0, [&](uint64_t, const events::Event& e) {
    engine->Count(e);
    return absl::OkStatus();
  }));
  SOUK_LOG_INFO("engine", "event log ", options.log.path, ": replayed ", engine->log_->size(),
                " events in ", MillisSince(start), " ms");
  if (engine->scorer_ != nullptr && engine->scorer_->dropped() > 0) {
    SOUK_LOG_WARN("engine", engine->scorer_->dropped(),
                  " logged reviews left unscored: more than feedback.sentiment.max_pending (",
                  options.sentiment.max_pending, ") waited at once");
  }
  return engine;
}

FeedbackEngine::FeedbackEngine(const FeedbackOptions& options, const SearchEngine* search,
                               events::TrafficSplit split, events::Aggregates* aggregates)
    : options_(options), search_(search), aggregates_(aggregates), metrics_(std::move(split)) {}

void FeedbackEngine::Count(const events::Event& event) {
  const std::shared_ptr<const Snapshot> snapshot = search_->snapshot();
  aggregates_->Apply(event, [&](std::string_view id) { return snapshot->catalog().BrandOf(id); });
  metrics_.Apply(event);
  if (scorer_ != nullptr && HasReviewText(event)) scorer_->Submit(event.product_id, event.text);
}

absl::Status FeedbackEngine::CheckBatch(size_t events) const {
  if (log_ == nullptr) {
    return absl::FailedPreconditionError(
        "feedback.event_log is not configured: no event was stored");
  }
  if (events == 0) return absl::InvalidArgumentError("events: the batch is empty");
  if (events > options_.max_batch_events) {
    return absl::InvalidArgumentError(StrCat(
        "events: ", events, " events in one batch; the limit is ", options_.max_batch_events));
  }
  return absl::OkStatus();
}

absl::StatusOr<LogEventsResult> FeedbackEngine::Log(const std::vector<events::Event>& events) {
  SOUK_RETURN_IF_ERROR(CheckBatch(events.size()));
  const std::shared_ptr<const Snapshot> snapshot = search_->snapshot();
  const auto known = [&](std::string_view id) { return snapshot->catalog().Find(id).has_value(); };
  const int64_t now_ms = NowUnixMillis();
  LogEventsResult result;
  std::vector<events::Event> valid;
  for (size_t i = 0; i < events.size(); ++i) {
    if (absl::Status s = events::ValidateEvent(events[i], options_.limits, now_ms, known);
        !s.ok()) {
      result.errors.push_back({i, std::string(s.message())});
      continue;
    }
    valid.push_back(events[i]);
  }
  if (valid.empty()) return result;
  SOUK_ASSIGN_OR_RETURN(const std::vector<bool> stored, log_->Append(valid));
  for (size_t i = 0; i < valid.size(); ++i) {
    if (!stored[i]) {
      ++result.duplicates;
      continue;
    }
    Count(valid[i]);
    ++result.accepted;
  }
  return result;
}

}  // namespace souk::engine
