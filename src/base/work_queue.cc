#include "souk/base/work_queue.h"

#include <utility>

#include "souk/base/check.h"

namespace souk {

WorkQueue::WorkQueue(size_t threads, size_t max_pending) : max_pending_(max_pending) {
  SOUK_CHECK(threads >= 1 && max_pending >= 1);
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkQueue::~WorkQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool WorkQueue::TrySubmit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_.size() >= max_pending_) return false;
    pending_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void WorkQueue::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and nothing left to run
      task = std::move(pending_.front());
      pending_.pop_front();
    }
    task();
  }
}

}  // namespace souk
