#include "souk/base/work_queue.h"

#include <atomic>
#include <future>

#include "support/test_support.h"

namespace souk {
namespace {

TEST(WorkQueueTest, RunsEveryAcceptedTaskBeforeItIsDestroyed) {
  std::atomic<int> ran{0};
  {
    WorkQueue queue(3, 1000);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(queue.TrySubmit([&] { ran.fetch_add(1); }));
  }
  EXPECT_EQ(ran.load(), 500);
}

TEST(WorkQueueTest, RefusesTasksBeyondTheBoundWhileTheThreadIsBusy) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  {
    WorkQueue queue(1, 2);
    ASSERT_TRUE(queue.TrySubmit([&] {
      started.set_value();
      released.wait();
    }));
    started.get_future().wait();  // the thread is busy; the queue is empty
    EXPECT_TRUE(queue.TrySubmit([&] { ran.fetch_add(1); }));
    EXPECT_TRUE(queue.TrySubmit([&] { ran.fetch_add(1); }));
    EXPECT_FALSE(queue.TrySubmit([&] { ran.fetch_add(100); }));
    release.set_value();
  }
  EXPECT_EQ(ran.load(), 2);
}

}  // namespace
}  // namespace souk
