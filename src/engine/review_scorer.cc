#include "souk/engine/review_scorer.h"

#include <utility>
#include <vector>

#include "souk/base/check.h"
#include "souk/base/logging.h"
#include "souk/base/text_lines.h"

namespace souk::engine {

bool HasReviewText(const events::Event& event) {
  return event.type == events::EventType::kReview && !TrimBlanks(event.text).empty();
}

ReviewScorer::ReviewScorer(std::unique_ptr<encoder::SentimentClassifier> classifier,
                           events::Aggregates* aggregates, size_t max_pending, size_t batch_size)
    : classifier_(std::move(classifier)),
      aggregates_(aggregates),
      max_pending_(max_pending),
      batch_size_(batch_size) {
  SOUK_CHECK(classifier_ != nullptr && aggregates_ != nullptr);
  SOUK_CHECK(max_pending_ >= 1 && batch_size_ >= 1);
  thread_ = std::thread([this] { Run(); });
}

ReviewScorer::~ReviewScorer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  thread_.join();
}

bool ReviewScorer::Submit(std::string product_id, std::string text) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_.size() >= max_pending_) {
      dropped_.fetch_add(1);
      return false;
    }
    pending_.push_back({std::move(product_id), std::move(text)});
  }
  work_.notify_one();
  return true;
}

void ReviewScorer::WaitUntilIdle() const {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return (pending_.empty() && !busy_) || stopping_; });
}

void ReviewScorer::Run() {
  std::vector<Review> batch;
  std::vector<std::string> texts;
  while (true) {
    batch.clear();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      busy_ = false;
      idle_.notify_all();
      work_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (stopping_) return;
      while (!pending_.empty() && batch.size() < batch_size_) {
        batch.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
      busy_ = true;
    }
    texts.clear();
    for (const Review& review : batch) texts.push_back(review.text);
    absl::StatusOr<std::vector<float>> scores = classifier_->Score(texts);
    if (!scores.ok()) {
      failed_.fetch_add(batch.size());
      SOUK_LOG_WARN("sentiment", batch.size(),
                    " reviews left unscored: ", scores.status().ToString());
      continue;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      aggregates_->ApplySentiment(batch[i].product_id, (*scores)[i]);
    }
    scored_.fetch_add(batch.size());
  }
}

}  // namespace souk::engine
