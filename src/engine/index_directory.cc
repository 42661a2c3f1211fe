#include "souk/engine/index_directory.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <type_traits>

#include "nlohmann/json.hpp"
#include "souk/base/clock.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/catalog.h"
#include "souk/catalog/product_reader.h"
#include "souk/encoder/term_expander.h"
#include "souk/encoder/text_encoder.h"
#include "souk/lexical/inverted_index.h"
#include "souk/vector/hnsw_index.h"
#include "souk/vector/vector_file.h"

namespace souk::engine {
namespace {

namespace fs = std::filesystem;

std::string NewIndexId(int64_t created) {
  // Not std::random_device: it may throw, and the id needs uniqueness, not secrecy.
  const uint64_t mix =
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
      (static_cast<uint64_t>(::getpid()) << 32);
  char suffix[9];
  std::snprintf(suffix, sizeof(suffix), "%08x", static_cast<uint32_t>(mix ^ (mix >> 32)));
  return StrCat(created, "-", suffix);
}

std::string ManifestJson(const Manifest& m) {
  nlohmann::json j = {{"format", kIndexFormat},
                      {"version", kIndexFormatVersion},
                      {"index_id", m.index_id},
                      {"created_unix_s", m.created_unix_s},
                      {"products", m.products},
                      {"analyzer", m.analyzer_fingerprint},
                      {"files", {kCatalogFile, kLexicalFile}}};
  if (!m.vectors_model.empty()) {
    j["files"].push_back(kVectorsFile);
    j["vectors"] = {{"model", m.vectors_model}, {"dim", m.vectors_dim}};
  }
  if (m.vectors_hnsw) {
    j["files"].push_back(kHnswFile);
    j["vectors"]["hnsw"] = true;
  }
  if (!m.expansion_model.empty()) j["expansion"] = {{"model", m.expansion_model}};
  return j.dump(2) + "\n";
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Embeds every product with the configured encoder.
absl::StatusOr<vector::VectorSet> EmbedProducts(const catalog::Catalog& cat,
                                                const encoder::EncoderOptions& options) {
  SOUK_ASSIGN_OR_RETURN(auto text_encoder, encoder::TextEncoder::Create(options));
  std::vector<std::string> texts;
  texts.reserve(cat.size());
  for (const catalog::Product& p : cat.products()) texts.push_back(catalog::ProductText(p));
  SOUK_ASSIGN_OR_RETURN(auto rows, text_encoder->EncodeBatch(texts, /*batch_size=*/64));
  vector::VectorSet set;
  set.dim = text_encoder->dimension();
  set.model = text_encoder->fingerprint();
  set.values.reserve(rows.size() * set.dim);
  for (size_t d = 0; d < rows.size(); ++d) {
    set.ids.push_back(static_cast<uint32_t>(d));
    set.values.insert(set.values.end(), rows[d].begin(), rows[d].end());
  }
  return set;
}

// Replaces each product's expansion with the words `options`' model predicts for its text;
// returns how many products got any.
absl::StatusOr<uint64_t> ExpandProducts(const encoder::ExpansionOptions& options,
                                        std::vector<catalog::Product>* products) {
  SOUK_ASSIGN_OR_RETURN(auto expander, encoder::TermExpander::Load(options));
  std::vector<std::string> texts;
  texts.reserve(products->size());
  for (const catalog::Product& p : *products) texts.push_back(catalog::ProductText(p));
  SOUK_ASSIGN_OR_RETURN(const auto terms, expander->Expand(texts));
  uint64_t expanded = 0;
  for (size_t i = 0; i < products->size(); ++i) {
    std::string& expansion = (*products)[i].expansion;
    expansion.clear();
    for (const encoder::ExpandedTerm& term : terms[i]) {
      if (!expansion.empty()) expansion += ' ';
      expansion += term.word;
    }
    expanded += expansion.empty() ? 0 : 1;
  }
  return expanded;
}

// Writes the product embeddings (and their HNSW graph when configured) into `staging`.
absl::Status WriteProductVectors(const catalog::Catalog& cat, const SnapshotOptions& options,
                                 const fs::path& staging, IndexSummary* summary) {
  auto start = std::chrono::steady_clock::now();
  SOUK_ASSIGN_OR_RETURN(vector::VectorSet set, EmbedProducts(cat, options.encoder));
  SOUK_RETURN_IF_ERROR(vector::WriteVectorFile((staging / kVectorsFile).string(), set));
  summary->embedding_seconds = SecondsSince(start);
  summary->manifest.vectors_model = set.model;
  summary->manifest.vectors_dim = set.dim;
  if (!options.vectors.hnsw_backend()) return absl::OkStatus();
  start = std::chrono::steady_clock::now();
  SOUK_ASSIGN_OR_RETURN(auto graph, vector::HnswVectorIndex::Create(set.dim, options.vectors.hnsw));
  SOUK_RETURN_IF_ERROR(graph->Add(set.ids, set.values));
  SOUK_RETURN_IF_ERROR(graph->Save((staging / kHnswFile).string()));
  summary->hnsw_seconds = SecondsSince(start);
  summary->manifest.vectors_hnsw = true;
  return absl::OkStatus();
}

// "out/idx/" and "out/idx" name the same directory; the staging and old copies go beside it.
absl::StatusOr<fs::path> TargetPath(const std::string& index_dir) {
  fs::path dir = fs::path(index_dir).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();
  if (dir.empty() || dir == "." || dir == ".." || dir == dir.root_path()) {
    return absl::InvalidArgumentError(StrCat("index.dir: '", index_dir, "' cannot be replaced"));
  }
  return dir;
}

// Only an absent or empty directory, or a previous index, may be replaced: `--out` pointing at
// the wrong directory must never delete someone's data.
absl::Status CheckReplaceable(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return absl::OkStatus();
  if (fs::is_directory(dir, ec) && fs::is_empty(dir, ec)) return absl::OkStatus();
  if (fs::is_directory(dir, ec) && ReadManifest(dir.string()).ok()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      StrCat(dir.string(), " exists and is not a Souk index directory; refusing to replace it"));
}

// Replaces `dir` by `staging`. On failure the old directory is put back.
absl::Status ReplaceDirectory(const fs::path& staging, const fs::path& dir) {
  std::error_code ec;
  const fs::path old = dir.string() + ".old-" + std::to_string(::getpid());
  fs::remove_all(old, ec);
  const bool had_old = fs::exists(dir, ec);
  if (had_old) {
    fs::rename(dir, old, ec);
    if (ec) return absl::InternalError(StrCat("moving aside ", dir.string(), ": ", ec.message()));
  }
  fs::rename(staging, dir, ec);
  if (ec) {
    const std::string message = ec.message();
    if (had_old) fs::rename(old, dir, ec);
    return absl::InternalError(StrCat("installing ", dir.string(), ": ", message));
  }
  fs::remove_all(old, ec);
  return absl::OkStatus();
}

absl::StatusOr<IndexSummary> WriteInto(const fs::path& staging, const catalog::Catalog& cat,
                                       const SnapshotOptions& options) {
  SOUK_ASSIGN_OR_RETURN(auto analyzer, text::Analyzer::Create(options.analyzer));
  SOUK_ASSIGN_OR_RETURN(auto index, lexical::InvertedIndex::Build(cat, *analyzer, options.lexical));
  SOUK_RETURN_IF_ERROR(
      catalog::WriteProductsJsonl((staging / kCatalogFile).string(), cat.products()));
  const fs::path lexical_path = staging / kLexicalFile;
  SOUK_RETURN_IF_ERROR(index->Save(lexical_path.string()));

  IndexSummary summary;
  summary.manifest.created_unix_s = NowUnixSeconds();
  summary.manifest.index_id = NewIndexId(summary.manifest.created_unix_s);
  summary.manifest.products = cat.size();
  summary.manifest.analyzer_fingerprint = analyzer->Fingerprint();
  if (options.expansion.enabled()) summary.manifest.expansion_model = options.expansion.model_dir;
  if (options.dense()) SOUK_RETURN_IF_ERROR(WriteProductVectors(cat, options, staging, &summary));
  summary.terms = index->num_terms();
  std::error_code ec;
  summary.lexical_bytes = fs::file_size(lexical_path, ec);
  // The manifest goes last: a directory without one is never mistaken for an index.
  SOUK_RETURN_IF_ERROR(
      WriteFileAtomically((staging / kManifestFile).string(), ManifestJson(summary.manifest)));
  return summary;
}

// The value at `key` when it has the expected JSON type; nlohmann's value() throws otherwise.
template <typename T>
std::optional<T> Field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string()) return std::nullopt;
  } else {
    if (!it->is_number_integer()) return std::nullopt;
    if (std::is_unsigned_v<T> && !it->is_number_unsigned()) return std::nullopt;
  }
  return it->get<T>();
}

}  // namespace

absl::StatusOr<Manifest> ReadManifest(const std::string& dir) {
  const std::string path = StrCat(dir, "/", kManifestFile);
  SOUK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::DataLossError(StrCat(path, ": not a JSON object"));
  }
  if (Field<std::string>(j, "format") != kIndexFormat) {
    return absl::FailedPreconditionError(StrCat(path, ": not a Souk index manifest"));
  }
  const std::optional<int64_t> version = Field<int64_t>(j, "version");
  if (version != kIndexFormatVersion) {
    return absl::FailedPreconditionError(StrCat(path, ": index format version ",
                                                version ? StrCat(*version) : "missing",
                                                ", this build reads ", kIndexFormatVersion));
  }
  const auto id = Field<std::string>(j, "index_id");
  const auto products = Field<uint64_t>(j, "products");
  const auto analyzer = Field<std::string>(j, "analyzer");
  if (!id || !products || !analyzer) {
    return absl::DataLossError(
        StrCat(path, ": index_id, products or analyzer missing or mistyped"));
  }
  Manifest m;
  m.index_id = *id;
  m.products = *products;
  m.analyzer_fingerprint = *analyzer;
  m.created_unix_s = Field<int64_t>(j, "created_unix_s").value_or(0);
  if (auto expansion = j.find("expansion"); expansion != j.end() && expansion->is_object()) {
    m.expansion_model = Field<std::string>(*expansion, "model").value_or("");
  }
  if (auto vectors = j.find("vectors"); vectors != j.end()) {
    if (vectors->is_object()) {
      m.vectors_model = Field<std::string>(*vectors, "model").value_or("");
      m.vectors_dim = Field<uint64_t>(*vectors, "dim").value_or(0);
      const auto hnsw = vectors->find("hnsw");
      m.vectors_hnsw = hnsw != vectors->end() && hnsw->is_boolean() && hnsw->get<bool>();
    }
    if (m.vectors_model.empty() || m.vectors_dim == 0) {
      return absl::DataLossError(
          StrCat(path, ": vectors.model or vectors.dim missing or mistyped"));
    }
  }
  return m;
}

absl::StatusOr<IndexSummary> WriteIndexDirectory(std::vector<catalog::Product> products,
                                                 const SnapshotOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  SOUK_ASSIGN_OR_RETURN(const fs::path dir, TargetPath(options.index_dir));
  SOUK_RETURN_IF_ERROR(CheckReplaceable(dir));
  uint64_t expanded_products = 0;
  double expansion_seconds = 0;
  if (options.expansion.enabled()) {
    const auto start = std::chrono::steady_clock::now();
    SOUK_ASSIGN_OR_RETURN(expanded_products, ExpandProducts(options.expansion, &products));
    expansion_seconds = SecondsSince(start);
  }
  SOUK_ASSIGN_OR_RETURN(auto cat, catalog::Catalog::Create(std::move(products)));
  const fs::path staging = dir.string() + ".staging-" + std::to_string(::getpid());
  std::error_code ec;
  fs::remove_all(staging, ec);
  SOUK_RETURN_IF_ERROR(MakeDirectories(staging.string()));
  absl::StatusOr<IndexSummary> summary = WriteInto(staging, *cat, options);
  if (summary.ok()) {
    summary->expanded_products = expanded_products;
    summary->expansion_seconds = expansion_seconds;
    if (absl::Status s = ReplaceDirectory(staging, dir); !s.ok()) summary = s;
  }
  if (!summary.ok()) {
    fs::remove_all(staging, ec);
    return Annotate(summary.status(), StrCat("writing index ", dir.string()));
  }
  return summary;
}

}  // namespace souk::engine
