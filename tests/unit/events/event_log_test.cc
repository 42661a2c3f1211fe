#include "souk/events/event_log.h"

#include <string>
#include <thread>
#include <vector>

#include "rocksdb/db.h"
#include "souk/base/str_cat.h"
#include "support/test_support.h"

namespace souk::events {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::ElementsAre;

Event Click(std::string id, std::string product = "p1") {
  return Event{.event_id = std::move(id),
               .timestamp_ms = 1800000000000,
               .user_id = "u1",
               .type = EventType::kClick,
               .request_id = "r1",
               .product_id = std::move(product),
               .position = 1};
}

std::vector<Event> ReadAll(const EventLog& log, uint64_t from = 0) {
  std::vector<Event> out;
  EXPECT_OK(log.Replay(from, [&](uint64_t sequence, const Event& e) {
    EXPECT_EQ(sequence, from + out.size());
    out.push_back(e);
    return absl::OkStatus();
  }));
  return out;
}

std::vector<std::string> Ids(const std::vector<Event>& events) {
  std::vector<std::string> ids;
  for (const Event& e : events) ids.push_back(e.event_id);
  return ids;
}

TEST(EventLogTest, StoresEventsInOrderAndReplaysThemAfterReopening) {
  TempDir dir;
  const EventLogOptions options{.path = dir.File("log")};
  {
    absl::StatusOr<std::unique_ptr<EventLog>> log = EventLog::Open(options);
    ASSERT_OK(log);
    ASSERT_OK((*log)->Append(std::vector{Click("a"), Click("b", "p2")}));
    ASSERT_OK((*log)->Append(std::vector{Click("c")}));
    EXPECT_EQ((*log)->size(), 3u);
  }
  absl::StatusOr<std::unique_ptr<EventLog>> reopened = EventLog::Open(options);
  ASSERT_OK(reopened);
  EXPECT_EQ((*reopened)->size(), 3u);
  const std::vector<Event> events = ReadAll(**reopened);
  EXPECT_THAT(Ids(events), ElementsAre("a", "b", "c"));
  EXPECT_EQ(events[1], Click("b", "p2"));
  EXPECT_THAT(Ids(ReadAll(**reopened, 2)), ElementsAre("c"));
  // New appends continue the sequence after a reopen.
  ASSERT_OK((*reopened)->Append(std::vector{Click("d")}));
  EXPECT_THAT(Ids(ReadAll(**reopened)), ElementsAre("a", "b", "c", "d"));
}

TEST(EventLogTest, CreatesMissingParentDirectoriesAndOpensReadOnlyBesideAWriter) {
  TempDir dir;
  const std::string path = dir.File("var/lib/souk/events");
  EXPECT_FALSE(EventLog::Open({.path = path, .read_only = true}).ok());  // nothing to read yet
  absl::StatusOr<std::unique_ptr<EventLog>> writer = EventLog::Open({.path = path});
  ASSERT_OK(writer);
  ASSERT_OK((*writer)->Append(std::vector{Click("a"), Click("b")}));
  absl::StatusOr<std::unique_ptr<EventLog>> reader =
      EventLog::Open({.path = path, .read_only = true});
  ASSERT_OK(reader);
  EXPECT_THAT(Ids(ReadAll(**reader)), ElementsAre("a", "b"));
  EXPECT_THAT((*reader)->Append(std::vector{Click("c")}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "read-only"));
}

TEST(EventLogTest, IgnoresRepeatedIdsAcrossAndWithinBatches) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<EventLog>> log = EventLog::Open({.path = dir.File("log")});
  ASSERT_OK(log);
  absl::StatusOr<std::vector<bool>> first = (*log)->Append(std::vector{Click("a"), Click("b")});
  ASSERT_OK(first);
  EXPECT_THAT(*first, ElementsAre(true, true));
  absl::StatusOr<std::vector<bool>> retry =
      (*log)->Append(std::vector{Click("b", "p9"), Click("c"), Click("c"), Click("a")});
  ASSERT_OK(retry);
  EXPECT_THAT(*retry, ElementsAre(false, true, false, false));
  const std::vector<Event> events = ReadAll(**log);
  EXPECT_THAT(Ids(events), ElementsAre("a", "b", "c"));
  EXPECT_EQ(events[1].product_id, "p1");  // the first "b" stays
}

TEST(EventLogTest, ConcurrentAppendsKeepEveryEventOnce) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<EventLog>> log =
      EventLog::Open({.path = dir.File("log"), .sync = false});
  ASSERT_OK(log);
  constexpr int kThreads = 4, kBatches = 25, kPerBatch = 8;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<Event> batch;
        // Every thread also sends the shared ids "x0".."x7": only one copy of each may land.
        for (int i = 0; i < kPerBatch; ++i) batch.push_back(Click(StrCat("t", t, "-", b, "-", i)));
        batch.push_back(Click(StrCat("x", b % 8)));
        EXPECT_OK((*log)->Append(batch));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const std::vector<Event> events = ReadAll(**log);
  EXPECT_EQ(events.size(), size_t{kThreads * kBatches * kPerBatch + 8});
  EXPECT_EQ((*log)->size(), events.size());
}

TEST(EventLogTest, RefusesADatabaseThatIsNotAnEventLog) {
  TempDir dir;
  EXPECT_THAT(EventLog::Open({.path = ""}), StatusIs(absl::StatusCode::kInvalidArgument, "path"));
  {
    absl::StatusOr<std::unique_ptr<EventLog>> log = EventLog::Open({.path = dir.File("log")});
    ASSERT_OK(log);
  }
  // A plain file where the directory should be.
  const std::string file = dir.WriteFile("not-a-dir", "x");
  EXPECT_FALSE(EventLog::Open({.path = file}).ok());
  // Another application's database.
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.File("other"), &raw).ok());
    std::unique_ptr<rocksdb::DB> other(raw);
    ASSERT_TRUE(other->Put(rocksdb::WriteOptions(), "key", "value").ok());
  }
  EXPECT_THAT(EventLog::Open({.path = dir.File("other")}),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not an event log"));
}

TEST(EventLogTest, ReplayStopsAtTheVisitorsError) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<EventLog>> log = EventLog::Open({.path = dir.File("log")});
  ASSERT_OK(log);
  ASSERT_OK((*log)->Append(std::vector{Click("a"), Click("b"), Click("c")}));
  int seen = 0;
  EXPECT_THAT((*log)->Replay(0,
                             [&](uint64_t, const Event&) {
                               return ++seen == 2 ? absl::CancelledError("enough")
                                                  : absl::OkStatus();
                             }),
              StatusIs(absl::StatusCode::kCancelled, "enough"));
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace souk::events
