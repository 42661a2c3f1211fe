#include "souk/engine/snapshot.h"

#include <chrono>
#include <filesystem>
#include <limits>

#include "souk/base/clock.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/product_reader.h"
#include "souk/engine/index_directory.h"
#include "souk/vector/exact_index.h"
#include "souk/vector/hnsw_index.h"
#include "souk/vector/vector_file.h"

namespace souk::engine {

absl::Status Snapshot::LoadDense(const SnapshotOptions& options, const Manifest& manifest) {
  const std::string& dir = options.index_dir;
  SOUK_ASSIGN_OR_RETURN(encoder_, encoder::TextEncoder::Create(options.encoder));
  encoder_reads_query_terms_ = encoder_->analyzer() != nullptr &&
                               encoder_->analyzer()->Fingerprint() == analyzer_->Fingerprint();
  const std::string rebuild = StrCat("; rebuild it with souk index and this encoder.model_dir (",
                                     options.encoder.model_dir, ")");
  if (manifest.vectors_model.empty()) {
    return absl::FailedPreconditionError(
        StrCat(dir, ": the index has no product vectors but an encoder is configured", rebuild));
  }
  if (manifest.vectors_model != encoder_->fingerprint()) {
    return absl::FailedPreconditionError(
        StrCat(dir, ": product vectors made by the model '", manifest.vectors_model,
               "' but the encoder serves '", encoder_->fingerprint(), "'", rebuild));
  }
  if (options.vectors.hnsw_backend() && manifest.vectors_hnsw) return LoadHnsw(options);
  const std::string path = StrCat(dir, "/", kVectorsFile);
  SOUK_ASSIGN_OR_RETURN(vector::VectorSet set, vector::ReadVectorFile(path));
  if (set.model != manifest.vectors_model || set.dim != encoder_->dimension() ||
      set.ids.size() != catalog_->size()) {
    return absl::DataLossError(StrCat(path, ": ", set.ids.size(), " vectors of dim ", set.dim,
                                      " by '", set.model, "' do not match the manifest (",
                                      catalog_->size(), " products of dim ", encoder_->dimension(),
                                      ")"));
  }
  for (uint32_t id : set.ids) {
    if (id >= catalog_->size()) {
      return absl::DataLossError(StrCat(path, ": vector id ", id, " is not a product"));
    }
  }
  if (options.vectors.hnsw_backend()) {
    const auto start = std::chrono::steady_clock::now();
    SOUK_ASSIGN_OR_RETURN(auto graph,
                          vector::HnswVectorIndex::Create(set.dim, options.vectors.hnsw));
    SOUK_RETURN_IF_ERROR(Annotate(graph->Add(set.ids, set.values), path));
    SOUK_LOG_WARN("engine", dir, ": no saved HNSW graph; built one in ", MillisSince(start),
                  " ms (souk index with vectors.backend hnsw saves it with the index)");
    vectors_ = std::move(graph);
    return absl::OkStatus();
  }
  SOUK_ASSIGN_OR_RETURN(auto index,
                        vector::ExactVectorIndex::Create(set.dim, options.vectors.exact));
  SOUK_RETURN_IF_ERROR(Annotate(index->Add(set.ids, set.values), path));
  vectors_ = std::move(index);
  return absl::OkStatus();
}

absl::Status Snapshot::LoadHnsw(const SnapshotOptions& options) {
  const std::string path = StrCat(options.index_dir, "/", kHnswFile);
  SOUK_ASSIGN_OR_RETURN(auto graph, vector::HnswVectorIndex::Load(path, options.vectors.hnsw));
  if (graph->dim() != encoder_->dimension() || graph->size() != catalog_->size()) {
    return absl::DataLossError(StrCat(path, ": ", graph->size(), " vectors of dim ", graph->dim(),
                                      " do not match the index (", catalog_->size(),
                                      " products of dim ", encoder_->dimension(), ")"));
  }
  vectors_ = std::move(graph);
  return absl::OkStatus();
}

namespace {
constexpr uint32_t kNoDoc = std::numeric_limits<uint32_t>::max();
}  // namespace

namespace {

// recommend.seqrec_model as a model directory: a `souk retrain seqrec` models directory (no
// config.json of its own) stands for its current version, and for none (co-visitation alone)
// before a first promotion. Read at every load, so a Reload serves what was promoted since.
std::string SeqRecModelDirectory(const std::string& configured) {
  std::error_code ec;
  const std::filesystem::path dir(configured);
  if (configured.empty() || std::filesystem::exists(dir / "config.json", ec) ||
      !std::filesystem::is_directory(dir, ec)) {
    return configured;
  }
  if (std::filesystem::exists(dir / "current" / "config.json", ec)) {
    return (dir / "current").string();
  }
  SOUK_LOG_INFO("engine", "no recommender model promoted in ", configured,
                " yet: co-visitation alone");
  return "";
}

}  // namespace

absl::Status Snapshot::LoadRecommender(const recommend::RecommenderOptions& configured) {
  recommend::RecommenderOptions options = configured;
  options.seqrec_model = SeqRecModelDirectory(configured.seqrec_model);
  SOUK_ASSIGN_OR_RETURN(recommender_, recommend::Recommender::Load(options));
  const recommend::ItemVocabulary& items = recommender_->items();
  item_docs_.assign(items.size() + 1, kNoDoc);
  doc_items_.assign(catalog_->size(), 0);
  for (recommend::ItemIndex item = 1; item <= items.size(); ++item) {
    if (const std::optional<catalog::DocId> doc = catalog_->Find(items.Name(item))) {
      item_docs_[item] = doc->value();
      doc_items_[doc->value()] = item;
    }
  }
  return absl::OkStatus();
}

std::optional<catalog::DocId> Snapshot::ItemDoc(recommend::ItemIndex item) const {
  if (item >= item_docs_.size() || item_docs_[item] == kNoDoc) return std::nullopt;
  return catalog::DocId(item_docs_[item]);
}

recommend::ItemIndex Snapshot::DocItem(catalog::DocId doc) const {
  return doc.value() < doc_items_.size() ? doc_items_[doc.value()] : 0;
}

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
  if (options.lexical.spelling.enabled) {
    snap->spelling_ = lexical::SpellingCorrector::Build(*snap->lexical_, options.lexical.spelling);
  }
  SOUK_ASSIGN_OR_RETURN(snap->rewriter_,
                        lexical::QueryRewriter::Load(options.lexical.rewrites, *snap->analyzer_));
  if (options.dense()) SOUK_RETURN_IF_ERROR(snap->LoadDense(options, manifest));
  snap->features_ = std::make_unique<rank::FeatureExtractor>(*snap->catalog_, *snap->lexical_);
  SOUK_RETURN_IF_ERROR(snap->LoadRankers(options));
  if (options.recommender.enabled()) {
    SOUK_RETURN_IF_ERROR(snap->LoadRecommender(options.recommender));
  }
  snap->version_ = manifest.index_id;
  snap->loaded_unix_s_ = NowUnixSeconds();
  const int64_t ms = MillisSince(start);
  SOUK_LOG_INFO(
      "engine", "loaded snapshot ", snap->version_, " from ", dir, ": ", snap->catalog_->size(),
      " products, ", snap->lexical_->num_terms(), " terms, ", snap->lexical_->MemoryBytes() >> 20,
      " MiB lexical, ",
      snap->spelling_ ? StrCat(snap->spelling_->num_candidates(), " spelling candidates, ") : "",
      snap->rewriter_ ? StrCat(snap->rewriter_->num_synonym_rules(), " synonym rules, ",
                               snap->rewriter_->num_learned_rules(), " learned rewrites, ")
                      : "",
      snap->vectors_ ? StrCat(snap->vectors_->size(), " vectors, ") : "",
      snap->ranker() ? StrCat("ranker of ", snap->ranker()->model().rounds(), " trees, ") : "",
      snap->split_->size() > 1 ? StrCat(snap->split_->size(), " A/B variants, ") : "",
      snap->recommender_
          ? StrCat("recommender of ", snap->recommender_->items().size(), " items",
                   snap->recommender_->has_sequential_model() ? " with a model" : "", ", ")
          : "",
      ms, " ms");
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

namespace {

// A ranker file, or a `souk retrain` models directory (docs/feedback.md, "Retraining"): its
// current version's ranker.json, and none (retrieval order) before a first promotion. Read at
// every load, so a Reload serves whatever was promoted since.
absl::StatusOr<std::unique_ptr<rank::Ranker>> LoadRanker(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return rank::Ranker::Load(path);
  const std::string current = (std::filesystem::path(path) / "current" / "ranker.json").string();
  if (!std::filesystem::exists(current, ec)) {
    SOUK_LOG_INFO("engine", "no ranker promoted in ", path, " yet: retrieval order");
    return nullptr;
  }
  return rank::Ranker::Load(current);
}

}  // namespace

absl::Status Snapshot::LoadRankers(const SnapshotOptions& options) {
  SOUK_ASSIGN_OR_RETURN(split_, options.experiment.Split());
  if (options.experiment.variants.empty()) {
    rankers_.emplace_back();
    if (!options.ranker_model.empty()) {
      SOUK_ASSIGN_OR_RETURN(rankers_[0], LoadRanker(options.ranker_model));
    }
    return absl::OkStatus();
  }
  for (const RankerVariant& variant : options.experiment.variants) {
    rankers_.emplace_back();
    if (variant.ranker_model.empty()) continue;
    absl::StatusOr<std::unique_ptr<rank::Ranker>> ranker = LoadRanker(variant.ranker_model);
    if (!ranker.ok()) {
      return Annotate(ranker.status(), StrCat("experiment variant '", variant.name, "'"));
    }
    rankers_.back() = *std::move(ranker);
  }
  return absl::OkStatus();
}

std::vector<std::string> Snapshot::QueryTerms(std::string_view query) const {
  std::vector<std::string> typed = analyzer_->Analyze(query);
  std::vector<std::string> terms = spelling_ ? spelling_->Correct(typed) : typed;
  return rewriter_ ? rewriter_->Rewrite(typed, std::move(terms)) : terms;
}

absl::StatusOr<std::vector<float>> Snapshot::EncodeQuery(
    std::string_view query, const std::vector<std::string>& terms,
    encoder::TextEncoder::Clock::time_point deadline) const {
  if (encoder_reads_query_terms_) return encoder_->EncodeTerms(terms, deadline);
  return encoder_->Encode(query, deadline);
}

}  // namespace souk::engine
