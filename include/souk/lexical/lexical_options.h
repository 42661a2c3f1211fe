// Options of the BM25F lexical index.
//
// Scoring is BM25F (Robertson, Zaragoza & Taylor, "Simple BM25 extension to multiple weighted
// fields", CIKM 2004): per field f, the term frequency is length-normalized with b_f and weighted
// with w_f, the weighted frequencies are summed into one pseudo-frequency, and that sum is
// saturated once with k1:
//   tf~(t,d) = sum_f w_f * tf_f(t,d) / (1 - b_f + b_f * len_f(d) / avglen_f)
//   score(q,d) = sum_{t in q} idf(t) * tf~ * (k1 + 1) / (k1 + tf~)
//   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))
// with df the products whose own text (any field but kExpansion) holds t; a term only
// expansions hold counts the products it was predicted for.
// Saturating the sum, rather than each field, is the point of BM25F: a term repeated in title and
// description is not counted as two independent pieces of evidence.
// The parameters are applied when an index is built or loaded, so changing them needs no reindex.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace souk::lexical {

/// kExpansion holds terms predicted for a product rather than written by the shop
/// (catalog::Product::expansion); it weighs least by default.
enum class Field : uint8_t { kTitle = 0, kBrand, kCategory, kAttributes, kDescription, kExpansion };
inline constexpr size_t kNumFields = 6;
/// "title", "brand", "category", "attributes", "description", "expansion".
std::string_view FieldName(Field field);

struct FieldOptions {
  float weight = 1.0f;  ///< w_f: how much one occurrence in this field counts.
  float b = 0.75f;      ///< b_f: length normalization, 0 (none) .. 1 (full).
};

/// Query spelling correction (spelling.h).
struct SpellingOptions {
  bool enabled = true;
  size_t min_df = 2;                ///< Products a term must appear in to be a correction.
  size_t min_length = 4;            ///< Shorter query terms are left as they are.
  size_t two_edits_min_length = 8;  ///< From this length two edits are allowed, else one.
  size_t split_min_part = 3;        ///< Letters of each half of a split.
  /// A known query term in at most rare_max_df products and rare_min_length letters or more
  /// gets the candidate one edit away held by rare_min_ratio times as many products added.
  size_t rare_max_df = 3;
  size_t rare_min_length = 6;
  size_t rare_min_ratio = 20;

  /// min_df >= 1, min_length >= 3, two_edits_min_length >= min_length, split_min_part >= 2.
  absl::Status Validate() const;
};

/// Terms queries get added at query time (query_rewriter.h): a shop's synonyms and the rewrites
/// `souk train rewrites` learned from its search log.
struct RewriteOptions {
  /// Synonym rules in Solr's synonyms.txt syntax, one per entry: "sofa, couch, settee" (each
  /// phrase adds the others) or "telly, tele => tv" (one way).
  std::vector<std::string> synonyms;
  std::string synonyms_file;    ///< More rules, one per line; '#' starts a comment. Empty: none.
  std::string learned_file;     ///< A learned rewrites TSV (docs/formats/query-rewrites.md).
  size_t max_added_terms = 16;  ///< Most terms one query gets added.

  /// max_added_terms >= 1.
  absl::Status Validate() const;
};

struct LexicalOptions {
  /// Saturation of the summed pseudo-frequency (Robertson & Zaragoza 2009, section 3.3: 1.2 is
  /// the usual default; short product titles favour lower values).
  float k1 = 1.2f;
  /// Indexed by Field. Defaults: title > brand > category > attributes = description >
  /// expansion (bench/RESULTS.md, "Document expansion").
  std::array<FieldOptions, kNumFields> fields = {{
      {3.0f, 0.75f},  // title
      {2.0f, 0.5f},   // brand
      {1.5f, 0.5f},   // category
      {1.0f, 0.75f},  // attributes
      {1.0f, 0.75f},  // description
      {0.25f, 0.5f},  // expansion
  }};

  SpellingOptions spelling;
  RewriteOptions rewrites;

  const FieldOptions& field(Field f) const { return fields[static_cast<size_t>(f)]; }
  FieldOptions& field(Field f) { return fields[static_cast<size_t>(f)]; }
  /// k1 > 0; each weight >= 0 and at least one > 0; each b in [0, 1]; spelling and rewrites
  /// valid.
  absl::Status Validate() const;
};

}  // namespace souk::lexical
