// FeedbackEngine: takes batches of shoppers' events, checks each against the serving catalog,
// stores the good ones durably in the event log and counts them in the live aggregates.
//
// A batch is answered per event: accepted (new and stored), duplicate (its id was logged
// before; a client's retry) or refused with a message naming the field. The accepted events of
// a batch are one atomic write: when it fails the whole call fails and nothing of it is stored
// or counted. Only after the write returns (durable, events/event_log.h) do the aggregates and
// the business metrics count the events, so a reader never sees an event that a crash could
// take back.
//
// With feedback.sentiment, the text of every counted review goes to a ReviewScorer, whose scores
// reach the aggregates shortly after (review_scorer.h); LogEvents does not wait for them.
//
// On Create the log is replayed into the (fresh) aggregates and metrics: the state after a
// restart is the state before it (review scores follow as the scorer catches up). The aggregates
// belong to the caller, so that Search and Recommend can read what this engine counts; brands are
// counted as the serving catalog has them.
//
// Thread-safety: Log may run on many threads (the log serializes its appends);
// aggregates() is safe to read meanwhile.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/encoder/sentiment_classifier.h"
#include "souk/engine/review_scorer.h"
#include "souk/engine/search_engine.h"
#include "souk/events/aggregates.h"
#include "souk/events/business_metrics.h"
#include "souk/events/event.h"
#include "souk/events/event_log.h"
#include "souk/events/event_validation.h"
#include "souk/events/traffic_split.h"

namespace souk::engine {

/// Section `feedback.sentiment`: scoring the text of accepted reviews (engine/review_scorer.h).
struct ReviewSentimentOptions {
  /// model_dir (empty: reviews are not scored), device, batch_size.
  encoder::SentimentOptions classifier;
  size_t max_pending = 200000;  ///< Reviews waiting to be scored at most; more are dropped.

  bool enabled() const { return !classifier.model_dir.empty(); }
  absl::Status Validate() const;
};

/// Section `feedback` of the configuration.
struct FeedbackOptions {
  /// The event log; an empty path turns feedback off (LogEvents is FAILED_PRECONDITION and the
  /// aggregates stay empty).
  events::EventLogOptions log;
  events::EventLimits limits;
  events::AggregateOptions aggregates;
  size_t max_batch_events = 10000;  ///< Larger batches are INVALID_ARGUMENT as a whole.
  ReviewSentimentOptions sentiment;

  bool enabled() const { return !log.path.empty(); }
  absl::Status Validate() const;
};

struct EventError {
  size_t index = 0;  ///< Position of the event in the batch.
  std::string message;
};

struct LogEventsResult {
  size_t accepted = 0;
  size_t duplicates = 0;
  std::vector<EventError> errors;
};

class FeedbackEngine {
 public:
  /// Opens the log (when enabled) and replays it into `aggregates` (built with
  /// options.aggregates, empty) and the metrics. `search` supplies the catalog that events are
  /// checked against; `split` attributes events to A/B variants (the one Search uses). `search`
  /// and `aggregates` must outlive the engine.
  static absl::StatusOr<std::unique_ptr<FeedbackEngine>> Create(const FeedbackOptions& options,
                                                                const SearchEngine* search,
                                                                events::TrafficSplit split,
                                                                events::Aggregates* aggregates);

  /// INVALID_ARGUMENT for a batch of no events or more than max_batch_events;
  /// FAILED_PRECONDITION when feedback is off.
  absl::Status CheckBatch(size_t events) const;
  /// CheckBatch's errors; the log's error when the write fails (nothing stored). Otherwise
  /// per-event results.
  absl::StatusOr<LogEventsResult> Log(const std::vector<events::Event>& events);

  const events::Aggregates& aggregates() const { return *aggregates_; }
  const events::BusinessMetrics& metrics() const { return metrics_; }
  /// Events in the log (0 when feedback is off).
  uint64_t logged() const { return log_ == nullptr ? 0 : log_->size(); }
  /// Null unless feedback.sentiment names a model.
  const ReviewScorer* review_scorer() const { return scorer_.get(); }

 private:
  FeedbackEngine(const FeedbackOptions& options, const SearchEngine* search,
                 events::TrafficSplit split, events::Aggregates* aggregates);
  void Count(const events::Event& event);

  FeedbackOptions options_;
  const SearchEngine* search_;
  std::unique_ptr<events::EventLog> log_;
  events::Aggregates* aggregates_;
  events::BusinessMetrics metrics_;
  std::unique_ptr<ReviewScorer> scorer_;  ///< Declared last: stopped before the rest goes.
};

}  // namespace souk::engine
