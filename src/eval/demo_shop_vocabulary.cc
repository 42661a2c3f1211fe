// Parses the vocabulary tables once and invents the brands of a shop.
//
// Brands are fictional so that no real company receives a hidden "quality". Like real Chinese
// shops, Chinese listings show a foreign-sounding brand either in Latin letters or in a Chinese
// transliteration; home-grown brands have a Chinese name and a pinyin name in English listings.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>
#include <unordered_map>

#include "demo_shop_internal.h"
#include "demo_shop_tables.h"
#include "souk/base/ascii.h"
#include "souk/base/check.h"
#include "souk/base/str_cat.h"

namespace souk::eval::demo_shop_internal {
namespace {

constexpr int kBrandsPerTop = 12;
// A brand name is redrawn while it is taken; with 120 brands from about 900 names a handful of
// redraws happen. The bound turns a vocabulary that runs out of names into a failed check
// instead of an endless loop.
constexpr int kMaxBrandNameDraws = 1000;

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  if (s.empty()) return parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

Text ParseText(std::string_view s) {
  const std::vector<std::string_view> parts = Split(s, '|');
  SOUK_CHECK(parts.size() == 1 || parts.size() == 2);
  return {std::string(parts[0]), std::string(parts.size() == 2 ? parts[1] : parts[0])};
}

std::vector<Text> ParseTexts(std::string_view s) {
  std::vector<Text> texts;
  for (std::string_view part : Split(s, ';')) texts.push_back(ParseText(part));
  return texts;
}

// Index of the parent whose key is the part of `key` before its last '/'.
template <typename T>
int ParentIndex(const std::vector<T>& parents, std::string_view key) {
  const std::string_view prefix = key.substr(0, key.rfind('/'));
  for (size_t i = 0; i < parents.size(); ++i) {
    if (parents[i].key == prefix) return static_cast<int>(i);
  }
  SOUK_CHECK(false && "vocabulary table names an unknown parent category");
  return 0;
}

void ParseAttributes(Vocabulary& vocab) {
  std::unordered_map<std::string, Text> labels;
  for (const LabelRow& row : LabelRows()) labels[row.key] = ParseText(row.label);
  for (const AttributeRow& row : AttributeRows()) {
    AttributeDef def;
    def.id = row.id;
    def.key = row.key;
    const auto label = labels.find(def.key);
    SOUK_CHECK(label != labels.end());
    def.label = label->second;
    def.values = ParseTexts(row.values);
    SOUK_CHECK(!def.values.empty());  // a product draws one value per attribute
    def.price_step = row.price_step;
    vocab.attributes.push_back(std::move(def));
  }
}

void ParseLeaf(const LeafRow& row, Vocabulary& vocab) {
  LeafDef leaf;
  leaf.key = row.key;
  leaf.mid = ParentIndex(vocab.mids, leaf.key);
  leaf.top = vocab.mids[leaf.mid].top;
  leaf.name = ParseText(row.name);
  const std::vector<std::string_view> nouns = Split(row.nouns, '|');
  SOUK_CHECK(nouns.size() == 2);
  for (int lang = 0; lang < kNumLangs; ++lang) {
    for (std::string_view noun : Split(nouns[lang], ',')) {
      SOUK_CHECK(!noun.empty());
      leaf.nouns[lang].emplace_back(noun);
    }
    SOUK_CHECK(!leaf.nouns[lang].empty());  // titles, queries and reviews name the noun
  }
  std::set<std::string> keys;
  for (std::string_view id : Split(row.attributes, ',')) {
    const auto it = std::find_if(vocab.attributes.begin(), vocab.attributes.end(),
                                 [&](const AttributeDef& a) { return a.id == id; });
    SOUK_CHECK(it != vocab.attributes.end());
    SOUK_CHECK(keys.insert(it->key).second);  // one value per catalog attribute name
    leaf.attributes.push_back(static_cast<int>(it - vocab.attributes.begin()));
  }
  leaf.features = ParseTexts(row.features);
  leaf.uses = ParseTexts(row.uses);
  // Queries draw an attribute slot, a feature of the product and a use of the leaf: the tables
  // must give every leaf at least one of each.
  SOUK_CHECK(!leaf.attributes.empty());
  SOUK_CHECK(!leaf.features.empty());
  SOUK_CHECK(!leaf.uses.empty());
  leaf.median_price = row.median_price;
  leaf.price_sigma = row.price_sigma;
  leaf.repurchase_days = row.repurchase_days;
  const int index = static_cast<int>(vocab.leaves.size());
  vocab.mids[leaf.mid].leaves.push_back(index);
  vocab.tops[leaf.top].leaves.push_back(index);
  vocab.leaves.push_back(std::move(leaf));
}

Vocabulary ParseVocabulary() {
  Vocabulary vocab;
  ParseAttributes(vocab);
  for (const TopRow& row : TopRows()) {
    vocab.tops.push_back({row.key, ParseText(row.name), row.weight, row.has_series, {}, {}});
  }
  for (const MidRow& row : MidRows()) {
    MidDef mid{row.key, ParseText(row.name), 0, {}};
    mid.top = ParentIndex(vocab.tops, mid.key);
    vocab.tops[mid.top].mids.push_back(static_cast<int>(vocab.mids.size()));
    vocab.mids.push_back(std::move(mid));
  }
  for (const LeafRow& row : LeafRows()) ParseLeaf(row, vocab);
  for (const MidDef& mid : vocab.mids) SOUK_CHECK(!mid.leaves.empty());
  return vocab;
}

// ---- brand names ----------------------------------------------------------------------------
struct Syllable {
  const char* latin;
  const char* han;
};

// Foreign-sounding names: a head and a tail, each with a Chinese transliteration.
constexpr Syllable kHeads[] = {
    {"Vol", "沃"}, {"Nor", "诺"}, {"Lu", "璐"}, {"Zen", "臻"}, {"Kai", "凯"}, {"Ori", "奥"},
    {"Bel", "贝"}, {"Sol", "索"}, {"Ta", "塔"}, {"Ve", "维"},  {"Ro", "罗"},  {"Fe", "菲"},
    {"Ga", "嘉"},  {"He", "赫"},  {"Ka", "卡"}, {"Ma", "玛"},  {"Pa", "帕"},  {"Sa", "萨"},
    {"Te", "特"},  {"Xe", "希"},  {"Co", "科"}, {"Bo", "博"},  {"Ri", "瑞"},  {"Al", "艾"},
};
constexpr Syllable kTails[] = {
    {"tix", "提斯"}, {"ra", "拉"},    {"na", "娜"},      {"lo", "洛"},
    {"mo", "莫"},    {"tek", "泰克"}, {"via", "维亚"},   {"ton", "顿"},
    {"ria", "瑞亚"}, {"von", "冯"},   {"rex", "雷克斯"}, {"lia", "莉亚"},
    {"vo", "沃"},    {"sa", "莎"},    {"rix", "瑞克斯"}, {"den", "登"},
};
// Home-grown names: two characters and their pinyin.
constexpr Syllable kHan[] = {
    {"You", "优"},  {"Mei", "美"},  {"Jia", "佳"},  {"Le", "乐"},   {"Kang", "康"}, {"Pin", "品"},
    {"Da", "达"},   {"Sen", "森"},  {"Yue", "悦"},  {"Bao", "宝"},  {"Xing", "星"}, {"He", "禾"},
    {"Heng", "恒"}, {"Lang", "朗"}, {"Rui", "睿"},  {"Jing", "净"}, {"Xin", "欣"},  {"Shang", "尚"},
    {"Yun", "云"},  {"Mu", "木"},   {"Jian", "简"}, {"Xian", "鲜"}, {"Tian", "天"}, {"Hua", "华"},
};

template <size_t N>
const Syllable& PickSyllable(const Syllable (&table)[N], Rng& rng) {
  return table[rng.Below(N)];
}

Text DrawBrandName(Rng& rng) {
  if (rng.Bernoulli(0.35)) {
    const Syllable& a = PickSyllable(kHan, rng);
    const Syllable& b = PickSyllable(kHan, rng);
    std::string pinyin = StrCat(a.latin, b.latin);
    for (size_t i = 1; i < pinyin.size(); ++i) {
      pinyin[i] = AsciiToLower(pinyin[i]);
    }
    return {pinyin, StrCat(a.han, b.han)};
  }
  const Syllable& head = PickSyllable(kHeads, rng);
  const Syllable& tail = PickSyllable(kTails, rng);
  std::string latin = StrCat(head.latin, tail.latin);
  // Half of the foreign-sounding brands keep their Latin name in Chinese listings.
  std::string han = rng.Bernoulli(0.5) ? latin : StrCat(head.han, tail.han);
  return {latin, han};
}

}  // namespace

const Vocabulary& GetVocabulary() {
  static const Vocabulary* const vocab = new Vocabulary(ParseVocabulary());
  return *vocab;
}

std::vector<Brand> GenerateBrands(const Vocabulary& vocab, Rng& rng) {
  // The two name families give at least this many distinct names; ask for a quarter at most so
  // that redraws stay rare.
  constexpr size_t kNameCapacity = std::size(kHan) * std::size(kHan);
  SOUK_CHECK(vocab.tops.size() * kBrandsPerTop <= kNameCapacity / 4);
  std::vector<Brand> brands;
  std::set<std::string> taken;
  for (size_t top = 0; top < vocab.tops.size(); ++top) {
    std::vector<double> shares;
    for (int rank = 0; rank < kBrandsPerTop; ++rank) {
      // Market shares follow a Zipf law (exponent 0.9), as brand shares in retail roughly do.
      shares.push_back(RoundTo(1.0 / std::pow(rank + 1.0, 0.9), 4));
    }
    for (int i = 0; i < kBrandsPerTop; ++i) {
      Text name = DrawBrandName(rng);
      for (int draws = 1; !taken.insert(name.en).second; ++draws) {
        SOUK_CHECK(draws < kMaxBrandNameDraws);
        name = DrawBrandName(rng);
      }
      Brand brand;
      char id[16];
      std::snprintf(id, sizeof(id), "b%03zu", brands.size() + 1);
      brand.id = id;
      brand.display = std::move(name);
      brand.top = static_cast<int>(top);
      brand.quality = RoundTo(std::clamp(rng.Normal(0.6, 0.17), 0.05, 0.98), 3);
      // Dearer brands are better on average, but only loosely.
      brand.price_level = RoundTo(0.6 * (brand.quality - 0.6) + rng.Normal(0.0, 0.2), 3);
      const size_t rank = rng.Below(shares.size());
      brand.popularity = shares[rank];
      shares.erase(shares.begin() + static_cast<std::ptrdiff_t>(rank));
      brands.push_back(std::move(brand));
    }
  }
  return brands;
}

}  // namespace souk::eval::demo_shop_internal
