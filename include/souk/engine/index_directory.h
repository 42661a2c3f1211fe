// The index directory: what `souk index` writes and a Snapshot loads.
//
//   <dir>/manifest.json    format name and version, index id, counts, analyzer fingerprint
//   <dir>/catalog.jsonl    the products (docs/formats/catalog.md)
//   <dir>/lexical.souklex  the BM25F index (docs/formats/lexical-index.md)
//   <dir>/vectors.soukvec  product embeddings, when built with an encoder (docs/formats/vectors.md)
//   <dir>/vectors.soukhnsw their HNSW graph, with vectors.backend hnsw (docs/formats/hnsw.md)
//
// Layout and versions: docs/formats/index-dir.md. Writing is all-or-nothing: files go to a
// temporary sibling directory that replaces `dir` only once complete.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/catalog/product.h"
#include "souk/engine/engine_options.h"

namespace souk::engine {

inline constexpr char kManifestFile[] = "manifest.json";
inline constexpr char kCatalogFile[] = "catalog.jsonl";
inline constexpr char kLexicalFile[] = "lexical.souklex";
inline constexpr char kVectorsFile[] = "vectors.soukvec";
inline constexpr char kHnswFile[] = "vectors.soukhnsw";
inline constexpr char kIndexFormat[] = "souk-index";
inline constexpr int kIndexFormatVersion = 1;

struct Manifest {
  std::string index_id;  ///< Unique per build: creation time and a random suffix.
  int64_t created_unix_s = 0;
  uint64_t products = 0;
  std::string analyzer_fingerprint;
  /// The fingerprint of the encoder that embedded the products (TextEncoder::fingerprint());
  /// empty when the index has no vectors.
  std::string vectors_model;
  uint64_t vectors_dim = 0;
  bool vectors_hnsw = false;  ///< The directory holds an HNSW graph of the vectors (kHnswFile).
  /// The masked-LM directory that predicted the products' expansion words; empty when none did.
  std::string expansion_model;
};

absl::StatusOr<Manifest> ReadManifest(const std::string& dir);

struct IndexSummary {
  Manifest manifest;
  uint64_t terms = 0;
  uint64_t lexical_bytes = 0;
  double embedding_seconds = 0;    ///< Time spent embedding products (0 without an encoder).
  double hnsw_seconds = 0;         ///< Time spent building the HNSW graph (0 without one).
  double expansion_seconds = 0;    ///< Time spent predicting expansion words (0 without).
  uint64_t expanded_products = 0;  ///< Products that got at least one expansion word.
};

/// Builds the index of `products` with `options` (index_dir is the output) and writes it; with
/// an expansion model (options.expansion), first replaces each product's expansion by the words
/// it predicts for catalog::ProductText; with an encoder (options.dense()), also every product's
/// embedding of catalog::ProductText, and with vectors.backend hnsw their graph.
absl::StatusOr<IndexSummary> WriteIndexDirectory(std::vector<catalog::Product> products,
                                                 const SnapshotOptions& options);

}  // namespace souk::engine
