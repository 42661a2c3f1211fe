// Pseudo queries cut from product texts: whole words (spans or ordered subsets) of Latin-script
// titles, characters of Chinese ones, always taken from the product's own text.

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "finetune_data_internal.h"
#include "pipeline_fixture.h"
#include "souk/base/check.h"
#include "souk/encoder/model_directory.h"
#include "souk/train/dense_retrieval.h"
#include "support/test_support.h"

namespace souk::train::internal {
namespace {

std::unique_ptr<catalog::Catalog> TwoProducts() {
  std::vector<catalog::Product> products(2);
  products[0].id = "en";
  products[0].title = "red steel claw hammer with grip";
  products[1].id = "zh";
  products[1].title = "无线蓝牙降噪耳机";
  auto catalog = catalog::Catalog::Create(std::move(products));
  SOUK_CHECK(catalog.ok());
  return std::move(*catalog);
}

// True when `crop`'s words appear in `text`'s words in order; *contiguous when next to each other.
bool IsOrderedSubset(const std::string& crop, const std::string& text, bool* contiguous) {
  std::vector<std::string> want = absl::StrSplit(crop, ' ');
  std::vector<std::string> have = absl::StrSplit(text, ' ');
  for (size_t start = 0; start < have.size(); ++start) {
    if (have[start] != want[0]) continue;
    size_t w = 1, last = start;
    for (size_t i = start + 1; i < have.size() && w < want.size(); ++i) {
      if (have[i] == want[w]) {
        ++w;
        last = i;
      }
    }
    if (w == want.size()) {
      *contiguous = last - start + 1 == want.size();
      return true;
    }
  }
  return false;
}

TEST(PseudoQueriesTest, CropsAreWordSpansWordSubsetsOrCharacterSpansOfTheProductText) {
  const auto catalog = TwoProducts();
  auto tokenizer = encoder::LoadTokenizer(testing::ToyShop::Get().tokenizer_dir);
  ASSERT_OK(tokenizer);
  Rng rng(3);
  const PseudoQueries pseudo = MakePseudoQueries(*catalog, **tokenizer, 400, 8, rng);
  ASSERT_EQ(pseudo.docs.size(), 400u);
  ASSERT_EQ(pseudo.texts.size(), 400u);
  std::set<size_t> english_lengths, chinese_lengths;
  size_t subsets = 0;
  for (size_t i = 0; i < pseudo.docs.size(); ++i) {
    const std::string& text = catalog->product(catalog::DocId(pseudo.docs[i])).title;
    const std::string& crop = pseudo.texts[i];
    EXPECT_LE(pseudo.queries[i].ids.size(), 8u);
    if (pseudo.docs[i] == 0) {
      bool contiguous = false;
      EXPECT_TRUE(IsOrderedSubset(crop, text, &contiguous)) << crop;
      subsets += contiguous ? 0 : 1;
      english_lengths.insert(static_cast<size_t>(std::count(crop.begin(), crop.end(), ' ')) + 1);
      EXPECT_NE(crop.front(), ' ');
      EXPECT_NE(crop.back(), ' ');
    } else {
      EXPECT_NE(text.find(crop), std::string::npos) << crop;
      chinese_lengths.insert(crop.size() / 3);  // 3 UTF-8 bytes per character here
      EXPECT_EQ(crop.size() % 3, 0u) << "cut inside a character";
    }
  }
  EXPECT_EQ(english_lengths, (std::set<size_t>{1, 2, 3, 4}));
  EXPECT_GT(subsets, 40u) << "a quarter of the English crops skip words";
  EXPECT_EQ(chinese_lengths, (std::set<size_t>{2, 3, 4, 5, 6}));
}

}  // namespace
}  // namespace souk::train::internal
