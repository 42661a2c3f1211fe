// Private pieces of the demo shop generator (include/souk/eval/demo_shop.h).
//
// Phases: vocabulary (fixed tables: category tree, attributes, nouns, features, uses) ->
// brands -> catalog -> users -> sessions (queries, logging policy, clicks, carts, purchases,
// reviews) -> files. Each phase draws from its own Rng stream (StreamSeed) so that, e.g., more
// sessions do not change the catalog. Everything here is single-threaded and deterministic; no
// std:: distribution is used because their output differs between standard libraries.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/catalog/product.h"
#include "souk/eval/demo_shop.h"
#include "souk/events/event.h"

namespace souk::eval::demo_shop_internal {

// ---------------------------------------------------------------------------------------------
// Random numbers: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number
// generators", ACM TOMS 2021) seeded through SplitMix64 (Steele, Lea & Flood, OOPSLA 2014).
// ---------------------------------------------------------------------------------------------
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  /// Uniform in [0, 1) with 53 random bits.
  double Uniform();
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  /// Uniform integer in [0, n); n > 0. Rejection sampling, so exactly uniform.
  uint64_t Below(uint64_t n);
  bool Bernoulli(double p) { return Uniform() < p; }
  /// Standard normal by Marsaglia's polar method (Marsaglia & Bray, SIAM Review 1964).
  double Normal();
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  /// Index drawn with probability proportional to weights[i] (>= 0, not all 0).
  size_t Weighted(const std::vector<double>& weights);
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0.0;
};

/// Seed of an independent stream named `stream` for the user's seed.
uint64_t StreamSeed(uint64_t seed, std::string_view stream);
/// Rounds to `decimals` places so that what a file holds is exactly what the model used.
double RoundTo(double x, int decimals);
double Sigmoid(double x);

// ---------------------------------------------------------------------------------------------
// Vocabulary: the fixed category tree and the words of listings, in English and Chinese.
// ---------------------------------------------------------------------------------------------
enum class Lang { kEn = 0, kZh = 1 };
inline constexpr int kNumLangs = 2;
const char* LangCode(Lang lang);  // "en" | "zh"

/// One phrase in both languages.
struct Text {
  std::string en;
  std::string zh;
  const std::string& In(Lang lang) const { return lang == Lang::kEn ? en : zh; }
};

struct AttributeDef {
  std::string id;   ///< Table id, e.g. "dog_stage".
  std::string key;  ///< Name written to the catalog, e.g. "life_stage".
  Text label;       ///< Shown in descriptions: "Life Stage" / "适用阶段".
  std::vector<Text> values;
  double price_step = 0.0;  ///< Log-price added per value index (0: unordered values).
};

struct LeafDef {
  std::string key;  ///< "electronics/charging/wall_chargers".
  int top = 0;
  int mid = 0;
  Text name;
  std::vector<std::string> nouns[kNumLangs];  ///< [0] is the title noun, the rest synonyms.
  std::vector<int> attributes;                ///< Into Vocabulary::attributes; keys are distinct.
  std::vector<Text> features;
  std::vector<Text> uses;
  double median_price = 10.0;
  double price_sigma = 0.5;  ///< Of log price within the leaf.
  int repurchase_days = 0;   ///< > 0: consumable, bought again after about this long.
};

struct MidDef {
  std::string key;
  Text name;
  int top = 0;
  std::vector<int> leaves;
};

struct TopDef {
  std::string key;
  Text name;
  double weight = 1.0;      ///< Share of the catalog (and of user interest) before normalizing.
  bool has_series = false;  ///< Listings carry model lines ("Nano 3"): electronics, tools, ...
  std::vector<int> mids;
  std::vector<int> leaves;
};

struct Vocabulary {
  std::vector<AttributeDef> attributes;
  std::vector<TopDef> tops;
  std::vector<MidDef> mids;
  std::vector<LeafDef> leaves;
};

/// The vocabulary, parsed once from the tables in demo_shop_vocabulary_data.cc.
const Vocabulary& GetVocabulary();

// ---------------------------------------------------------------------------------------------
// The world: brands, products and users with their hidden parameters.
// ---------------------------------------------------------------------------------------------
struct Brand {
  std::string id;            ///< "b007".
  Text display;              ///< Brand name as listings in each language show it.
  int top = 0;               ///< Brands sell in one top category.
  double quality = 0.5;      ///< Hidden, in [0, 1].
  double price_level = 0.0;  ///< Hidden log-price shift.
  double popularity = 1.0;   ///< Hidden market share weight within its top category.
};

struct ShopProduct {
  catalog::Product product;
  Lang lang = Lang::kEn;
  int leaf = 0;
  int brand = 0;
  std::vector<int> values;    ///< Value index per leaf attribute (parallel to LeafDef::attributes).
  std::vector<int> features;  ///< Indices into LeafDef::features, 1 or 2.
  double quality = 0.5;       ///< Hidden, in [0, 1].
  double popularity = 1.0;    ///< Hidden; the logging policy sees it (a sales-rank prior).
  double log_price_ratio = 0.0;  ///< ln(price / leaf median).
};

struct BrandAffinity {
  int brand = 0;
  double value = 0.0;
};

struct ShopUser {
  std::string id;
  Lang lang = Lang::kEn;
  double activity = 1.0;                      ///< Relative rate of sessions.
  double price_sensitivity = 0.5;             ///< In [0, 1].
  double quality_sensitivity = 0.5;           ///< In [0, 1].
  std::vector<double> top_weights;            ///< Per top category; sums to about 1.
  std::vector<BrandAffinity> brand_affinity;  ///< Sorted by brand; absent brands are 0.

  double AffinityFor(int brand) const;
};

struct World {
  const Vocabulary* vocab = nullptr;
  std::vector<Brand> brands;
  std::vector<ShopProduct> products;
  std::vector<ShopUser> users;
  /// Product indices per language and leaf: by_leaf[lang][leaf].
  std::vector<std::vector<int>> by_leaf[kNumLangs];
};

/// True for exactly floor(n * share) of the items i = 0..n-1 (those that get Chinese).
bool InShare(size_t i, double share);
/// "p000042": a one-letter prefix and a zero-padded number.
std::string NumberedId(char prefix, size_t number);

std::vector<Brand> GenerateBrands(const Vocabulary& vocab, Rng& rng);
/// Fills world.products and world.by_leaf.
void GenerateCatalog(const DemoShopOptions& options, World& world, Rng& rng);
void GenerateUsers(const DemoShopOptions& options, World& world, Rng& rng);

// ---------------------------------------------------------------------------------------------
// Text: titles, descriptions, queries and reviews (demo_shop_text.cc).
// ---------------------------------------------------------------------------------------------
/// Value of the item's attribute in slot `slot` of its leaf, in the item's language.
const std::string& ValueText(const Vocabulary& vocab, const LeafDef& leaf, const ShopProduct& item,
                             size_t slot);
std::string JoinNonEmpty(const std::vector<std::string>& parts, std::string_view sep);
/// Lower-cases Capitalized words ("Fast Charging" -> "fast charging"); keeps "USB", "GaN".
std::string LowerCapitalizedWords(std::string_view text);

std::string MakeTitle(const Vocabulary& vocab, const Brand& brand, const ShopProduct& item,
                      Rng& rng);
std::string MakeDescription(const Vocabulary& vocab, const Brand& brand, const ShopProduct& item,
                            Rng& rng);

/// A generated query and the parts of it a lexical matcher could recognize.
struct QuerySpec {
  std::string text;
  Lang lang = Lang::kEn;
  int leaf = 0;
  bool noun_intact = true;                  ///< False when a typo hit the product noun.
  int brand = -1;                           ///< Brand named intact in the query, or -1.
  std::vector<std::pair<int, int>> values;  ///< Intact (attribute id, value index) pairs.
  int feature = -1;                         ///< Intact feature index of the leaf, or -1.
};

enum class QueryForm { kHead, kAttribute, kBrand, kBrandAttribute, kFeature, kUse };

/// Query for an intended product, in the product's language; `typo_rate` is the chance of one
/// typo.
QuerySpec MakeQuery(const Vocabulary& vocab, const std::vector<Brand>& brands,
                    const ShopProduct& intended, QueryForm form, double typo_rate, Rng& rng);
QueryForm DrawQueryForm(Rng& rng, bool specific);
std::string MakeReviewText(const Vocabulary& vocab, const ShopProduct& item, int rating,
                           bool repeat, Rng& rng);

// ---------------------------------------------------------------------------------------------
// Sessions (demo_shop_sessions.cc) and the hidden utility they share with the simulator.
// ---------------------------------------------------------------------------------------------
// The feedback events' own types (and names), so simulated sessions are FeedbackService events.
using events::EventType;
using events::EventTypeName;

struct Event {
  int64_t ts = 0;
  uint64_t seq = 0;  ///< Creation order: breaks ties of ts so that sorting is stable.
  EventType type = EventType::kSearch;
  int user = 0;
  int64_t session = 0;
  int64_t request = -1;  ///< Search answer the event came from; -1 for reviews.
  int product = -1;
  int position = 0;  ///< 1-based position in the impression list.
  int quantity = 0;
  double price = 0.0;
  int rating = 0;
  std::string text;        ///< Query (search) or review text.
  std::vector<int> shown;  ///< Impression: product indices at positions 1..N.
};

/// Hidden taste part of the utility: brand affinity, quality and price terms.
double TasteUtility(const ShopUser& user, const ShopProduct& item);

struct SessionLog {
  std::vector<Event> events;  ///< Sorted by (ts, seq).
  size_t repeat_purchases = 0;
};

/// The whole behaviour log of the demo shop: sessions planned over the window, each shown the
/// logging policy's pages.
SessionLog SimulateSessions(const DemoShopOptions& options, const World& world, Rng& rng);

/// When and by whom each session starts: users drawn by activity, days uniformly, hours by the
/// day profile; sorted by start.
struct SessionPlan {
  int64_t start = 0;
  int user = 0;
};
std::vector<SessionPlan> PlanSessions(const DemoShopOptions& options, const World& world, Rng& rng);

/// Where result pages come from: the logging policy when generating the shop, a live server
/// when simulating against one (eval/shop_simulator.h).
class PageSource {
 public:
  virtual ~PageSource() = default;
  /// The page shown for `query` typed by `user`, as product indices in display order.
  /// `request` numbers the searches of a run from 0.
  virtual absl::StatusOr<std::vector<int>> Page(const QuerySpec& query, int user,
                                                int64_t request) = 0;
};

/// Runs sessions one by one: intents, queries, the pages of `pages` (the logging policy when
/// null), clicks, carts, purchases, reviews; carries each user's purchases and due repurchases
/// from session to session.
class SessionSimulator {
 public:
  SessionSimulator(const DemoShopOptions& options, const World& world, Rng& rng, PageSource* pages);
  ~SessionSimulator();
  /// Runs session number `session`; fails only when the page source does.
  absl::Status Run(int64_t session, const SessionPlan& plan);
  /// The events since the last call, sorted by (ts, seq).
  std::vector<Event> TakeEvents();
  size_t repeat_purchases() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Files (demo_shop_files.cc): JSONL text of users, product truth and events; the manifest.
// ---------------------------------------------------------------------------------------------
std::string UsersJsonl(const World& world);
std::string ProductTruthJsonl(const World& world);
std::string EventsJsonl(const World& world, const std::vector<Event>& events);
/// manifest.json: format name and version, the options and the totals (no timings, so that it
/// is deterministic too).
std::string ManifestJson(const DemoShopOptions& options, const DemoShopSummary& summary);
inline constexpr int kFormatVersion = 1;

}  // namespace souk::eval::demo_shop_internal
