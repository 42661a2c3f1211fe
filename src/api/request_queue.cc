#include "souk/api/request_queue.h"

#include <utility>

#include "souk/base/str_cat.h"

namespace souk::api {

RequestQueue::RequestQueue(size_t workers, size_t max_queue, std::chrono::milliseconds max_wait)
    : max_queue_(max_queue), max_wait_(max_wait), workers_(workers, max_queue) {}

absl::Status RequestQueue::Submit(Clock::time_point deadline, Work work) {
  const Clock::time_point queued = Clock::now();
  waiting_.fetch_add(1, std::memory_order_relaxed);
  const bool accepted = workers_.TrySubmit([this, deadline, queued, work = std::move(work)] {
    waiting_.fetch_sub(1, std::memory_order_relaxed);
    const Clock::time_point now = Clock::now();
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - queued);
    if (now >= deadline) {
      shed_deadline_.fetch_add(1, std::memory_order_relaxed);
      work(absl::DeadlineExceededError(
          StrCat("the deadline passed after ", waited.count(), " ms in the server's queue")));
    } else if (max_wait_.count() > 0 && waited > max_wait_) {
      shed_waited_.fetch_add(1, std::memory_order_relaxed);
      work(absl::ResourceExhaustedError(StrCat("server overloaded: waited ", waited.count(),
                                               " ms in the queue (server.max_queue_wait_ms ",
                                               max_wait_.count(), "); retry later")));
    } else {
      run_.fetch_add(1, std::memory_order_relaxed);
      work(absl::OkStatus());
    }
  });
  if (accepted) return absl::OkStatus();
  waiting_.fetch_sub(1, std::memory_order_relaxed);
  refused_full_.fetch_add(1, std::memory_order_relaxed);
  return absl::ResourceExhaustedError(StrCat("server overloaded: ", max_queue_,
                                             " requests already queued (server.max_queue); "
                                             "retry later"));
}

RequestQueue::Counters RequestQueue::counters() const {
  return {.run = run_.load(std::memory_order_relaxed),
          .refused_full = refused_full_.load(std::memory_order_relaxed),
          .shed_waited = shed_waited_.load(std::memory_order_relaxed),
          .shed_deadline = shed_deadline_.load(std::memory_order_relaxed),
          .waiting = waiting_.load(std::memory_order_relaxed)};
}

}  // namespace souk::api
