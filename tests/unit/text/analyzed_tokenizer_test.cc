// AnalyzedTokenizer: the wrapped tokenizer sees the analyzer's terms, so inflections, case and
// unit spellings that the index treats as one term give the same ids.

#include "souk/text/analyzed_tokenizer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "souk/text/wordpiece_tokenizer.h"
#include "support/test_support.h"

namespace souk::text {
namespace {

using ::testing::ElementsAre;

std::unique_ptr<AnalyzedTokenizer> MakeTokenizer() {
  auto wordpiece = WordPieceTokenizer::FromVocab(
      {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cordless", "drill", "18", "v", "refriger"});
  auto analyzer = Analyzer::Create({});
  if (!wordpiece.ok() || !analyzer.ok()) return nullptr;
  return std::make_unique<AnalyzedTokenizer>(std::move(*analyzer), std::move(*wordpiece));
}

TEST(AnalyzedTokenizerTest, InflectionsCaseAndUnitsGiveTheSameIds) {
  auto tokenizer = MakeTokenizer();
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_EQ(tokenizer->Encode("Cordless Drills 18V", 16).ids,
            tokenizer->Encode("cordless drill 18 volts", 16).ids);
  EXPECT_THAT(tokenizer->Tokenize("CORDLESS DRILLING, 18-volt"),
              ElementsAre("cordless", "drill", "18", "v"));
  EXPECT_EQ(tokenizer->vocab_size(), tokenizer->wrapped().vocab_size());
  EXPECT_EQ(tokenizer->unk_id(), tokenizer->wrapped().unk_id());
}

TEST(AnalyzedTokenizerTest, PairsAreAnalyzedSegmentBySegment) {
  auto tokenizer = MakeTokenizer();
  ASSERT_NE(tokenizer, nullptr);
  const Encoding pair = tokenizer->EncodePair("Drills", "18 Volts", 16);
  EXPECT_EQ(pair, tokenizer->wrapped().EncodePair("drill", "18 v", 16));
  EXPECT_THAT(pair.token_type_ids, ElementsAre(0, 0, 0, 1, 1, 1));
}

TEST(AnalyzedTokenizerTest, TextWithoutTermsIsJustTheFraming) {
  auto tokenizer = MakeTokenizer();
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_EQ(tokenizer->Encode(" ,;! ", 16).ids,
            (std::vector<int64_t>{tokenizer->cls_id(), tokenizer->sep_id()}));
}

TEST(AnalyzedTokenizerTest, TermsAreEncodedWithoutBeingAnalyzedAgain) {
  auto tokenizer = MakeTokenizer();
  ASSERT_NE(tokenizer, nullptr);
  const std::vector<std::string> terms = tokenizer->analyzer().Analyze("Refrigerator Drills");
  EXPECT_THAT(terms, ElementsAre("refriger", "drill"));
  EXPECT_EQ(tokenizer->EncodeTerms(terms, 16), tokenizer->Encode("Refrigerator Drills", 16));
  // Analyzed again, the stem would be stemmed once more ("refriger" -> "refrig"), unknown here.
  EXPECT_NE(tokenizer->Encode("refriger", 16).ids, tokenizer->EncodeTerms({"refriger"}, 16).ids);
  EXPECT_EQ(tokenizer->EncodeTerms({"refriger"}, 16).ids,
            tokenizer->Encode("refrigerators", 16).ids);
}

}  // namespace
}  // namespace souk::text
