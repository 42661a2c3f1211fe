#include "souk/engine/snapshot.h"

#include <chrono>

#include "souk/base/clock.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/product_reader.h"
#include "souk/engine/index_directory.h"

namespace souk::engine {
absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::Load(const SnapshotOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const auto start = std::chrono::steady_clock::now();
  const std::string& dir = options.index_dir;
  SOUK_ASSIGN_OR_RETURN(Manifest manifest, ReadManifest(dir));

  std::shared_ptr<Snapshot> snap(new Snapshot());
  SOUK_ASSIGN_OR_RETURN(snap->analyzer_, text::Analyzer::Create(options.analyzer));
  if (snap->analyzer_->Fingerprint() != manifest.analyzer_fingerprint) {
    return absl::FailedPreconditionError(
        StrCat(dir, ": index built with analyzer '", manifest.analyzer_fingerprint,
               "' but configured analyzer is '", snap->analyzer_->Fingerprint(),
               "'; rebuild it with souk index"));
  }
  SOUK_ASSIGN_OR_RETURN(auto products, catalog::ReadProductsJsonl(StrCat(dir, "/", kCatalogFile),
                                                                  catalog::ReadOptions{}));
  if (products.size() != manifest.products) {
    return absl::DataLossError(StrCat(dir, "/", kCatalogFile, ": ", products.size(),
                                      " products, manifest says ", manifest.products));
  }
  SOUK_ASSIGN_OR_RETURN(snap->catalog_, catalog::Catalog::Create(std::move(products)));
  SOUK_ASSIGN_OR_RETURN(
      snap->lexical_, lexical::InvertedIndex::Load(StrCat(dir, "/", kLexicalFile), *snap->catalog_,
                                                   *snap->analyzer_, options.lexical));
  snap->version_ = manifest.index_id;
  snap->loaded_unix_s_ = NowUnixSeconds();
  const int64_t ms = MillisSince(start);
  SOUK_LOG_INFO("engine", "loaded snapshot ", snap->version_, " from ", dir, ": ",
                snap->catalog_->size(), " products, ", snap->lexical_->num_terms(), " terms, ",
                snap->lexical_->MemoryBytes() >> 20, " MiB lexical, ", ms, " ms");
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

}  // namespace souk::engine
