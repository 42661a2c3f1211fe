// Merchandising rules: what a shop's merchandisers lay over the learned ranking.
//
//   pin       product X at position p for query Q (when the request's filters allow X)
//   boost     raise (weight > 0) or bury (weight < 0) products matching a condition
//   exclude   drop products matching a condition
//   diversity at most `max_per_brand` products of one brand among the first `window` results
//
// A rule applies to one query (normalized: ASCII-lower-cased, blanks trimmed and collapsed) or,
// with an empty query, to every query. Conditions test a product's brand, its category path
// (the category or any below it), its stock, or an attribute's value. A boost adds
// weight x (the candidates' highest score - their lowest) to a product's score, so that weights
// mean the same whatever stage scored (0.1: a tenth of the score range; 1: past every
// unboosted candidate). Rules apply in this order: exclude, boost, re-sort, diversity, pins.
//
// Thread-safety: a RuleSet is immutable after Create; Apply is thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/catalog/catalog.h"

namespace souk::rank {

struct Condition {
  /// "brand", "category" ("Top > Sub": that category or one below it), "in_stock" ("true" or
  /// "false") or "attribute:<name>".
  std::string field;
  std::string value;
};

struct PinRule {
  std::string id;
  std::string query;  ///< Required.
  std::string product_id;
  size_t position = 1;  ///< 1-based.
};

struct BoostRule {
  std::string id;
  std::string query;  ///< Empty: every query.
  Condition when;
  double weight = 0;  ///< In units of the candidates' score range; < 0 buries.
};

struct ExcludeRule {
  std::string id;
  std::string query;  ///< Empty: every query.
  Condition when;
};

struct DiversityRule {
  size_t max_per_brand = 0;  ///< 0: off.
  size_t window = 10;        ///< The first results it looks at.
};

struct RulesConfig {
  std::vector<PinRule> pins;
  std::vector<BoostRule> boosts;
  std::vector<ExcludeRule> excludes;
  DiversityRule diversity;
};

/// One ranked result as rules see and change it.
struct RankedDoc {
  catalog::DocId doc;
  float score = 0;
  /// The caller's index for it (a candidate); kNoSource for a product a pin brought in.
  size_t source = kNoSource;
  std::vector<std::string> fired;  ///< Ids of the rules that moved or placed it.

  static constexpr size_t kNoSource = static_cast<size_t>(-1);
};

class RuleSet {
 public:
  /// INVALID_ARGUMENT naming the rule (by id) and field: empty or repeated ids, a pin without
  /// query or at position 0, an unknown condition field, a weight that is not finite, a
  /// diversity window of 0 with max_per_brand set. Products named by pins need not exist in
  /// the catalog (a pin of an unknown product does nothing).
  static absl::StatusOr<std::shared_ptr<const RuleSet>> Create(RulesConfig config);

  /// The rules as applied: queries normalized, category values canonical ("A > B"), pins in
  /// position order.
  const RulesConfig& config() const { return config_; }
  bool empty() const;

  /// Applies the rules for `query` to `ranked` (best first). `allowed` says whether the
  /// request's filters admit a product (pins of products they exclude do nothing).
  void Apply(std::string_view query, const catalog::Catalog& catalog,
             const std::function<bool(catalog::DocId)>& allowed,
             std::vector<RankedDoc>* ranked) const;

  /// The form queries are matched in: ASCII-lower-cased, blanks trimmed and collapsed.
  static std::string NormalizeQuery(std::string_view query);

 private:
  explicit RuleSet(RulesConfig config) : config_(std::move(config)) {}
  RulesConfig config_;
};

}  // namespace souk::rank
