// Listing titles and descriptions of the demo shop, in English and Chinese.
//
// A title is a template (several shapes per language, as sellers write them) filled from the
// product's brand, model line, key attribute, noun, features, use and remaining attributes.
// Templates x vocabularies give enough variety; the catalog still re-draws exact duplicates.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>

#include "demo_shop_internal.h"
#include "souk/base/str_cat.h"

namespace souk::eval::demo_shop_internal {
namespace {

constexpr const char* kSeriesWords[] = {"Pro",  "Max",   "Lite", "Air",  "Nano", "Plus",
                                        "Mini", "Ultra", "Neo",  "Go",   "One",  "Prime",
                                        "Flex", "Edge",  "Core", "Turbo"};
constexpr const char* kSeriesLetters = "AEKMSTVXZ";

std::string DrawSeries(Rng& rng) {
  const double r = rng.Uniform();
  const std::string word = kSeriesWords[rng.Below(std::size(kSeriesWords))];
  if (r < 0.4) return word;
  if (r < 0.75) return StrCat(word, " ", 2 + rng.Below(8));
  return StrCat(std::string(1, kSeriesLetters[rng.Below(9)]), 1 + rng.Below(20));
}

// The pieces a title is assembled from, already in the listing's language.
struct TitleParts {
  std::string brand;
  std::string series;  // empty outside categories with model lines
  std::string spec;    // the first attribute's value: "65W", "5L"
  std::string noun;
  std::vector<std::string> features;
  std::string use;                    // empty half of the time
  std::vector<std::string> trailing;  // the other attribute values
};

TitleParts DrawTitleParts(const Vocabulary& vocab, const Brand& brand, const ShopProduct& item,
                          Rng& rng) {
  const LeafDef& leaf = vocab.leaves[item.leaf];
  const Lang lang = item.lang;
  TitleParts parts;
  parts.brand = brand.display.In(lang);
  if (vocab.tops[leaf.top].has_series && rng.Bernoulli(0.8)) parts.series = DrawSeries(rng);
  const std::vector<std::string>& nouns = leaf.nouns[static_cast<int>(lang)];
  parts.noun = rng.Bernoulli(0.75) ? nouns[0] : rng.Pick(nouns);
  for (size_t slot = 0; slot < leaf.attributes.size(); ++slot) {
    const std::string& value = ValueText(vocab, leaf, item, slot);
    if (slot == 0) {
      parts.spec = value;
    } else if (rng.Bernoulli(0.75)) {
      parts.trailing.push_back(value);
    }
  }
  for (int f : item.features) parts.features.push_back(leaf.features[f].In(lang));
  if (rng.Bernoulli(0.5)) parts.use = rng.Pick(leaf.uses).In(lang);
  // "Nonstick Nonstick Pan", "Jasmine Jasmine Rice": what the noun says needs no repeating.
  auto in_noun = [&](const std::string& s) { return parts.noun.find(s) != std::string::npos; };
  if (in_noun(parts.spec)) parts.spec.clear();
  std::erase_if(parts.features, [&](const std::string& f) {
    return in_noun(f) || f == parts.spec ||
           std::find(parts.trailing.begin(), parts.trailing.end(), f) != parts.trailing.end();
  });
  std::erase_if(parts.trailing, in_noun);
  return parts;
}

std::string FeatureAt(const TitleParts& p, size_t i) {
  return i < p.features.size() ? p.features[i] : std::string();
}

std::string EnglishTitle(const TitleParts& p, Rng& rng) {
  const std::string f0 = FeatureAt(p, 0);
  const std::string f1 = FeatureAt(p, 1);
  const std::string trail = JoinNonEmpty(p.trailing, ", ");
  switch (rng.Weighted({4, 3, 2, 1})) {
    case 0:  // Voltix Nano 3 65W USB C Charger, Fast Charging, Foldable Plug, White
      return JoinNonEmpty({JoinNonEmpty({p.brand, p.series, p.spec, p.noun}, " "), f0, f1, trail},
                          ", ");
    case 1:  // Voltix 65W USB C Charger for Laptops, Fast Charging - White
      return JoinNonEmpty(
          {JoinNonEmpty({JoinNonEmpty({p.brand, p.spec, p.noun, p.use}, " "), f0, f1}, ", "),
           trail},
          " - ");
    case 2:  // Voltix Fast Charging USB C Charger Nano 3, 65W, White, for Laptops
      return JoinNonEmpty(
          {JoinNonEmpty({p.brand, f0, p.noun, p.series}, " "), p.spec, f1, trail, p.use}, ", ");
    default:  // USB C Charger by Voltix - 65W, Fast Charging, White
      return JoinNonEmpty(
          {StrCat(p.noun, " by ", p.brand), JoinNonEmpty({p.spec, f0, trail}, ", ")}, " - ");
  }
}

std::string ChineseTitle(const TitleParts& p, Rng& rng) {
  const std::string f0 = FeatureAt(p, 0);
  const std::string f1 = FeatureAt(p, 1);
  const std::string trail = JoinNonEmpty(p.trailing, " ");
  switch (rng.Weighted({4, 3, 2, 1})) {
    case 0:  // Voltix Nano 3 65W 快充 充电器 折叠插脚 白色 适用于笔记本电脑
      return JoinNonEmpty({p.brand, p.series, p.spec, f0, p.noun, f1, trail, p.use}, " ");
    case 1:  // 沃提斯充电器 65W 快充 折叠插脚 适用于笔记本电脑 白色
      return JoinNonEmpty({StrCat(p.brand, p.noun), p.spec, f0, f1, p.use, trail}, " ");
    case 2:  // 【快充】Voltix Nano 3 充电器 65W 白色
      return JoinNonEmpty({StrCat("【", f0, "】", p.brand), p.series, p.noun, p.spec, trail, p.use},
                          " ");
    default:  // Voltix 充电器 65W 白色 快充折叠插脚
      return JoinNonEmpty({p.brand, p.noun, p.spec, trail, StrCat(f0, f1)}, " ");
  }
}

constexpr const char* kOpeningsEn[] = {"Meet the", "Introducing the", "Upgrade to the",
                                       "Discover the"};
constexpr const char* kClosingsEn[] = {"Ships within 24 hours.", "Backed by a 12-month warranty.",
                                       "30-day hassle-free returns.",
                                       "Loved by thousands of customers.", ""};
constexpr const char* kClosingsZh[] = {"正品保证，售后无忧。", "24小时内发货。",
                                       "支持七天无理由退换。", "好评如潮，放心购买。", ""};

}  // namespace

const std::string& ValueText(const Vocabulary& vocab, const LeafDef& leaf, const ShopProduct& item,
                             size_t slot) {
  const AttributeDef& attribute = vocab.attributes[leaf.attributes[slot]];
  return attribute.values[item.values[slot]].In(item.lang);
}

std::string JoinNonEmpty(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out.append(sep);
    out += part;
  }
  return out;
}

std::string LowerCapitalizedWords(std::string_view text) {
  // "Fast Charging" -> "fast charging", but "GaN", "USB", "4K HDMI" stay as written.
  std::string out(text);
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find(' ', start);
    if (end == std::string::npos) end = out.size();
    bool capitalized = end - start >= 2 && std::isupper(static_cast<unsigned char>(out[start]));
    for (size_t i = start + 1; capitalized && i < end; ++i) {
      capitalized = std::islower(static_cast<unsigned char>(out[i])) || out[i] == '-';
    }
    if (capitalized)
      out[start] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[start])));
    start = end + 1;
  }
  return out;
}

std::string MakeTitle(const Vocabulary& vocab, const Brand& brand, const ShopProduct& item,
                      Rng& rng) {
  const TitleParts parts = DrawTitleParts(vocab, brand, item, rng);
  return item.lang == Lang::kEn ? EnglishTitle(parts, rng) : ChineseTitle(parts, rng);
}

std::string MakeDescription(const Vocabulary& vocab, const Brand& brand, const ShopProduct& item,
                            Rng& rng) {
  const LeafDef& leaf = vocab.leaves[item.leaf];
  const Lang lang = item.lang;
  const int l = static_cast<int>(lang);
  std::vector<std::string> features;
  for (int f : item.features) features.push_back(leaf.features[f].In(lang));
  std::vector<std::string> specs;
  for (size_t slot = 0; slot < leaf.attributes.size(); ++slot) {
    const AttributeDef& attribute = vocab.attributes[leaf.attributes[slot]];
    specs.push_back(StrCat(attribute.label.In(lang), lang == Lang::kEn ? ": " : "：",
                           ValueText(vocab, leaf, item, slot)));
  }
  const std::string& use = rng.Pick(leaf.uses).In(lang);
  if (lang == Lang::kEn) {
    return JoinNonEmpty({StrCat(kOpeningsEn[rng.Below(std::size(kOpeningsEn))], " ",
                                brand.display.en, " ", leaf.nouns[l][0], "."),
                         StrCat("Features: ", JoinNonEmpty(features, ", "), "."),
                         StrCat(JoinNonEmpty(specs, ". "), "."), StrCat("Ideal ", use, "."),
                         kClosingsEn[rng.Below(std::size(kClosingsEn))]},
                        " ");
  }
  return StrCat(brand.display.zh, leaf.nouns[l][0], "，", JoinNonEmpty(features, "，"), "。",
                JoinNonEmpty(specs, "，"), "。使用场景：", use, "。",
                kClosingsZh[rng.Below(std::size(kClosingsZh))]);
}

}  // namespace souk::eval::demo_shop_internal
