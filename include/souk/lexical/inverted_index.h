// InvertedIndex: the BM25F index over a Catalog's text fields, with top-k retrieval by MaxScore
// dynamic pruning (Turtle & Flood, "Query evaluation: strategies and optimizations", IP&M 1995),
// filters and facet counts.
//
// Built from a catalog and an analyzer, or loaded from the file Save() wrote (format in
// docs/formats/lexical-index.md: magic, version, CRC-32). The file keeps raw per-field term
// frequencies and lengths; BM25F parameters (LexicalOptions) are applied at build/load time into
// per-posting impacts, so retuning needs no reindex.
//
// Ownership: the index keeps a pointer to the Catalog it was built or loaded with; the catalog
// must outlive it. Thread-safety: immutable after Build/Load; all const methods are thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/catalog/catalog.h"
#include "souk/lexical/filter.h"
#include "souk/lexical/hit.h"
#include "souk/lexical/lexical_options.h"
#include "souk/text/analyzer.h"

namespace souk::lexical {

struct SearchOptions {
  size_t k = 10;                 ///< Hits to return, best first.
  bool facets = false;           ///< Count facets over all matches (costs an exhaustive pass).
  size_t max_facet_values = 20;  ///< Per facet, the most frequent values.
};

struct SearchResult {
  std::vector<Hit> hits;  ///< Best first; ties broken by smaller DocId.
  /// Number of documents matching at least one term and the filter; set only with facets.
  std::optional<size_t> total_matches;
  Facets facets;
};

/// How one analyzed query term matches one document: what ranking features and explanations
/// read. A term the index does not know has idf 0; one the document lacks has fields 0.
struct TermMatch {
  float idf = 0;       ///< The term's BM25 idf over the whole index.
  float impact = 0;    ///< Its saturated BM25F impact in the document (score = idf * impact).
  uint8_t fields = 0;  ///< Bit f set when Field f of the document holds the term.
  bool matched() const { return fields != 0; }
  bool InField(Field f) const { return (fields >> static_cast<unsigned>(f)) & 1u; }
};

class InvertedIndex {
 public:
  static absl::StatusOr<std::unique_ptr<InvertedIndex>> Build(const catalog::Catalog& catalog,
                                                              const text::Analyzer& analyzer,
                                                              const LexicalOptions& options);
  /// Fails when the file is missing, corrupt (bad magic, version, checksum or bounds), or was
  /// built from a catalog of another size or with an analyzer of another fingerprint.
  static absl::StatusOr<std::unique_ptr<InvertedIndex>> Load(const std::string& path,
                                                             const catalog::Catalog& catalog,
                                                             const text::Analyzer& analyzer,
                                                             const LexicalOptions& options);
  ~InvertedIndex();

  /// Writes the index file atomically (the bytes it was loaded from, or built as).
  absl::Status Save(const std::string& path) const;

  /// INVALID_ARGUMENT naming the field for an unknown brand or category or bad price bounds.
  /// O(num_docs): compile once per request.
  absl::StatusOr<DocFilter> CompileFilter(const Filter& filter) const;

  /// Top-k documents for analyzed query terms (a term repeated in the query counts that many
  /// times). Terms unknown to the index are ignored. `filter` may be null; otherwise it comes
  /// from this index's CompileFilter (a filter of another size is a bug: checked).
  SearchResult Search(const std::vector<std::string>& terms, const DocFilter* filter,
                      const SearchOptions& options) const;

  /// Same result as Search, by scoring every posting of every query term (no pruning): the
  /// reference that tests and benchmarks compare Search against.
  SearchResult SearchExhaustive(const std::vector<std::string>& terms, const DocFilter* filter,
                                const SearchOptions& options) const;

  /// BM25F score of one document for analyzed query terms (0 when none matches): the score Search
  /// would give it, for documents found by other means (ranking features, explanations).
  /// `doc` < num_docs() (checked).
  float Score(const std::vector<std::string>& terms, catalog::DocId doc) const;

  /// For every document of `docs` and every term of `terms` (repeats kept, in order), how the
  /// term matches it: docs.size() x terms.size(), document-major. Each `docs` entry < num_docs()
  /// (checked). O(terms x docs x log df).
  std::vector<TermMatch> MatchTerms(const std::vector<std::string>& terms,
                                    std::span<const catalog::DocId> docs) const;

  /// Whether some document holds the analyzed term.
  bool Contains(std::string_view term) const;
  /// How many documents hold the analyzed term (0 for an unknown one).
  size_t DocumentFrequency(std::string_view term) const;
  /// Calls `visit(term, document frequency)` for every term, in no particular order.
  void ForEachTerm(const std::function<void(std::string_view term, size_t df)>& visit) const;

  size_t num_docs() const;
  size_t num_terms() const;
  /// Approximate heap bytes held (postings, dictionary, filter columns, and the encoded file kept
  /// for Save).
  size_t MemoryBytes() const;

 private:
  struct Data;
  explicit InvertedIndex(std::unique_ptr<Data> data);
  std::unique_ptr<Data> data_;
};

}  // namespace souk::lexical
