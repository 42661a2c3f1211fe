#include "souk/train/masking.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;

constexpr int64_t kPad = 0, kCls = 1, kSep = 2, kMask = 3, kUnk = 4;
constexpr int64_t kVocab = 1000;

MaskVocabulary Vocabulary() { return {kVocab, kMask, {kPad, kCls, kSep, kMask, kUnk}}; }

// [CLS] w w w [SEP] ... : words of 1 to 4 tokens, ids >= 5, a [SEP] every 50 words.
struct Sequence {
  std::vector<int64_t> ids;
  std::vector<int32_t> word_ids;
};

Sequence MakeSequence(size_t words) {
  Sequence s;
  Rng rng(99);
  s.ids.push_back(kCls);
  s.word_ids.push_back(-1);
  for (size_t w = 0; w < words; ++w) {
    const uint64_t pieces = 1 + rng.Below(4);
    for (uint64_t p = 0; p < pieces; ++p) {
      s.ids.push_back(5 + static_cast<int64_t>(rng.Below(kVocab - 5)));
      s.word_ids.push_back(static_cast<int32_t>(w));
    }
    if (w % 50 == 49) {
      s.ids.push_back(kSep);
      s.word_ids.push_back(-1);
    }
  }
  return s;
}

TEST(RngTest, IsDeterministicAndInRange) {
  Rng a(5), b(5), c(6);
  EXPECT_EQ(a.Next(), b.Next());
  EXPECT_NE(Rng(5).Next(), c.Next());
  // SplitMix64's published first output for seed 0 (Vigna's splitmix64.c).
  EXPECT_EQ(Rng(0).Next(), 0xE220A8397B1DCDAFULL);
  for (int i = 0; i < 1000; ++i) {
    const double u = a.Uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    EXPECT_LT(a.Below(7), 7u);
  }
}

TEST(RngTest, DeriveSeedSeparatesStreamsAndIndices) {
  std::set<uint64_t> seeds;
  for (uint64_t stream = 0; stream < 4; ++stream) {
    for (uint64_t index = 0; index < 100; ++index) seeds.insert(DeriveSeed(1, stream, index));
  }
  EXPECT_EQ(seeds.size(), 400u);
  EXPECT_EQ(DeriveSeed(1, 2, 3), DeriveSeed(1, 2, 3));
  EXPECT_NE(DeriveSeed(1, 2, 3), DeriveSeed(2, 2, 3));
}

TEST(MaskingOptionsTest, ValidateNamesTheField) {
  EXPECT_OK(MaskingOptions().Validate());
  MaskingOptions options;
  options.mask_probability = 1.5;
  EXPECT_THAT(options.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "masking.mask_probability"));
  options = MaskingOptions();
  options.replace_with_random = -0.1;
  EXPECT_THAT(options.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, "masking.replace_with_random"));
  options = MaskingOptions();
  options.replace_with_mask = 0.95;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "more than 1"));
}

struct Counts {
  size_t maskable = 0, chosen = 0, masked = 0, random = 0, kept = 0;
};

Counts Count(const Sequence& s, const MaskedSequence& m) {
  Counts c;
  for (size_t i = 0; i < s.ids.size(); ++i) {
    c.maskable += s.word_ids[i] >= 0 ? 1 : 0;
    if (m.labels[i] == kIgnoreLabel) {
      EXPECT_EQ(m.input_ids[i], s.ids[i]) << i;
      continue;
    }
    ++c.chosen;
    EXPECT_EQ(m.labels[i], s.ids[i]) << i;
    EXPECT_GE(s.word_ids[i], 0) << "special token chosen at " << i;
    if (m.input_ids[i] == kMask) {
      ++c.masked;
    } else if (m.input_ids[i] == s.ids[i]) {
      ++c.kept;
    } else {
      ++c.random;
      EXPECT_GE(m.input_ids[i], 5) << "random replacement is a special id";
      EXPECT_LT(m.input_ids[i], kVocab);
    }
  }
  return c;
}

TEST(MaskSequenceTest, ChoosesFifteenPercentAndSplitsEightyTenTen) {
  const Sequence s = MakeSequence(20000);
  Rng rng(1);
  const MaskedSequence m = MaskSequence(s.ids, s.word_ids, MaskingOptions(), Vocabulary(), rng);
  ASSERT_EQ(m.input_ids.size(), s.ids.size());
  ASSERT_EQ(m.labels.size(), s.ids.size());
  const Counts c = Count(s, m);
  const double chosen = static_cast<double>(c.chosen);
  EXPECT_NEAR(chosen / static_cast<double>(c.maskable), 0.15, 0.005);
  EXPECT_NEAR(static_cast<double>(c.masked) / chosen, 0.8, 0.02);
  EXPECT_NEAR(static_cast<double>(c.random) / chosen, 0.1, 0.015);
  // A random draw equal to the original counts as kept: 1 in ~995.
  EXPECT_NEAR(static_cast<double>(c.kept) / chosen, 0.1, 0.015);
}

TEST(MaskSequenceTest, WholeWordChoosesAllTokensOfAWordOrNone) {
  const Sequence s = MakeSequence(5000);
  Rng rng(2);
  const MaskedSequence m = MaskSequence(s.ids, s.word_ids, MaskingOptions(), Vocabulary(), rng);
  std::map<int32_t, std::set<bool>> chosen_by_word;
  for (size_t i = 0; i < s.ids.size(); ++i) {
    if (s.word_ids[i] >= 0) chosen_by_word[s.word_ids[i]].insert(m.labels[i] != kIgnoreLabel);
  }
  size_t multi_token_words_chosen = 0;
  for (const auto& [word, states] : chosen_by_word) {
    EXPECT_EQ(states.size(), 1u) << "word " << word << " partly chosen";
  }
  for (size_t i = 1; i < s.ids.size(); ++i) {
    multi_token_words_chosen +=
        s.word_ids[i] >= 0 && s.word_ids[i] == s.word_ids[i - 1] && m.labels[i] != kIgnoreLabel;
  }
  EXPECT_GT(multi_token_words_chosen, 0u);
}

TEST(MaskSequenceTest, TokenLevelWhenWholeWordIsOff) {
  const Sequence s = MakeSequence(5000);
  MaskingOptions options;
  options.whole_word = false;
  Rng rng(3);
  const MaskedSequence m = MaskSequence(s.ids, s.word_ids, options, Vocabulary(), rng);
  const Counts c = Count(s, m);
  EXPECT_EQ(c.chosen, static_cast<size_t>(std::llround(0.15 * static_cast<double>(c.maskable))));
  size_t partial_words = 0;
  std::map<int32_t, std::set<bool>> chosen_by_word;
  for (size_t i = 0; i < s.ids.size(); ++i) {
    if (s.word_ids[i] >= 0) chosen_by_word[s.word_ids[i]].insert(m.labels[i] != kIgnoreLabel);
  }
  for (const auto& [word, states] : chosen_by_word) partial_words += states.size() == 2;
  EXPECT_GT(partial_words, 0u);
}

TEST(MaskSequenceTest, SpecialIdsAreNeverChosenEvenWithWordIds) {
  // An [UNK] inside a word has a word id but is special: it must stay.
  const std::vector<int64_t> ids = {kCls, 10, kUnk, 11, kSep};
  const std::vector<int32_t> words = {-1, 0, 0, 1, -1};
  MaskingOptions options;
  options.mask_probability = 1.0;
  Rng rng(4);
  const MaskedSequence m = MaskSequence(ids, words, options, Vocabulary(), rng);
  EXPECT_EQ(m.labels, (std::vector<int64_t>{kIgnoreLabel, 10, kIgnoreLabel, 11, kIgnoreLabel}));
}

TEST(MaskSequenceTest, ShortSequenceGetsAtLeastOneChoice) {
  const std::vector<int64_t> ids = {kCls, 10, 11, kSep};
  const std::vector<int32_t> words = {-1, 0, 1, -1};
  Rng rng(5);
  const MaskedSequence m = MaskSequence(ids, words, MaskingOptions(), Vocabulary(), rng);
  EXPECT_EQ(std::count_if(m.labels.begin(), m.labels.end(),
                          [](int64_t label) { return label != kIgnoreLabel; }),
            1);
}

// Regression: a short title split into long words used to get no prediction at all, and a
// batch of such titles a NaN loss.
TEST(MaskSequenceTest, WordsLongerThanTheBudgetStillGiveOneWholeWord) {
  const std::vector<int64_t> ids = {kCls, 10, 11, 12, 13, 14, 15, kSep};
  const std::vector<int32_t> words = {-1, 0, 0, 0, 1, 1, 1, -1};  // budget 1, words of 3
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    const MaskedSequence m = MaskSequence(ids, words, MaskingOptions(), Vocabulary(), rng);
    std::vector<size_t> chosen;
    for (size_t i = 0; i < m.labels.size(); ++i) {
      if (m.labels[i] != kIgnoreLabel) chosen.push_back(i);
    }
    EXPECT_TRUE(chosen == (std::vector<size_t>{1, 2, 3}) ||
                chosen == (std::vector<size_t>{4, 5, 6}))
        << "seed " << seed;
  }
}

TEST(MaskSequenceTest, RandomReplacementAvoidsSpecialsAndMask) {
  // Only ids 0..4 are special in a vocabulary of 7: random replacements are 5 or 6.
  const std::vector<int64_t> ids(200, 5);
  std::vector<int32_t> words(200);
  for (size_t i = 0; i < words.size(); ++i) words[i] = static_cast<int32_t>(i);
  MaskingOptions options;
  options.mask_probability = 1.0;
  options.replace_with_mask = 0.0;
  options.replace_with_random = 1.0;
  Rng rng(6);
  const MaskedSequence m =
      MaskSequence(ids, words, options, {7, kMask, {kPad, kCls, kSep, kUnk}}, rng);
  std::set<int64_t> seen(m.input_ids.begin(), m.input_ids.end());
  EXPECT_EQ(seen, (std::set<int64_t>{5, 6}));
}

TEST(MaskSequenceTest, SameSeedSameOutputOtherSeedOtherOutput) {
  const Sequence s = MakeSequence(1000);
  Rng a(DeriveSeed(7, 0, 1)), b(DeriveSeed(7, 0, 1)), c(DeriveSeed(7, 0, 2));
  const MaskedSequence ma = MaskSequence(s.ids, s.word_ids, MaskingOptions(), Vocabulary(), a);
  const MaskedSequence mb = MaskSequence(s.ids, s.word_ids, MaskingOptions(), Vocabulary(), b);
  const MaskedSequence mc = MaskSequence(s.ids, s.word_ids, MaskingOptions(), Vocabulary(), c);
  EXPECT_EQ(ma.input_ids, mb.input_ids);
  EXPECT_EQ(ma.labels, mb.labels);
  EXPECT_NE(ma.labels, mc.labels);
}

}  // namespace
}  // namespace souk::train
