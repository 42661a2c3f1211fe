// Retraining the sequential recommender from the event log: the log extends the stored
// histories, the newest items are held out, the new model is judged against the serving one.

#include "souk/train/seqrec_retrain.h"

#include <filesystem>

#include "seqrec_test_options.h"
#include "souk/base/file_util.h"
#include "souk/base/str_cat.h"
#include "souk/events/event_log.h"
#include "souk/train/model_versions.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

constexpr int kCycle = 30;

std::string Item(int k) { return StrCat("i", (k % kCycle) + 1); }

// 120 users, each 4 to 9 consecutive items of a cycle: the item after i<k> is i<k+1>.
std::string StoredHistories() {
  std::string out;
  for (int u = 0; u < 120; ++u) {
    for (int i = 0; i < 4 + u % 6; ++i) out += StrCat("u", u, " ", Item(u * 7 + i), "\n");
  }
  return out;
}

// The first 50 users click on along the cycle (click, then cart: one item), 2 items each.
std::vector<events::Event> LogOfClicks() {
  std::vector<events::Event> log;
  int64_t t = 1700000000000;
  for (int u = 0; u < 50; ++u) {
    for (int i = 0; i < 2; ++i) {
      const std::string item = Item(u * 7 + 4 + u % 6 + i);
      for (const events::EventType type :
           {events::EventType::kClick, events::EventType::kAddToCart}) {
        log.push_back({.event_id = StrCat("e", log.size()),
                       .timestamp_ms = t += 1000,
                       .user_id = StrCat("u", u),
                       .type = type,
                       .product_id = item,
                       .quantity = 1});
      }
    }
  }
  return log;
}

class SeqRecRetrainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = events::EventLog::Open({.path = tmp_.File("events"), .sync = false});
    ASSERT_OK(log);
    ASSERT_OK((*log)->Append(LogOfClicks()));
    options_.event_log = tmp_.File("events");
    options_.interactions = tmp_.WriteFile("interactions.txt", StoredHistories());
    options_.models_dir = tmp_.File("models/seqrec");
    options_.min_heldout_users = 10;
    options_.training = testing::TinySeqRecOptions();
    options_.training.validation_users = 20;
  }

  TempDir tmp_;
  SeqRecRetrainOptions options_;
};

TEST_F(SeqRecRetrainTest, LearnsFromTheLogAndRefusesAWorseModel) {
  auto first = RetrainSeqRec(options_);
  ASSERT_OK(first);
  EXPECT_EQ(first->version, "v1");
  EXPECT_EQ(first->log_actions, 200u);
  // Each user's click and cart of one item count once: 120 users, the stored items plus 2 each
  // for 50 of them, of whom every one loses the newest to the held-out set.
  EXPECT_EQ(first->comparison.count, 50u);
  EXPECT_EQ(first->training.users, 120u);
  EXPECT_EQ(first->comparison.baseline, 0.0);                             // no serving model
  EXPECT_GT(first->comparison.candidate, 0.8) << first->decision.reason;  // the cycle, learned
  EXPECT_GT(first->heldout_hr_new, 0.8);
  EXPECT_TRUE(first->decision.promote) << first->decision.reason;
  const ModelVersions versions(options_.models_dir);
  EXPECT_EQ(*versions.Current(), "v1");
  namespace fs = std::filesystem;
  EXPECT_TRUE(fs::exists(tmp_.File("models/seqrec/v1/config.json")));
  EXPECT_TRUE(fs::exists(tmp_.File("models/seqrec/v1/report.json")));
  EXPECT_FALSE(fs::exists(tmp_.File("models/seqrec/v1/checkpoint.pt")));
  EXPECT_FALSE(fs::exists(tmp_.File("models/seqrec/v1/interactions.txt")));

  // Barely trained, the next one is worse than v1 beyond the noise: published, not promoted.
  options_.training.epochs = 1;
  options_.training.optimizer.learning_rate = 1e-6;
  auto second = RetrainSeqRec(options_);
  ASSERT_OK(second);
  EXPECT_EQ(second->serving_model, versions.PathOf("v1"));
  EXPECT_GT(second->comparison.baseline, 0.8);
  EXPECT_LT(second->comparison.gain.high, 0.0);
  EXPECT_FALSE(second->decision.promote);
  EXPECT_NE(second->decision.reason.find("worse than the serving model"), std::string::npos)
      << second->decision.reason;
  EXPECT_EQ(*versions.Current(), "v1");
  EXPECT_EQ(*versions.Latest(), 2);

  options_.force = true;  // forced, it is promoted anyway
  auto forced = RetrainSeqRec(options_);
  ASSERT_OK(forced);
  EXPECT_TRUE(forced->decision.promote);
  EXPECT_EQ(*versions.Current(), "v3");
}

TEST_F(SeqRecRetrainTest, BadInputIsNamed) {
  SeqRecRetrainOptions o = options_;
  o.min_heldout_users = 0;
  EXPECT_THAT(RetrainSeqRec(o), StatusIs(absl::StatusCode::kInvalidArgument, "held-out users"));
  o = options_;
  o.training.model.num_heads = 3;  // 16 is not a multiple of 3
  EXPECT_THAT(RetrainSeqRec(o), StatusIs(absl::StatusCode::kInvalidArgument, "num_heads"));
  o = options_;
  o.serving_model = tmp_.File("no-model");
  EXPECT_THAT(RetrainSeqRec(o), StatusIs(absl::StatusCode::kNotFound, "serving model"));
  o = options_;
  o.interactions = tmp_.File("missing.txt");
  EXPECT_THAT(RetrainSeqRec(o), StatusIs(absl::StatusCode::kNotFound, "missing.txt"));
}

}  // namespace
}  // namespace souk::train
