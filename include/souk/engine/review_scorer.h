// ReviewScorer: reads the text of accepted reviews with a sentiment classifier
// (encoder/sentiment_classifier.h) on its own thread and counts each score in the aggregates
// (Aggregates::ApplySentiment), where the ranker's review_sentiment feature reads it.
//
// LogEvents must not wait for a model: Submit only queues the review, and a full queue
// (max_pending reviews) refuses it, counted in dropped(). The scores are not stored: the event
// log holds the reviews, and a restart's replay submits them again (a queue that fills during the
// replay drops the rest, and the log line says how many). The thread takes up to the
// classifier's batch of reviews at a time, so a burst is scored in few forward passes.
//
// Thread-safety: Submit and the counters may be called from any thread. The destructor stops
// the thread after the batch in flight; reviews still queued are left unscored.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "souk/encoder/sentiment_classifier.h"
#include "souk/events/aggregates.h"

namespace souk::engine {

/// Whether `event` is a review with text to score: soukd's scorer and ranker training's replay
/// (train/search_replay.h) must read the same reviews.
bool HasReviewText(const events::Event& event);

class ReviewScorer {
 public:
  /// `aggregates` must outlive the scorer. Precondition: classifier != null, max_pending >= 1,
  /// batch_size >= 1.
  ReviewScorer(std::unique_ptr<encoder::SentimentClassifier> classifier,
               events::Aggregates* aggregates, size_t max_pending, size_t batch_size);
  ~ReviewScorer();
  ReviewScorer(const ReviewScorer&) = delete;
  ReviewScorer& operator=(const ReviewScorer&) = delete;

  /// Queues the review of `product_id`; false (counted in dropped()) when the queue is full.
  bool Submit(std::string product_id, std::string text);

  /// Blocks until every review submitted so far is scored (or failed).
  void WaitUntilIdle() const;

  uint64_t scored() const { return scored_.load(); }
  uint64_t dropped() const { return dropped_.load(); }
  /// Reviews whose batch the classifier failed on (logged; not retried).
  uint64_t failed() const { return failed_.load(); }

 private:
  struct Review {
    std::string product_id;
    std::string text;
  };

  void Run();

  const std::unique_ptr<encoder::SentimentClassifier> classifier_;
  events::Aggregates* const aggregates_;
  const size_t max_pending_;
  const size_t batch_size_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  mutable std::condition_variable idle_;
  std::deque<Review> pending_;  ///< Guarded by mutex_.
  bool busy_ = false;           ///< A batch is being scored; guarded by mutex_.
  bool stopping_ = false;       ///< Guarded by mutex_.
  std::atomic<uint64_t> scored_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> failed_{0};
  std::thread thread_;
};

}  // namespace souk::engine
