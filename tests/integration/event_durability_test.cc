// Acknowledged events survive SIGKILL: clients stream LogEvents batches into soukd, soukd is
// killed mid-stream, and after a restart every acknowledged event is in the log, and every
// batch is there whole or not at all.
//
// One kill per run by default; SOUK_CRASH_ROUNDS=N kills and restarts N times
// (tests/scripts/crash_stress.sh runs 20).

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>

#include "../unit/engine/engine_fixture.h"
#include "absl/container/flat_hash_set.h"
#include "child_process.h"
#include "souk/base/clock.h"
#include "souk/base/str_cat.h"
#include "souk/engine/index_directory.h"
#include "souk/events/event_log.h"
#include "souk/v1/feedback.grpc.pb.h"

namespace souk {
namespace {

using ::souk::testing::Child;
using ::souk::testing::ReadServingPort;
using ::souk::testing::Spawn;
using ::souk::testing::TempDir;
using ::souk::testing::WaitFor;

constexpr int kClients = 3;
constexpr int kBatchSize = 20;
constexpr int kMaxBatchesPerClient = 2000;  // bounds each round even if the kill came late

struct Batch {
  std::vector<std::string> ids;
  bool acknowledged = false;
};

// What the clients sent, shared by their threads.
class SentLog {
 public:
  void Add(Batch batch) {
    std::lock_guard<std::mutex> lock(mutex_);
    batches_.push_back(std::move(batch));
  }
  std::vector<Batch> batches() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return batches_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Batch> batches_;
};

v1::LogEventsRequest ClickBatch(const std::vector<std::string>& ids) {
  v1::LogEventsRequest request;
  for (const std::string& id : ids) {
    v1::Event* e = request.add_events();
    e->set_event_id(id);
    e->set_timestamp_ms(NowUnixMillis());
    e->set_user_id("u1");
    e->mutable_click()->set_request_id("r1");
    e->mutable_click()->set_product_id("p1");
    e->mutable_click()->set_position(1);
  }
  return request;
}

// Streams batches until a call fails (the server died) or the bound is reached.
void StreamUntilFailure(int port, const std::string& prefix, SentLog* sent) {
  auto stub = v1::FeedbackService::NewStub(
      grpc::CreateChannel(StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  for (int b = 0; b < kMaxBatchesPerClient; ++b) {
    Batch batch;
    for (int i = 0; i < kBatchSize; ++i) batch.ids.push_back(StrCat(prefix, "-", b, "-", i));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::LogEventsResponse response;
    const grpc::Status status = stub->LogEvents(&context, ClickBatch(batch.ids), &response);
    batch.acknowledged = status.ok() && response.accepted() + response.duplicates() == kBatchSize;
    sent->Add(batch);
    if (!status.ok()) return;
  }
}

std::string WriteConfig(const TempDir& tmp) {
  return tmp.WriteFile(
      "souk.yaml", StrCat("server: {address: '127.0.0.1:0'}\n", "index: {dir: '", tmp.File("index"),
                          "'}\n", "feedback: {event_log: '", tmp.File("events"), "', sync: true}\n",
                          "logging: {level: warn}\n"));
}

// One round: start soukd, stream from kClients threads, SIGKILL it after `kill_after`.
void StreamAndKill(const std::string& config, std::chrono::milliseconds kill_after, int round,
                   SentLog* sent) {
  Child child = Spawn({SOUKD_PATH, "--config", config});
  ASSERT_GT(child.pid, 0);
  const int port = ReadServingPort(child);
  ASSERT_GT(port, 0) << "soukd did not start";
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back(StreamUntilFailure, port, StrCat("r", round, "c", c), sent);
  }
  std::this_thread::sleep_for(kill_after);
  ASSERT_EQ(kill(child.pid, SIGKILL), 0);
  for (std::thread& t : clients) t.join();
  int status = 0;
  waitpid(child.pid, &status, 0);
  std::fclose(child.out);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

absl::flat_hash_set<std::string> LoggedIds(const std::string& path) {
  absl::flat_hash_set<std::string> ids;
  absl::StatusOr<std::unique_ptr<events::EventLog>> log = events::EventLog::Open({.path = path});
  EXPECT_OK(log);
  if (!log.ok()) return ids;
  EXPECT_OK((*log)->Replay(0, [&](uint64_t, const events::Event& e) {
    EXPECT_TRUE(ids.insert(e.event_id).second) << "stored twice: " << e.event_id;
    return absl::OkStatus();
  }));
  return ids;
}

int Rounds() {
  const char* env = std::getenv("SOUK_CRASH_ROUNDS");
  const int rounds = env == nullptr ? 1 : std::atoi(env);
  return rounds < 1 ? 1 : rounds;
}

TEST(EventDurabilityTest, EveryAcknowledgedEventSurvivesSigkill) {
  TempDir tmp;
  ASSERT_OK(engine::WriteIndexDirectory(engine::testing::SmallCatalog(),
                                        engine::testing::OptionsFor(tmp.File("index"))));
  const std::string config = WriteConfig(tmp);
  std::mt19937 random(std::random_device{}());
  SentLog sent;
  for (int round = 0; round < Rounds(); ++round) {
    const auto kill_after = std::chrono::milliseconds(300 + random() % 700);
    ASSERT_NO_FATAL_FAILURE(StreamAndKill(config, kill_after, round, &sent));
  }
  const absl::flat_hash_set<std::string> logged = LoggedIds(tmp.File("events"));
  size_t acknowledged = 0;
  for (const Batch& batch : sent.batches()) {
    size_t present = 0;
    for (const std::string& id : batch.ids) present += logged.contains(id);
    if (batch.acknowledged) {
      ++acknowledged;
      EXPECT_EQ(present, batch.ids.size()) << "acknowledged batch lost: " << batch.ids.front();
    } else {
      EXPECT_TRUE(present == 0 || present == batch.ids.size())
          << "batch half-written: " << present << " of " << batch.ids.size();
    }
  }
  EXPECT_GT(acknowledged, 0u) << "no batch was acknowledged before the kill";
  std::cout << Rounds() << " kills, " << sent.batches().size() << " batches sent, " << acknowledged
            << " acknowledged, all of those found; " << logged.size() << " events in the log\n";
  // The restarted server knows them: resending an acknowledged batch is all duplicates.
  Child child = Spawn({SOUKD_PATH, "--config", config});
  ASSERT_GT(child.pid, 0);
  const int port = ReadServingPort(child);
  ASSERT_GT(port, 0);
  auto stub = v1::FeedbackService::NewStub(
      grpc::CreateChannel(StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  for (const Batch& batch : sent.batches()) {
    if (!batch.acknowledged) continue;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::LogEventsResponse response;
    ASSERT_TRUE(stub->LogEvents(&context, ClickBatch(batch.ids), &response).ok());
    EXPECT_EQ(response.duplicates(), kBatchSize);
    break;  // one is enough here; the log itself was checked above
  }
  kill(child.pid, SIGTERM);
  EXPECT_NE(WaitFor(child.pid, std::chrono::seconds(20)), -1);
  std::fclose(child.out);
}

}  // namespace
}  // namespace souk
