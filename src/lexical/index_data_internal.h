// The in-memory form of an InvertedIndex, and the two ways to make its encoded form: encoding a
// catalog (index_build.cc) and decoding a file (index_io.cc). Build and Load both decode the
// encoded bytes, so a built index and a loaded one are the same by construction.
//
// Postings are structure-of-arrays: the DocIds of all terms in one array and their impacts in a
// parallel one, so that skipping reads only DocIds. Each term's postings are followed by a
// sentinel (DocId kEndDoc, impact 0): cursors compare against it instead of checking bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "doc_columns_internal.h"
#include "souk/catalog/catalog.h"
#include "souk/lexical/inverted_index.h"
#include "souk/lexical/lexical_options.h"
#include "souk/text/analyzer.h"

namespace souk::lexical::internal {

using TermId = uint32_t;
/// DocId of the sentinel after each posting list; larger than every real DocId.
inline constexpr uint32_t kEndDoc = UINT32_MAX;

struct PostingStore {
  /// Term t's postings are [offsets[t], offsets[t + 1] - 1); the last slot is its sentinel.
  std::vector<uint64_t> offsets{0};
  std::vector<uint32_t> docs;
  std::vector<float> impacts;  ///< BM25F impact of each posting (bm25f_scorer.h).
  /// Per posting, bit f set when Field f holds the term (the file's field mask); 0 = sentinel.
  std::vector<uint8_t> field_masks;
  std::vector<float> idf;         ///< Per term.
  std::vector<float> max_impact;  ///< Per term: the largest impact of its postings.

  size_t num_terms() const { return idf.size(); }
  size_t df(TermId t) const { return offsets[t + 1] - offsets[t] - 1; }
  size_t MemoryBytes() const;
};

struct IndexData {
  const catalog::Catalog* catalog = nullptr;
  size_t num_docs = 0;
  absl::flat_hash_map<std::string, TermId> dictionary;
  PostingStore postings;
  DocColumns columns;
  /// Exactly the bytes Save writes: the file this index was loaded from, or would be saved to.
  std::string encoded;
};

/// Analyzes every product of `catalog` and returns the index file's bytes (format version 1).
std::string EncodeCatalog(const catalog::Catalog& catalog, const text::Analyzer& analyzer);

/// Validates and decodes `encoded` (the whole file) into `data`, computing impacts with
/// `options`, and builds the filter columns from `catalog`. Messages do not name the file;
/// callers add it. DATA_LOSS: corrupt or truncated; INVALID_ARGUMENT: not an index file;
/// FAILED_PRECONDITION: another version, catalog size or analyzer.
absl::Status InitIndexData(std::string encoded, const catalog::Catalog& catalog,
                           const text::Analyzer& analyzer, const LexicalOptions& options,
                           IndexData* data);

}  // namespace souk::lexical::internal

namespace souk::lexical {
struct InvertedIndex::Data : internal::IndexData {};
}  // namespace souk::lexical
