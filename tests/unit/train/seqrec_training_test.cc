// Sequential recommender training on histories whose next item is known: users walk a cycle of
// items, so the item after k is always k + 1. The trained model must find it; the best epoch is
// kept and loads; a resumed run ends where an uninterrupted one does; bad input is named.

#include "souk/train/seqrec_training.h"

#include <torch/torch.h>

#include "seqrec_test_options.h"
#include "souk/base/file_util.h"
#include "souk/base/str_cat.h"
#include "souk/model/seqrec_model.h"
#include "souk/recommend/interactions.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

constexpr int kCycle = 40;

// 160 users, each a run of 4 to 11 consecutive items of the cycle, items named "i<k>".
std::string CycleInteractions() {
  std::string out;
  for (int u = 0; u < 160; ++u) {
    const int start = (u * 7) % kCycle;
    const int length = 4 + u % 8;
    for (int i = 0; i < length; ++i) out += StrCat("u", u, " i", (start + i) % kCycle + 1, "\n");
  }
  return out;
}

SeqRecTrainingOptions TinyOptions(const std::string& interactions, const std::string& out_dir) {
  return testing::TinySeqRecOptions(interactions, out_dir);
}

TEST(SeqRecTrainingTest, LearnsTheNextItemOfACycleAndKeepsTheBestEpoch) {
  TempDir tmp;
  const SeqRecTrainingOptions o =
      TinyOptions(tmp.WriteFile("cycle.txt", CycleInteractions()), tmp.File("model"));
  auto result = RunSeqRecTraining(o);
  ASSERT_OK(result);
  EXPECT_EQ(result->users, 160u);
  EXPECT_EQ(result->items, static_cast<size_t>(kCycle));
  EXPECT_EQ(result->validation_users, 40u);
  ASSERT_EQ(result->history.size(), 13u);  // epoch 0 (untrained) and 12 epochs
  EXPECT_LT(result->history.back().train_loss, result->history[1].train_loss);
  const double untrained = result->history[0].validation.at("ndcg@10");
  const double best = result->history[result->best_epoch].validation.at("ndcg@10");
  EXPECT_LT(untrained, 0.3);
  EXPECT_GT(best, 0.9);
  for (const SeqRecEpoch& e : result->history) EXPECT_LE(e.validation.at("ndcg@10"), best);

  // The kept model, loaded as `souk recommend` does, puts k + 1 first after ..., k.
  auto model = model::SeqRecModel::Load(o.out_dir);
  ASSERT_OK(model);
  auto text = ReadFileToString(StrCat(o.out_dir, "/", model::kSeqRecItemsFile));
  ASSERT_OK(text);
  auto items = recommend::ItemVocabulary::FromText(*text, "items.txt");
  ASSERT_OK(items);
  const std::vector<std::vector<uint32_t>> histories = {
      {items->Find("i5"), items->Find("i6"), items->Find("i7")},
      {items->Find("i38"), items->Find("i39"), items->Find("i40")}};
  auto top = (*model)->TopK(histories, 3);
  ASSERT_OK(top);
  EXPECT_EQ(items->Name((*top)[0][0].item), "i8");
  EXPECT_EQ(items->Name((*top)[1][0].item), "i1");  // the cycle wraps
}

TEST(SeqRecTrainingTest, AResumedRunEndsWhereAnUninterruptedOneDoes) {
  TempDir tmp;
  const std::string data = tmp.WriteFile("cycle.txt", CycleInteractions());
  SeqRecTrainingOptions whole = TinyOptions(data, tmp.File("whole"));
  whole.epochs = 2;
  whole.runtime.checkpoint_every = 3;
  ASSERT_OK(RunSeqRecTraining(whole));

  SeqRecTrainingOptions parts = whole;
  parts.out_dir = tmp.File("parts");
  parts.runtime.stop_after_step = 13;  // mid-epoch 2 (10 steps per epoch)
  ASSERT_OK(RunSeqRecTraining(parts));
  parts.runtime.stop_after_step = 0;
  parts.runtime.resume = true;
  ASSERT_OK(RunSeqRecTraining(parts));

  auto a = ReadFileToString(StrCat(whole.out_dir, "/", model::kSeqRecWeightsFile));
  auto b = ReadFileToString(StrCat(parts.out_dir, "/", model::kSeqRecWeightsFile));
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_TRUE(*a == *b);
}

TEST(SeqRecTrainingTest, BadInputIsNamed) {
  TempDir tmp;
  SeqRecTrainingOptions o = TinyOptions(tmp.WriteFile("single.txt", "u1 a\nu2 b\n"), tmp.File("m"));
  EXPECT_THAT(RunSeqRecTraining(o),
              StatusIs(absl::StatusCode::kFailedPrecondition, "no user has two items"));
  o.interactions = tmp.File("missing.txt");
  EXPECT_THAT(RunSeqRecTraining(o), StatusIs(absl::StatusCode::kNotFound, "missing.txt"));
  o = TinyOptions(tmp.WriteFile("bad.txt", "u1 a 3\n"), tmp.File("m"));
  EXPECT_THAT(RunSeqRecTraining(o), StatusIs(absl::StatusCode::kInvalidArgument, "bad.txt:1"));
  o.model.num_heads = 3;
  EXPECT_THAT(RunSeqRecTraining(o), StatusIs(absl::StatusCode::kInvalidArgument, "num_heads"));
  o = TinyOptions(tmp.File("x"), tmp.File("m"));
  o.batch_size = 0;
  EXPECT_THAT(RunSeqRecTraining(o), StatusIs(absl::StatusCode::kInvalidArgument, "batch_size"));
}

}  // namespace
}  // namespace souk::train
