// DynamicBatcher: coalesces concurrent single-item calls into batched calls of one function.
//
// A forward pass over 16 queries costs far less than 16 passes over one (the matrix products
// use the hardware better), so the encoder lets callers block in Run() while one worker thread
// gathers their items: a batch closes when it holds max_batch_size items or when the oldest item
// has waited max_wait, whichever comes first (the policy of TensorFlow Serving's and Triton's
// dynamic batchers). Callers get exactly the output their item would have alone, provided the
// batch function treats items independently.
//
// Overload sheds instead of queueing without bound: past max_queue waiting items, Run() fails
// with RESOURCE_EXHAUSTED at once. An item whose deadline passes before its batch starts fails
// with DEADLINE_EXCEEDED and is not computed.
//
// Thread-safety: Run() from any number of threads. The batch function runs on the single
// worker thread, never concurrently with itself. Destruction fails waiting items with
// UNAVAILABLE and joins the worker.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/base/str_cat.h"

namespace souk::encoder {

struct BatcherOptions {
  size_t max_batch_size = 32;               ///< Items per call of the batch function.
  std::chrono::microseconds max_wait{500};  ///< Longest wait for a batch to fill.
  size_t max_queue = 1024;                  ///< Waiting items beyond this are refused.

  absl::Status Validate() const {
    if (max_batch_size == 0) return absl::InvalidArgumentError("max_batch_size: must be >= 1");
    if (max_wait.count() < 0) return absl::InvalidArgumentError("max_wait_us: must be >= 0");
    if (max_queue == 0) return absl::InvalidArgumentError("max_queue: must be >= 1");
    return absl::OkStatus();
  }
};

/// What a batcher has done since it started (for metrics): sums, so that averages are ratios.
struct BatcherStats {
  uint64_t batches = 0;  ///< Calls of the batch function.
  uint64_t items = 0;    ///< Items in those calls (items / batches: the mean batch size).
  uint64_t wait_us = 0;  ///< Their summed waits from Run() to their batch's start.
  uint64_t expired = 0;  ///< Items dropped unrun: their deadline passed while queued.
};

template <typename In, typename Out>
class DynamicBatcher {
 public:
  using Clock = std::chrono::steady_clock;
  /// Must return exactly one output per input, in order, or an error for the whole batch.
  using BatchFn = std::function<absl::StatusOr<std::vector<Out>>(std::vector<In>&)>;

  DynamicBatcher(const BatcherOptions& options, BatchFn fn)
      : options_(options), fn_(std::move(fn)), worker_([this] { Work(); }) {}

  ~DynamicBatcher() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  DynamicBatcher(const DynamicBatcher&) = delete;
  DynamicBatcher& operator=(const DynamicBatcher&) = delete;

  /// Blocks until the item's batch has run (or it is refused or expires).
  absl::StatusOr<Out> Run(In input, Clock::time_point deadline = Clock::time_point::max()) {
    std::future<absl::StatusOr<Out>> result;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return absl::UnavailableError("batcher is shutting down");
      if (queue_.size() >= options_.max_queue) {
        return absl::ResourceExhaustedError(
            StrCat("encoder queue full (", options_.max_queue, " waiting); retry later"));
      }
      queue_.push_back(Item{std::move(input), deadline, Clock::now(), {}});
      result = queue_.back().promise.get_future();
    }
    cv_.notify_all();
    return result.get();
  }

  /// Items waiting for a batch now (for metrics).
  size_t queued() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queue_.size();
  }

  BatcherStats stats() const {
    return {.batches = batches_.load(std::memory_order_relaxed),
            .items = items_.load(std::memory_order_relaxed),
            .wait_us = wait_us_.load(std::memory_order_relaxed),
            .expired = expired_.load(std::memory_order_relaxed)};
  }

 private:
  struct Item {
    In input;
    Clock::time_point deadline;
    Clock::time_point enqueued;
    std::promise<absl::StatusOr<Out>> promise;
  };

  // Takes the next batch: waits for a first item, then until the batch is full or the first
  // item has waited max_wait. Returns empty when stopping.
  std::vector<Item> NextBatch() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return {};
    const Clock::time_point close = queue_.front().enqueued + options_.max_wait;
    cv_.wait_until(lock, close,
                   [this] { return stopping_ || queue_.size() >= options_.max_batch_size; });
    if (stopping_) return {};
    std::vector<Item> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch_size) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return batch;
  }

  void RunBatch(std::vector<Item>& batch) {
    std::vector<In> inputs;
    std::vector<Item*> live;
    const Clock::time_point now = Clock::now();
    for (Item& item : batch) {
      if (item.deadline <= now) {
        expired_.fetch_add(1, std::memory_order_relaxed);
        item.promise.set_value(absl::DeadlineExceededError("deadline passed while queued"));
        continue;
      }
      wait_us_.fetch_add(
          static_cast<uint64_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(now - item.enqueued).count()),
          std::memory_order_relaxed);
      inputs.push_back(std::move(item.input));
      live.push_back(&item);
    }
    if (live.empty()) return;
    batches_.fetch_add(1, std::memory_order_relaxed);
    items_.fetch_add(live.size(), std::memory_order_relaxed);
    absl::StatusOr<std::vector<Out>> outputs = absl::InternalError("batch function threw");
    try {
      outputs = fn_(inputs);
    } catch (const std::exception& e) {  // libtorch throws c10::Error; nothing may escape
      outputs = absl::InternalError(StrCat("batch function threw: ", e.what()));
    }
    if (outputs.ok() && outputs->size() != live.size()) {
      outputs = absl::InternalError("batch function returned the wrong number of outputs");
    }
    for (size_t i = 0; i < live.size(); ++i) {
      if (outputs.ok()) {
        live[i]->promise.set_value(std::move((*outputs)[i]));
      } else {
        live[i]->promise.set_value(outputs.status());
      }
    }
  }

  void Work() {
    for (;;) {
      std::vector<Item> batch = NextBatch();
      if (batch.empty()) break;
      RunBatch(batch);
    }
    std::lock_guard<std::mutex> lock(mu_);
    for (Item& item : queue_) item.promise.set_value(absl::UnavailableError("batcher stopped"));
    queue_.clear();
  }

  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> items_{0};
  std::atomic<uint64_t> wait_us_{0};
  std::atomic<uint64_t> expired_{0};
  const BatcherOptions options_;
  const BatchFn fn_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread worker_;  // last: starts after everything it uses exists
};

}  // namespace souk::encoder
