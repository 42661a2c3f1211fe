// Item embeddings started from product text: items with the same text start at the same row,
// items without text keep theirs, and the trainer reports how many it started.
#include <torch/torch.h>

#include "item_text_init_internal.h"
#include "souk/base/check.h"
#include "souk/encoder/model_directory.h"
#include "souk/train/seqrec_training.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

std::string WriteEncoder(const TempDir& tmp) {
  model::BertConfig c;
  c.vocab_size = 12;
  c.hidden_size = 16;
  c.num_hidden_layers = 1;
  c.num_attention_heads = 2;
  c.intermediate_size = 32;
  c.max_position_embeddings = 16;
  model::ServingConfig serving;
  serving.max_length = 8;
  const std::vector<std::string> vocab = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "red",
                                          "blue",  "drill", "hose",  "saw",   "green",  "kit"};
  const std::string dir = tmp.File("encoder");
  SOUK_CHECK(encoder::WriteRandomModelDirectory(dir, c, serving, vocab, 11).ok());
  return dir;
}

TEST(ItemTextInitTest, SameTextSameRowAndItemsWithoutTextKeepTheirs) {
  TempDir tmp;
  recommend::ItemVocabulary items;
  for (const char* name : {"a", "b", "c", "d", "e"}) items.Add(name);
  const std::string text = tmp.WriteFile(
      "items.tsv", "a\tred drill\nb\tred drill\nc\tblue hose\ne\tgreen saw kit\nzz\tnot an item\n");
  torch::manual_seed(3);
  torch::Tensor embeddings = torch::randn({6, 8}) * 0.02;
  const torch::Tensor before = embeddings.clone();
  auto set =
      internal::InitItemEmbeddingsFromText(items, text, WriteEncoder(tmp), 1, 0.02, embeddings);
  ASSERT_OK(set);
  EXPECT_EQ(*set, 4u);
  EXPECT_TRUE(torch::equal(embeddings[1], embeddings[2]));   // a and b: one text
  EXPECT_FALSE(torch::equal(embeddings[1], embeddings[3]));  // c differs
  EXPECT_TRUE(torch::equal(embeddings[0], before[0]));       // padding
  EXPECT_TRUE(torch::equal(embeddings[4], before[4]));       // d has no text
  EXPECT_FALSE(torch::equal(embeddings[5], before[5]));
}

TEST(ItemTextInitTest, BadTextFilesAreNamed) {
  TempDir tmp;
  EXPECT_THAT(internal::ReadItemText(tmp.WriteFile("a.tsv", "no tab here\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "a.tsv:1"));
  EXPECT_THAT(internal::ReadItemText(tmp.WriteFile("b.tsv", "x\tone\nx\ttwo\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, "item 'x' repeated"));
  recommend::ItemVocabulary items;
  items.Add("a");
  items.Add("b");
  EXPECT_THAT(
      internal::InitItemEmbeddingsFromText(items, tmp.WriteFile("c.tsv", "a\tred\n"),
                                           tmp.File("no-encoder"), 1, 0.02, torch::zeros({3, 4})),
      StatusIs(absl::StatusCode::kFailedPrecondition, "text for 1 of 2 items"));
}

TEST(ItemTextInitTest, TheTrainerStartsItemsFromTextWhenAsked) {
  TempDir tmp;
  SeqRecTrainingOptions o;
  o.interactions = tmp.WriteFile("i.txt", "u1 a\nu1 b\nu2 b\nu2 c\nu3 a\nu3 c\n");
  o.out_dir = tmp.File("model");
  o.model.hidden_size = 8;
  o.model.num_layers = 1;
  o.model.num_heads = 1;
  o.model.max_length = 4;
  o.epochs = 1;
  o.validation_users = 0;
  o.runtime.threads = 1;
  o.runtime.plot = false;
  o.item_text = tmp.WriteFile("items.tsv", "a\tred drill\nb\tblue hose\n");
  EXPECT_THAT(RunSeqRecTraining(o),
              StatusIs(absl::StatusCode::kInvalidArgument, "text_encoder go together"));
  o.text_encoder = WriteEncoder(tmp);
  auto result = RunSeqRecTraining(o);
  ASSERT_OK(result);
  EXPECT_EQ(result->text_initialized_items, 2u);
}

}  // namespace
}  // namespace souk::train
