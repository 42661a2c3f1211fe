// WorkQueue: a fixed set of threads running submitted tasks in submission order, with a bound
// on the tasks waiting, for work that blocks (disk syncs) and so may not run on an RPC
// framework's own threads.
//
// TrySubmit refuses a task when `max_pending` are already waiting: the caller answers "busy"
// instead of letting a queue grow without bound. The destructor runs every task already
// accepted, then joins the threads.
//
// Thread-safety: TrySubmit may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace souk {

class WorkQueue {
 public:
  /// threads >= 1, max_pending >= 1 (checked).
  WorkQueue(size_t threads, size_t max_pending);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  /// Queues `task`; false (and `task` dropped) when max_pending tasks already wait.
  bool TrySubmit(std::function<void()> task);

 private:
  void Run();

  const size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> pending_;  ///< Guarded by mutex_.
  bool stopping_ = false;                      ///< Guarded by mutex_.
  std::vector<std::thread> threads_;
};

}  // namespace souk
