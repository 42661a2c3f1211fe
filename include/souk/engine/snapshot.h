// Snapshot: one immutable, versioned bundle of what serving needs (catalog, analyzer, lexical
// index), loaded from an index directory. The engine swaps whole snapshots atomically, so a
// request sees one consistent version from start to end.
//
// Thread-safety: immutable after Load; share it as std::shared_ptr<const Snapshot>.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "souk/catalog/catalog.h"
#include "souk/engine/engine_options.h"
#include "souk/lexical/inverted_index.h"
#include "souk/text/analyzer.h"

namespace souk::engine {

class Snapshot {
 public:
  /// Loads and validates `options.index_dir`; errors name the file that was wrong.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Load(const SnapshotOptions& options);

  const catalog::Catalog& catalog() const { return *catalog_; }
  const text::Analyzer& analyzer() const { return *analyzer_; }
  const lexical::InvertedIndex& lexical() const { return *lexical_; }
  /// The manifest's index id: changes with every `souk index` run.
  const std::string& version() const { return version_; }
  int64_t loaded_unix_s() const { return loaded_unix_s_; }

 private:
  Snapshot() = default;

  // Declaration order is destruction order in reverse: the index points into the catalog.
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<text::Analyzer> analyzer_;
  std::unique_ptr<lexical::InvertedIndex> lexical_;
  std::string version_;
  int64_t loaded_unix_s_ = 0;
};

}  // namespace souk::engine
