// Queries and review texts of the demo shop's users.
//
// Query forms follow what e-commerce query logs show: mostly short head queries naming a
// product type ("usb charger", "蓝牙耳机"), then type + attribute, brand, feature or use, and a
// few percent of misspellings (Cucerzan & Brill, EMNLP 2004, estimate 10-15% of web queries
// misspelled; shop queries are shorter, and we use 6% for English and 3% for Chinese, where
// input methods produce whole wrong characters rather than letter slips).
#include <iterator>

#include "demo_shop_internal.h"
#include "souk/base/ascii.h"
#include "souk/base/str_cat.h"

namespace souk::eval::demo_shop_internal {
namespace {

enum class PartKind { kNoun, kBrand, kValue, kFeature, kUse };

struct QueryPart {
  std::string text;
  PartKind kind = PartKind::kNoun;
  int attribute = -1;  // attribute id (kValue)
  int value = -1;      // value index (kValue) or feature index (kFeature)
  bool intact = true;
};

QueryPart ValuePart(const Vocabulary& vocab, const ShopProduct& item, size_t slot) {
  const LeafDef& leaf = vocab.leaves[item.leaf];
  return {ValueText(vocab, leaf, item, slot), PartKind::kValue, leaf.attributes[slot],
          item.values[slot], true};
}

std::vector<QueryPart> DrawParts(const Vocabulary& vocab, const std::vector<Brand>& brands,
                                 const ShopProduct& item, QueryForm form, Rng& rng) {
  const LeafDef& leaf = vocab.leaves[item.leaf];
  const Lang lang = item.lang;
  const QueryPart noun{rng.Pick(leaf.nouns[static_cast<int>(lang)]), PartKind::kNoun};
  const QueryPart brand{brands[item.brand].display.In(lang), PartKind::kBrand};
  const size_t slot = rng.Below(leaf.attributes.size());
  switch (form) {
    case QueryForm::kHead:
      return {noun};
    case QueryForm::kAttribute: {
      std::vector<QueryPart> parts = {ValuePart(vocab, item, slot), noun};
      if (rng.Bernoulli(0.3)) std::swap(parts[0], parts[1]);
      if (leaf.attributes.size() > 1 && rng.Bernoulli(0.25)) {
        parts.push_back(ValuePart(vocab, item, (slot + 1) % leaf.attributes.size()));
      }
      return parts;
    }
    case QueryForm::kBrand:
      return {brand, noun};
    case QueryForm::kBrandAttribute:
      return {brand, ValuePart(vocab, item, slot), noun};
    case QueryForm::kFeature: {
      const int f = item.features[rng.Below(item.features.size())];
      return {{leaf.features[f].In(lang), PartKind::kFeature, -1, f, true}, noun};
    }
    case QueryForm::kUse: {
      std::string use = rng.Pick(leaf.uses).In(lang);
      // Chinese shoppers drop the "suitable for" of listings: "充电器 笔记本电脑".
      const std::string_view prefix = "适用于";
      if (use.rfind(prefix, 0) == 0) use = use.substr(prefix.size());
      return {noun, {use, PartKind::kUse}};
    }
  }
  return {noun};
}

// Not std::isalpha: under a Latin-1 locale it calls UTF-8 bytes letters, and the output would
// depend on the environment.
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// One keyboard slip in a word of >= 4 ASCII letters: swapped, dropped or doubled letter.
bool EnglishTypo(std::string& text, Rng& rng) {
  std::vector<std::pair<size_t, size_t>> words;  // [begin, end)
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && IsAsciiLetter(text[j])) ++j;
    if (j - i >= 4) words.emplace_back(i, j);
    i = j + 1;
  }
  if (words.empty()) return false;
  const auto [begin, end] = rng.Pick(words);
  const size_t at = begin + 1 + rng.Below(end - begin - 2);  // keep the first and last letter
  switch (rng.Below(3)) {
    case 0:
      std::swap(text[at], text[at + 1]);
      break;
    case 1:
      text.erase(at, 1);
      break;
    default:
      text.insert(at, 1, text[at]);
      break;
  }
  return true;
}

// A missing character in a word of >= 2 Han characters (3-byte UTF-8 sequences).
bool ChineseTypo(std::string& text, Rng& rng) {
  std::vector<size_t> han;
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0xE0 && static_cast<unsigned char>(text[i]) < 0xF0) {
      han.push_back(i);
      i += 2;
    }
  }
  if (han.size() < 2) return false;
  text.erase(rng.Pick(han), 3);
  return true;
}

void MaybeTypo(std::vector<QueryPart>& parts, Lang lang, double rate, Rng& rng) {
  if (!rng.Bernoulli(rate)) return;
  QueryPart& part = parts[rng.Below(parts.size())];
  const bool changed =
      lang == Lang::kEn ? EnglishTypo(part.text, rng) : ChineseTypo(part.text, rng);
  if (changed) part.intact = false;
}

QuerySpec ToSpec(const std::vector<QueryPart>& parts, const ShopProduct& item, Rng& rng) {
  QuerySpec spec;
  spec.lang = item.lang;
  spec.leaf = item.leaf;
  std::vector<std::string> texts;
  for (const QueryPart& part : parts) {
    texts.push_back(part.text);
    if (part.kind == PartKind::kNoun) spec.noun_intact = part.intact;
    if (!part.intact) continue;
    if (part.kind == PartKind::kBrand) spec.brand = item.brand;
    if (part.kind == PartKind::kValue) spec.values.emplace_back(part.attribute, part.value);
    if (part.kind == PartKind::kFeature) spec.feature = part.value;
  }
  if (item.lang == Lang::kEn) {
    spec.text = AsciiLower(JoinNonEmpty(texts, " "));
  } else {
    // Chinese queries are typed with or without spaces; Latin words often in lower case.
    spec.text = JoinNonEmpty(texts, rng.Bernoulli(0.5) ? " " : "");
    if (rng.Bernoulli(0.5)) spec.text = AsciiLower(spec.text);
  }
  return spec;
}

// ---- reviews --------------------------------------------------------------------------------
constexpr const char* kPositive[2][7] = {
    {"Great {noun}, works exactly as described.", "Excellent quality for the price.",
     "Fast shipping and well packaged.", "Really happy with this {noun}.",
     "Would definitely buy again.", "Five stars, highly recommend.", "Better than I expected."},
    {"质量很好，物超所值。", "和描述一致，很满意。", "物流很快，包装完好。",
     "{noun}很好用，推荐购买！", "做工精细，值得购买。", "好评，会回购的。", "比想象中的好。"}};
constexpr const char* kNeutral[2][5] = {
    {"It's okay for the price.", "Does the job, nothing special.",
     "Decent {noun} but shipping was slow.", "Average quality.", "Not bad, not great."},
    {"一般般吧，凑合用。", "还行，没有想象中好。", "发货有点慢，东西还可以。", "中规中矩。",
     "价格还行，质量一般。"}};
constexpr const char* kNegative[2][6] = {
    {"Stopped working after a week.", "Cheap material, not worth the money.", "Not as described.",
     "Very disappointed with this {noun}.", "Poor quality, returned it.", "Arrived damaged."},
    {"用了一周就坏了。", "做工粗糙，不值这个价。", "和描述不符，差评。",
     "{noun}质量太差了，已退货。", "包装破损，很失望。", "不推荐购买。"}};

template <size_t N>
std::vector<std::string> DrawClauses(const char* const (&pool)[N], size_t count, Rng& rng) {
  std::vector<std::string> chosen;
  std::vector<size_t> left;
  for (size_t i = 0; i < N; ++i) left.push_back(i);
  for (size_t k = 0; k < count && !left.empty(); ++k) {
    const size_t at = rng.Below(left.size());
    chosen.emplace_back(pool[left[at]]);
    left.erase(left.begin() + static_cast<std::ptrdiff_t>(at));
  }
  return chosen;
}

std::string ReplaceNoun(std::string clause, const std::string& noun) {
  const size_t at = clause.find("{noun}");
  if (at != std::string::npos) clause.replace(at, 6, noun);
  return clause;
}

}  // namespace

QueryForm DrawQueryForm(Rng& rng, bool specific) {
  // Refinements name more: a brand, attributes, a feature.
  static const std::vector<double> kBroad = {35, 22, 15, 8, 12, 8};
  static const std::vector<double> kSpecific = {0, 35, 20, 30, 15, 0};
  return static_cast<QueryForm>(rng.Weighted(specific ? kSpecific : kBroad));
}

QuerySpec MakeQuery(const Vocabulary& vocab, const std::vector<Brand>& brands,
                    const ShopProduct& intended, QueryForm form, double typo_rate, Rng& rng) {
  std::vector<QueryPart> parts = DrawParts(vocab, brands, intended, form, rng);
  MaybeTypo(parts, intended.lang, typo_rate, rng);
  return ToSpec(parts, intended, rng);
}

std::string MakeReviewText(const Vocabulary& vocab, const ShopProduct& item, int rating,
                           bool repeat, Rng& rng) {
  const int l = static_cast<int>(item.lang);
  const LeafDef& leaf = vocab.leaves[item.leaf];
  const std::string noun =
      item.lang == Lang::kEn ? LowerCapitalizedWords(leaf.nouns[l][0]) : leaf.nouns[l][0];
  const size_t count = 1 + rng.Below(2);
  std::vector<std::string> clauses = rating >= 4   ? DrawClauses(kPositive[l], count, rng)
                                     : rating == 3 ? DrawClauses(kNeutral[l], count, rng)
                                                   : DrawClauses(kNegative[l], count, rng);
  for (std::string& clause : clauses) clause = ReplaceNoun(clause, noun);
  for (size_t slot = 0; slot < leaf.attributes.size(); ++slot) {
    if (vocab.attributes[leaf.attributes[slot]].key != "color" || !rng.Bernoulli(0.4)) continue;
    const std::string& color = ValueText(vocab, leaf, item, slot);
    if (item.lang == Lang::kEn) {
      clauses.push_back(rating >= 3 ? StrCat("The ", AsciiLower(color), " color looks nice.")
                                    : "The color looks different from the photos.");
    } else {
      clauses.push_back(rating >= 3 ? StrCat(color, "很好看。") : "颜色和图片有色差。");
    }
  }
  if (repeat) clauses.push_back(item.lang == Lang::kEn ? "Bought it again." : "回购了。");
  return JoinNonEmpty(clauses, item.lang == Lang::kEn ? " " : "");
}

}  // namespace souk::eval::demo_shop_internal
