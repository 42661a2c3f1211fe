// Shared helpers of the lexical tests: one analyzer, catalog construction, seeded random
// catalogs and queries, and an independent BM25F reference scorer written from the formula in
// lexical_options.h (not from the index code).
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "souk/catalog/catalog.h"
#include "souk/lexical/filter.h"
#include "souk/lexical/lexical_options.h"
#include "souk/text/analyzer.h"

/// Declares `auto var` from an OK StatusOr, or fails the test.
#define LEX_ASSERT_OK_AND_ASSIGN(var, expr) \
  auto var##_statusor = (expr);             \
  ASSERT_OK(var##_statusor);                \
  auto var = *std::move(var##_statusor)

namespace souk::lexical::testing {

/// The default analyzer, created once.
const text::Analyzer& TestAnalyzer();
/// Analyzed terms of `text`.
std::vector<std::string> Terms(std::string_view text);
/// A catalog of `products`; aborts the test binary on invalid input (a bug of the test).
std::unique_ptr<catalog::Catalog> MakeCatalog(std::vector<catalog::Product> products);

/// `n` products with Zipf-distributed words in all fields, a few brands, a three-level category
/// tree, and random prices and stock (some absent).
std::vector<catalog::Product> RandomProducts(uint64_t seed, size_t n);
/// 1..5 words from the same vocabulary (repeats possible), as analyzed terms.
std::vector<std::string> RandomQuery(std::mt19937_64& rng);
/// A random filter that compiles against `catalog` (values drawn from its products).
Filter RandomFilter(const catalog::Catalog& catalog, std::mt19937_64& rng);

/// The four products the committed v1 fixture (tests/fixtures/lexical/v1.souklex) was built from.
std::vector<catalog::Product> FixtureProducts();
/// The same with an expansion on the lamp: what the committed v2 fixture
/// (tests/fixtures/lexical/v2.souklex) was built from.
std::vector<catalog::Product> FixtureProductsV2();

/// BM25F scores of every document, straight from the formula, in double.
class ReferenceScorer {
 public:
  ReferenceScorer(const catalog::Catalog& catalog, const LexicalOptions& options);
  double Score(const std::vector<std::string>& query, size_t doc) const;

 private:
  struct DocFields {
    std::vector<absl::flat_hash_map<std::string, double>> tf;  // per field
    std::vector<double> length;                                // per field
  };
  LexicalOptions options_;
  std::vector<DocFields> docs_;
  absl::flat_hash_map<std::string, double> df_;            // products whose own text has it
  absl::flat_hash_map<std::string, double> expansion_df_;  // for terms only expansions hold
  std::vector<double> avg_len_;
};

}  // namespace souk::lexical::testing
