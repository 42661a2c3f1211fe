// Options of the engine: how a snapshot is loaded and how search requests are bounded.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "souk/lexical/lexical_options.h"
#include "souk/text/analyzer.h"

namespace souk::engine {

/// What a snapshot is built from and loaded with.
struct SnapshotOptions {
  std::string index_dir;  ///< Directory written by `souk index` (docs/formats/index-dir.md).
  text::AnalyzerOptions analyzer;   ///< Must match the options the index was built with.
  lexical::LexicalOptions lexical;  ///< BM25F parameters, applied at load time.

  absl::Status Validate() const;
};

/// Bounds on Search requests; requests outside them fail with INVALID_ARGUMENT naming the field.
struct SearchOptions {
  size_t max_page_size = 1000;       ///< Largest SearchRequest.page_size accepted.
  size_t max_query_bytes = 4096;     ///< Longest SearchRequest.query accepted, in UTF-8 bytes.
  size_t max_result_window = 10000;  ///< offset + page_size may not exceed this (deep paging).

  absl::Status Validate() const;
};

}  // namespace souk::engine
