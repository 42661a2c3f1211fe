// RequestQueue: where Search, Recommend and SimilarItems wait for a worker thread.
//
// Overload must shed work rather than let latency grow without bound: the queue holds at most
// `max_queue` requests (one more is RESOURCE_EXHAUSTED at once), and a request that waited
// longer than `max_wait`, or past its deadline, is answered without being run. gRPC's own
// threads only parse and enqueue, so they stay free to accept and refuse calls under load.
//
// Thread-safety: Submit may be called from any thread; counters are atomic.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "souk/base/work_queue.h"

namespace souk::api {

class RequestQueue {
 public:
  using Clock = std::chrono::steady_clock;
  /// Called on a worker with OK when the request may run, or with why it may not
  /// (DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED after waiting too long).
  using Work = std::function<void(const absl::Status& admitted)>;

  /// workers >= 1, max_queue >= 1; max_wait 0: no bound on the wait but the deadline.
  RequestQueue(size_t workers, size_t max_queue, std::chrono::milliseconds max_wait);

  /// Queues `work`; RESOURCE_EXHAUSTED (and `work` dropped) when the queue is full.
  absl::Status Submit(Clock::time_point deadline, Work work);

  struct Counters {
    uint64_t run = 0;            ///< Requests that ran.
    uint64_t refused_full = 0;   ///< RESOURCE_EXHAUSTED at once: the queue was full.
    uint64_t shed_waited = 0;    ///< Answered unrun: waited longer than max_wait.
    uint64_t shed_deadline = 0;  ///< Answered unrun: the deadline passed while queued.
    int64_t waiting = 0;         ///< In the queue now.
  };
  Counters counters() const;
  size_t max_queue() const { return max_queue_; }

 private:
  const size_t max_queue_;
  const std::chrono::milliseconds max_wait_;
  std::atomic<uint64_t> run_{0};
  std::atomic<uint64_t> refused_full_{0};
  std::atomic<uint64_t> shed_waited_{0};
  std::atomic<uint64_t> shed_deadline_{0};
  std::atomic<int64_t> waiting_{0};
  WorkQueue workers_;  ///< Last: its destructor runs the queued requests before the rest dies.
};

}  // namespace souk::api
