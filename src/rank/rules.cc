#include "souk/rank/rules.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_join.h"
#include "souk/base/ascii.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/product_reader.h"

namespace souk::rank {
namespace {

constexpr std::string_view kAttributePrefix = "attribute:";

absl::Status Bad(std::string_view id, std::string_view what) {
  return absl::InvalidArgumentError(StrCat("rules: rule '", id, "': ", what));
}

// Checks `c`, and writes a category value in canonical form ("A > B") for Matches.
absl::Status CheckCondition(std::string_view id, Condition& c) {
  if (c.field == "brand" || c.field == "category") {
    if (c.value.empty()) return Bad(id, StrCat(c.field, " needs a value"));
    if (c.field == "category") {
      absl::StatusOr<std::vector<std::string>> path = catalog::ParseCategoryPath(c.value);
      if (!path.ok()) return Bad(id, StrCat("category '", c.value, "' is not a category path"));
      c.value = absl::StrJoin(*path, catalog::kCategorySeparator);
    }
    return absl::OkStatus();
  }
  if (c.field == "in_stock") {
    if (c.value != "true" && c.value != "false") return Bad(id, "in_stock is true or false");
    return absl::OkStatus();
  }
  if (c.field.starts_with(kAttributePrefix) && c.field.size() > kAttributePrefix.size()) {
    return absl::OkStatus();
  }
  return Bad(
      id, StrCat("unknown field '", c.field, "' (brand, category, in_stock or attribute:<name>)"));
}

bool Matches(const Condition& c, const catalog::Product& p) {
  if (c.field == "brand") return p.brand == c.value;
  if (c.field == "in_stock") return p.InStock() == (c.value == "true");
  if (c.field == "category") {
    // The value is a canonical path (Create): walk it along the product's path, no parsing.
    std::string_view rest = c.value;
    for (const std::string& part : p.category_path) {
      if (!rest.starts_with(part)) return false;
      rest.remove_prefix(part.size());
      if (rest.empty()) return true;
      if (!rest.starts_with(catalog::kCategorySeparator)) return false;
      rest.remove_prefix(std::string_view(catalog::kCategorySeparator).size());
    }
    return false;
  }
  const std::string_view name = std::string_view(c.field).substr(kAttributePrefix.size());
  return std::any_of(p.attributes.begin(), p.attributes.end(), [&](const catalog::Attribute& a) {
    return a.name == name && a.value == c.value;
  });
}

// Applies to `query` (normalized): the rule's query is empty or the same.
bool AppliesTo(const std::string& rule_query, const std::string& query) {
  return rule_query.empty() || rule_query == query;
}

void Boost(const std::vector<BoostRule>& boosts, const std::string& query,
           const catalog::Catalog& catalog, std::vector<RankedDoc>* ranked) {
  if (ranked->empty()) return;
  const auto [lo, hi] =
      std::minmax_element(ranked->begin(), ranked->end(),
                          [](const RankedDoc& a, const RankedDoc& b) { return a.score < b.score; });
  // With equal scores everywhere, a weight of 1 is still one step.
  const double range = hi->score > lo->score ? hi->score - lo->score : 1.0;
  bool moved = false;
  for (const BoostRule& rule : boosts) {
    if (!AppliesTo(rule.query, query)) continue;
    for (RankedDoc& d : *ranked) {
      if (!Matches(rule.when, catalog.product(d.doc))) continue;
      d.score += static_cast<float>(rule.weight * range);
      d.fired.push_back(rule.id);
      moved = true;
    }
  }
  if (moved) {
    std::stable_sort(ranked->begin(), ranked->end(),
                     [](const RankedDoc& a, const RankedDoc& b) { return a.score > b.score; });
  }
}

void Diversify(const DiversityRule& rule, const catalog::Catalog& catalog,
               std::vector<RankedDoc>* ranked) {
  if (rule.max_per_brand == 0) return;
  // Decide by index first, so that nothing moves when no brand is over its cap.
  std::vector<size_t> front, deferred;
  absl::flat_hash_map<std::string_view, size_t> per_brand;
  size_t next = 0;
  for (; next < ranked->size() && front.size() < rule.window; ++next) {
    const std::string& brand = catalog.product((*ranked)[next].doc).brand;
    const bool over = !brand.empty() && per_brand[brand] >= rule.max_per_brand;
    if (!over && !brand.empty()) ++per_brand[brand];
    (over ? deferred : front).push_back(next);
  }
  if (deferred.empty()) return;
  std::vector<RankedDoc> reordered;
  reordered.reserve(ranked->size());
  for (size_t i : front) reordered.push_back(std::move((*ranked)[i]));
  for (size_t i : deferred) {
    (*ranked)[i].fired.push_back("diversity");
    reordered.push_back(std::move((*ranked)[i]));
  }
  for (size_t i = next; i < ranked->size(); ++i) reordered.push_back(std::move((*ranked)[i]));
  *ranked = std::move(reordered);
}

// `pins` are in position order (Create), so a later pin does not shift an earlier one.
void Pin(const std::vector<PinRule>& pins, const std::string& query,
         const catalog::Catalog& catalog, const std::function<bool(catalog::DocId)>& allowed,
         std::vector<RankedDoc>* ranked) {
  for (const PinRule& pin : pins) {
    if (pin.query != query) continue;
    const std::optional<catalog::DocId> doc = catalog.Find(pin.product_id);
    if (!doc || (allowed && !allowed(*doc))) continue;
    RankedDoc placed{*doc, 0, RankedDoc::kNoSource, {}};
    auto it = std::find_if(ranked->begin(), ranked->end(),
                           [&](const RankedDoc& d) { return d.doc == *doc; });
    if (it != ranked->end()) {
      placed = std::move(*it);
      ranked->erase(it);
    }
    placed.fired.push_back(pin.id);
    const size_t at = std::min(pin.position - 1, ranked->size());
    ranked->insert(ranked->begin() + static_cast<std::ptrdiff_t>(at), std::move(placed));
  }
}

}  // namespace

std::string RuleSet::NormalizeQuery(std::string_view query) {
  return AsciiLowerCollapsingBlanks(query);
}

absl::StatusOr<std::shared_ptr<const RuleSet>> RuleSet::Create(RulesConfig config) {
  absl::flat_hash_set<std::string> ids;
  auto check_id = [&](const std::string& id) -> absl::Status {
    if (id.empty()) return absl::InvalidArgumentError("rules: a rule without an id");
    if (id == "diversity") return Bad(id, "the id 'diversity' is reserved");
    if (!ids.insert(id).second) return Bad(id, "the id is used twice");
    return absl::OkStatus();
  };
  for (PinRule& pin : config.pins) {
    SOUK_RETURN_IF_ERROR(check_id(pin.id));
    pin.query = NormalizeQuery(pin.query);
    if (pin.query.empty()) return Bad(pin.id, "a pin needs a query");
    if (pin.product_id.empty()) return Bad(pin.id, "a pin needs a product");
    if (pin.position == 0) return Bad(pin.id, "positions start at 1");
  }
  for (BoostRule& boost : config.boosts) {
    SOUK_RETURN_IF_ERROR(check_id(boost.id));
    boost.query = NormalizeQuery(boost.query);
    SOUK_RETURN_IF_ERROR(CheckCondition(boost.id, boost.when));
    if (!std::isfinite(boost.weight)) return Bad(boost.id, "the weight must be finite");
  }
  for (ExcludeRule& exclude : config.excludes) {
    SOUK_RETURN_IF_ERROR(check_id(exclude.id));
    exclude.query = NormalizeQuery(exclude.query);
    SOUK_RETURN_IF_ERROR(CheckCondition(exclude.id, exclude.when));
  }
  std::stable_sort(config.pins.begin(), config.pins.end(),
                   [](const PinRule& a, const PinRule& b) { return a.position < b.position; });
  if (config.diversity.max_per_brand > 0 && config.diversity.window == 0) {
    return absl::InvalidArgumentError("rules: diversity.window must be >= 1");
  }
  return std::shared_ptr<const RuleSet>(new RuleSet(std::move(config)));
}

bool RuleSet::empty() const {
  return config_.pins.empty() && config_.boosts.empty() && config_.excludes.empty() &&
         config_.diversity.max_per_brand == 0;
}

void RuleSet::Apply(std::string_view raw_query, const catalog::Catalog& catalog,
                    const std::function<bool(catalog::DocId)>& allowed,
                    std::vector<RankedDoc>* ranked) const {
  const std::string query = NormalizeQuery(raw_query);
  for (const ExcludeRule& rule : config_.excludes) {
    if (!AppliesTo(rule.query, query)) continue;
    std::erase_if(*ranked,
                  [&](const RankedDoc& d) { return Matches(rule.when, catalog.product(d.doc)); });
  }
  Boost(config_.boosts, query, catalog, ranked);
  Diversify(config_.diversity, catalog, ranked);
  Pin(config_.pins, query, catalog, allowed, ranked);
}

}  // namespace souk::rank
