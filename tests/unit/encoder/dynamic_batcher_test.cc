#include "souk/encoder/dynamic_batcher.h"

#include <atomic>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace souk::encoder {
namespace {

using ::souk::testing::StatusIs;
using Batcher = DynamicBatcher<int, int>;

TEST(DynamicBatcherTest, EachCallerGetsItsOwnOutput) {
  std::atomic<int> calls{0};
  Batcher batcher({.max_batch_size = 8, .max_wait = std::chrono::milliseconds(2)},
                  [&](std::vector<int>& in) -> absl::StatusOr<std::vector<int>> {
                    ++calls;
                    std::vector<int> out;
                    for (int x : in) out.push_back(x * x);
                    return out;
                  });
  constexpr int kCallers = 32;
  std::vector<int> results(kCallers, -1);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      auto r = batcher.Run(i);
      results[i] = r.ok() ? *r : -2;
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kCallers; ++i) EXPECT_EQ(results[i], i * i) << i;
  EXPECT_LE(calls.load(), kCallers);
}

TEST(DynamicBatcherTest, AFullBatchRunsWithoutWaitingForTheTimeout) {
  std::vector<size_t> sizes;
  std::mutex mu;
  // A 60 s wait would time the test out: the batch must close because it is full.
  Batcher batcher({.max_batch_size = 4, .max_wait = std::chrono::seconds(60)},
                  [&](std::vector<int>& in) -> absl::StatusOr<std::vector<int>> {
                    std::lock_guard<std::mutex> lock(mu);
                    sizes.push_back(in.size());
                    return in;
                  });
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { EXPECT_EQ(*batcher.Run(i), i); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(sizes, std::vector<size_t>{4});
}

TEST(DynamicBatcherTest, ALoneItemRunsAfterMaxWait) {
  Batcher batcher({.max_batch_size = 64, .max_wait = std::chrono::microseconds(200)},
                  [](std::vector<int>& in) -> absl::StatusOr<std::vector<int>> { return in; });
  EXPECT_EQ(*batcher.Run(7), 7);
}

TEST(DynamicBatcherTest, ABatchErrorReachesEveryCallerOfThatBatch) {
  Batcher batcher({.max_batch_size = 2, .max_wait = std::chrono::seconds(60)},
                  [](std::vector<int>&) -> absl::StatusOr<std::vector<int>> {
                    return absl::InternalError("model failed");
                  });
  std::vector<absl::Status> statuses(2);
  std::thread a([&] { statuses[0] = batcher.Run(1).status(); });
  std::thread b([&] { statuses[1] = batcher.Run(2).status(); });
  a.join();
  b.join();
  for (const auto& s : statuses)
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInternal, "model failed"));
}

TEST(DynamicBatcherTest, AThrowingFunctionBecomesAnError) {
  Batcher batcher({.max_batch_size = 1}, [](std::vector<int>&) -> absl::StatusOr<std::vector<int>> {
    throw std::runtime_error("boom");
  });
  EXPECT_THAT(batcher.Run(1), StatusIs(absl::StatusCode::kInternal, "boom"));
}

TEST(DynamicBatcherTest, AFullQueueRefusesAtOnce) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<bool> in_batch{false};
  Batcher batcher({.max_batch_size = 1, .max_wait = std::chrono::microseconds(0), .max_queue = 1},
                  [&](std::vector<int>& in) -> absl::StatusOr<std::vector<int>> {
                    in_batch = true;
                    gate.wait();
                    return in;
                  });
  std::thread first([&] { EXPECT_OK(batcher.Run(1)); });  // occupies the worker
  while (!in_batch) std::this_thread::yield();
  std::thread second([&] { EXPECT_OK(batcher.Run(2)); });  // fills the queue
  while (batcher.queued() < 1) std::this_thread::yield();
  EXPECT_THAT(batcher.Run(3), StatusIs(absl::StatusCode::kResourceExhausted, "queue full"));
  release.set_value();
  first.join();
  second.join();
}

TEST(DynamicBatcherTest, ExpiredItemsAreNotComputed) {
  std::atomic<int> computed{0};
  Batcher batcher({.max_batch_size = 8, .max_wait = std::chrono::milliseconds(1)},
                  [&](std::vector<int>& in) -> absl::StatusOr<std::vector<int>> {
                    computed += static_cast<int>(in.size());
                    return in;
                  });
  EXPECT_THAT(batcher.Run(1, Batcher::Clock::now() - std::chrono::seconds(1)),
              StatusIs(absl::StatusCode::kDeadlineExceeded, "deadline"));
  EXPECT_EQ(computed.load(), 0);
  EXPECT_EQ(batcher.stats().expired, 1u);
  EXPECT_EQ(batcher.stats().batches, 0u);
}

TEST(DynamicBatcherTest, StatsCountBatchesItemsAndWaits) {
  Batcher batcher({.max_batch_size = 8, .max_wait = std::chrono::milliseconds(2)},
                  [](std::vector<int>& in) -> absl::StatusOr<std::vector<int>> { return in; });
  ASSERT_OK(batcher.Run(1));
  ASSERT_OK(batcher.Run(2));
  const BatcherStats stats = batcher.stats();
  EXPECT_EQ(stats.batches, 2u);  // one after the other: a batch each
  EXPECT_EQ(stats.items, 2u);
  EXPECT_GE(stats.wait_us, 2u * 1000);  // each waited max_wait for company
  EXPECT_EQ(stats.expired, 0u);
}

TEST(BatcherOptionsTest, Validates) {
  EXPECT_OK(BatcherOptions{}.Validate());
  EXPECT_THAT(BatcherOptions{.max_batch_size = 0}.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "max_batch_size"));
}

}  // namespace
}  // namespace souk::encoder
