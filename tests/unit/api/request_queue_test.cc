#include "souk/api/request_queue.h"

#include <future>
#include <thread>

#include "support/test_support.h"

namespace souk::api {
namespace {

using ::souk::testing::StatusIs;
using Clock = RequestQueue::Clock;
using std::chrono::milliseconds;

constexpr Clock::time_point kNoDeadline = Clock::time_point::max();

// Occupies the queue's only worker until release() is called. Its own request must be run, not
// shed: the wait bounds below are wide next to how long an idle worker takes to pick one up,
// even under a sanitizer on a loaded machine.
class BusyWorker {
 public:
  explicit BusyWorker(RequestQueue& queue) {
    std::promise<void> started;
    EXPECT_OK(queue.Submit(kNoDeadline, [this, &started](const absl::Status& admitted) {
      EXPECT_OK(admitted);
      started.set_value();
      release_.get_future().wait();
    }));
    started.get_future().wait();
  }
  void release() { release_.set_value(); }

 private:
  std::promise<void> release_;
};

TEST(RequestQueueTest, RunsAdmittedWork) {
  RequestQueue queue(2, 4, milliseconds(0));
  std::promise<absl::Status> done;
  ASSERT_OK(queue.Submit(kNoDeadline, [&](const absl::Status& s) { done.set_value(s); }));
  EXPECT_OK(done.get_future().get());
  EXPECT_EQ(queue.counters().run, 1u);
}

TEST(RequestQueueTest, AFullQueueRefusesAtOnce) {
  RequestQueue queue(1, 2, milliseconds(0));
  BusyWorker busy(queue);
  std::promise<void> a, b;
  ASSERT_OK(queue.Submit(kNoDeadline, [&](const absl::Status&) { a.set_value(); }));
  ASSERT_OK(queue.Submit(kNoDeadline, [&](const absl::Status&) { b.set_value(); }));
  EXPECT_EQ(queue.counters().waiting, 2);
  bool ran = false;
  EXPECT_THAT(queue.Submit(kNoDeadline, [&](const absl::Status&) { ran = true; }),
              StatusIs(absl::StatusCode::kResourceExhausted, "2 requests already queued"));
  busy.release();
  a.get_future().wait();
  b.get_future().wait();
  EXPECT_FALSE(ran);
  const RequestQueue::Counters c = queue.counters();
  EXPECT_EQ(c.refused_full, 1u);
  EXPECT_EQ(c.run, 3u);  // the busy one and the two queued
  EXPECT_EQ(c.waiting, 0);
}

TEST(RequestQueueTest, WorkThatWaitedTooLongIsShedUnrun) {
  RequestQueue queue(1, 4, milliseconds(200));
  BusyWorker busy(queue);
  std::promise<absl::Status> shed;
  ASSERT_OK(queue.Submit(kNoDeadline, [&](const absl::Status& s) { shed.set_value(s); }));
  std::this_thread::sleep_for(milliseconds(400));
  busy.release();
  EXPECT_THAT(shed.get_future().get(),
              StatusIs(absl::StatusCode::kResourceExhausted, "server.max_queue_wait_ms 200"));
  EXPECT_EQ(queue.counters().shed_waited, 1u);
}

TEST(RequestQueueTest, WorkPastItsDeadlineIsAnsweredUnrun) {
  RequestQueue queue(1, 4, milliseconds(0));
  BusyWorker busy(queue);
  std::promise<absl::Status> late;
  ASSERT_OK(queue.Submit(Clock::now() + milliseconds(2),
                         [&](const absl::Status& s) { late.set_value(s); }));
  std::this_thread::sleep_for(milliseconds(10));
  busy.release();
  EXPECT_THAT(late.get_future().get(),
              StatusIs(absl::StatusCode::kDeadlineExceeded, "in the server's queue"));
  EXPECT_EQ(queue.counters().shed_deadline, 1u);
}

}  // namespace
}  // namespace souk::api
