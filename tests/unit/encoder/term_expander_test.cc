#include "souk/encoder/term_expander.h"

#include <torch/torch.h>

#include <map>

#include "souk/base/check.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/bert_config.h"
#include "souk/model/bert_heads.h"
#include "souk/model/tensor_io.h"
#include "support/test_support.h"

namespace souk::encoder {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;

std::vector<std::string> Vocab() {
  return {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",  "cordless", "drill", "hammer",
          "##ing", "18",    "desk",  "lamp",  "battery", "light",    "claw",  "steel"};
}

int64_t IdOf(const std::string& token) {
  const std::vector<std::string> vocab = Vocab();
  return std::find(vocab.begin(), vocab.end(), token) - vocab.begin();
}

model::BertConfig SmallConfig() {
  model::BertConfig c;
  c.vocab_size = 20;  // ids 16..19 have no vocabulary entry: never words
  c.hidden_size = 32;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.intermediate_size = 64;
  c.max_position_embeddings = 64;
  return c;
}

// A directory with a random BertForMaskedLM whose output bias favours the tokens of `bias`
// (the random weights alone move logits by about 0.1), and the module to compare with.
model::BertForMaskedLM WriteMaskedLm(const std::string& dir,
                                     const std::map<std::string, float>& bias) {
  model::ServingConfig serving;
  serving.max_length = 16;
  SOUK_CHECK(WriteRandomModelDirectory(dir, SmallConfig(), serving, Vocab(), 3).ok());
  torch::manual_seed(7);
  model::BertForMaskedLM mlm(std::make_shared<model::BertForMaskedLMImpl>(SmallConfig()));
  mlm->eval();
  auto parameters = mlm->NamedParameters();
  {
    torch::NoGradGuard no_grad;
    for (const auto& [token, value] : bias)
      parameters.at("cls.predictions.bias")[IdOf(token)] = value;
  }
  SOUK_CHECK(model::WriteTensors(StrCat(dir, "/", kWeightsFile), parameters).ok());
  return mlm;
}

// A random model guesses the same words after any text (lift about 1): these tests read its
// probabilities with no lift required; LiftDropsWhatTheModelGuessesForEveryText checks the lift.
ExpansionOptions Options(const std::string& dir) {
  ExpansionOptions options;
  options.model_dir = dir;
  options.mask_slots = 3;
  options.terms = 4;
  options.min_probability = 0.05f;
  options.min_lift = 0;
  options.threads = 1;  // as the other encoder tests: one OpenMP thread (ThreadSanitizer runs them)
  return options;
}

std::unique_ptr<TermExpander> LoadOrDie(const ExpansionOptions& options) {
  auto loaded = TermExpander::Load(options);
  SOUK_CHECK(loaded.ok());
  return *std::move(loaded);
}

std::vector<std::string> Words(const std::vector<ExpandedTerm>& terms) {
  std::vector<std::string> words;
  for (const ExpandedTerm& t : terms) words.push_back(t.word);
  return words;
}

TEST(TermExpanderTest, MostProbableWordsFirstAndNoneTheTextHolds) {
  TempDir dir;
  WriteMaskedLm(dir.path(), {{"cordless", 10.0f}, {"battery", 9.5f}});
  auto expander = LoadOrDie(Options(dir.path()));
  const std::vector<std::string> texts = {"desk lamp", "cordless drill"};
  auto terms = expander->Expand(texts);
  ASSERT_OK(terms);
  ASSERT_EQ(terms->size(), 2u);
  EXPECT_EQ(Words((*terms)[0]), (std::vector<std::string>{"cordless", "battery"}));
  EXPECT_GT((*terms)[0][0].probability, (*terms)[0][1].probability);
  // The drill's title says "cordless": only the battery is new.
  EXPECT_EQ(Words((*terms)[1]), (std::vector<std::string>{"battery"}));
  // With a lower threshold the rest of the vocabulary's words follow, never the title's own.
  ExpansionOptions all = Options(dir.path());
  all.min_probability = 0;
  all.terms = 20;
  auto every = LoadOrDie(all)->Expand(texts);
  ASSERT_OK(every);
  const std::vector<std::string> words = Words((*every)[1]);
  // The vocabulary's 9 words ("##ing" and "18" are not) but the title's 2.
  EXPECT_EQ(words.size(), 7u);
  EXPECT_EQ(std::count(words.begin(), words.end(), "drill"), 0);
  EXPECT_EQ(std::count(words.begin(), words.end(), "cordless"), 0);
}

TEST(TermExpanderTest, SpecialsSubWordsAndNumbersAreNeverWords) {
  TempDir dir;
  WriteMaskedLm(
      dir.path(),
      {{"[MASK]", 14.0f}, {"[UNK]", 13.0f}, {"##ing", 12.0f}, {"18", 11.0f}, {"claw", 10.0f}});
  ExpansionOptions options = Options(dir.path());
  options.min_probability = 0;
  auto terms = LoadOrDie(options)->Expand(std::vector<std::string>{"steel hammer"});
  ASSERT_OK(terms);
  ASSERT_FALSE((*terms)[0].empty());
  EXPECT_EQ((*terms)[0][0].word, "claw");
}

TEST(TermExpanderTest, ProbabilityIsTheModelsBestOverTheMaskSlots) {
  TempDir dir;
  auto mlm = WriteMaskedLm(dir.path(), {{"battery", 3.0f}});
  auto terms = LoadOrDie(Options(dir.path()))->Expand(std::vector<std::string>{"desk lamp"});
  ASSERT_OK(terms);
  ASSERT_FALSE((*terms)[0].empty());
  ASSERT_EQ((*terms)[0][0].word, "battery");
  // [CLS] desk lamp [MASK] [MASK] [MASK] [SEP]: the slots are positions 3..5.
  torch::NoGradGuard no_grad;
  const torch::Tensor ids =
      torch::tensor(std::vector<int64_t>{2, IdOf("desk"), IdOf("lamp"), 4, 4, 4, 3}, torch::kLong);
  const torch::Tensor probability =
      torch::softmax(mlm->forward(ids.unsqueeze(0)), -1)[0].slice(0, 3, 6).amax(0);
  EXPECT_NEAR((*terms)[0][0].probability, probability[IdOf("battery")].item<float>(), 1e-5);
}

TEST(TermExpanderTest, BatchingDoesNotChangeTheWords) {
  TempDir dir;
  WriteMaskedLm(dir.path(), {{"cordless", 4.0f}, {"battery", 3.5f}, {"light", 3.0f}});
  const std::vector<std::string> texts = {"desk lamp", "claw hammer with a steel handle",
                                          "cordless drill", "", "light"};
  ExpansionOptions one = Options(dir.path());
  one.batch_size = 1;
  ExpansionOptions many = Options(dir.path());
  many.batch_size = 64;
  auto alone = LoadOrDie(one)->Expand(texts);
  auto together = LoadOrDie(many)->Expand(texts);
  ASSERT_OK(alone);
  ASSERT_OK(together);
  ASSERT_EQ(alone->size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(Words((*alone)[i]), Words((*together)[i])) << texts[i];
    for (size_t j = 0; j < (*alone)[i].size(); ++j) {
      EXPECT_NEAR((*alone)[i][j].probability, (*together)[i][j].probability, 1e-5);
    }
  }
  EXPECT_FALSE((*alone)[3].empty());  // an empty title still gets the likeliest words
}

TEST(TermExpanderTest, AtMostTermsWords) {
  TempDir dir;
  WriteMaskedLm(dir.path(), {{"cordless", 3.0f}, {"battery", 3.0f}, {"light", 3.0f}});
  ExpansionOptions options = Options(dir.path());
  options.terms = 2;
  options.min_probability = 0;
  auto terms = LoadOrDie(options)->Expand(std::vector<std::string>{"desk lamp"});
  ASSERT_OK(terms);
  EXPECT_EQ((*terms)[0].size(), 2u);
}

TEST(TermExpanderTest, LiftDropsWhatTheModelGuessesForEveryText) {
  TempDir dir;
  WriteMaskedLm(dir.path(), {{"cordless", 10.0f}, {"battery", 9.5f}});
  ExpansionOptions options = Options(dir.path());
  options.min_lift = 2;
  auto terms = LoadOrDie(options)->Expand(std::vector<std::string>{"desk lamp", "claw hammer"});
  ASSERT_OK(terms);
  EXPECT_TRUE((*terms)[0].empty());
  EXPECT_TRUE((*terms)[1].empty());
}

TEST(ChooseExpansionTermsTest, ProbableWordsLikelierHereThanOnAverage) {
  const std::vector<ExpansionCandidate> candidates = {
      {"with", 0.5f, 0.45f},     // guessed after any title: lift 1.1
      {"bracket", 0.2f, 0.01f},  // lift 20
      {"angle", 0.15f, 0.05f},   // lift 3
      {"primer", 0.1f, 0.02f},   // lift 5
      {"rare", 0.03f, 0.0001f},  // lift 300, but improbable
      {"steel", 0.12f, 0.07f},   // lift 1.7
  };
  ExpansionOptions options;
  options.min_probability = 0.05f;
  options.min_lift = 2;
  EXPECT_EQ(ChooseExpansionTerms(candidates, options),
            (std::vector<ExpandedTerm>{{"bracket", 0.2f}, {"angle", 0.15f}, {"primer", 0.1f}}));
  options.terms = 2;
  EXPECT_EQ(ChooseExpansionTerms(candidates, options),
            (std::vector<ExpandedTerm>{{"bracket", 0.2f}, {"angle", 0.15f}}));
  options.terms = 10;
  options.min_lift = 0;
  EXPECT_EQ(ChooseExpansionTerms(candidates, options).size(), 5u);  // all but the improbable one
  options.min_probability = 0;
  EXPECT_EQ(ChooseExpansionTerms(candidates, options).size(), 6u);
  EXPECT_TRUE(ChooseExpansionTerms({}, options).empty());
}

TEST(TermExpanderTest, RefusesWhatIsNotAMaskedLmAndBadOptions) {
  TempDir dir;
  model::ServingConfig serving;
  serving.max_length = 16;
  SOUK_CHECK(WriteRandomModelDirectory(dir.path(), SmallConfig(), serving, Vocab(), 3).ok());
  EXPECT_THAT(TermExpander::Load(Options(dir.path())),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not a masked-LM model"));
  EXPECT_THAT(TermExpander::Load(ExpansionOptions{}),
              StatusIs(absl::StatusCode::kInvalidArgument, "expansion.model_dir"));
  ExpansionOptions no_slots = Options(dir.path());
  no_slots.mask_slots = 0;
  EXPECT_THAT(TermExpander::Load(no_slots),
              StatusIs(absl::StatusCode::kInvalidArgument, "expansion.mask_slots"));
  ExpansionOptions too_many = Options(dir.path());
  too_many.mask_slots = 32;  // the model reads 16 tokens at most
  EXPECT_THAT(TermExpander::Load(too_many),
              StatusIs(absl::StatusCode::kInvalidArgument, "leaves no room"));
}

}  // namespace
}  // namespace souk::encoder
