#include "souk/engine/index_directory.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/catalog/catalog.h"
#include "souk/catalog/product_reader.h"
#include "souk/lexical/inverted_index.h"

namespace souk::engine {
namespace {

namespace fs = std::filesystem;

std::string NewIndexId(int64_t created) {
  std::random_device rd;
  char suffix[9];
  std::snprintf(suffix, sizeof(suffix), "%08x", rd());
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
  return j.dump(2) + "\n";
}

// Replaces `dir` by `staging` so that a reader sees the old directory or the new one.
absl::Status ReplaceDirectory(const std::string& staging, const std::string& dir) {
  std::error_code ec;
  const std::string old = dir + ".old";
  fs::remove_all(old, ec);
  if (fs::exists(dir)) {
    fs::rename(dir, old, ec);
    if (ec) return absl::InternalError(StrCat("moving aside ", dir, ": ", ec.message()));
  }
  fs::rename(staging, dir, ec);
  if (ec) return absl::InternalError(StrCat("installing ", dir, ": ", ec.message()));
  fs::remove_all(old, ec);
  return absl::OkStatus();
}

absl::StatusOr<IndexSummary> WriteInto(const std::string& staging, const catalog::Catalog& cat,
                                       const SnapshotOptions& options) {
  SOUK_ASSIGN_OR_RETURN(auto analyzer, text::Analyzer::Create(options.analyzer));
  SOUK_ASSIGN_OR_RETURN(auto index, lexical::InvertedIndex::Build(cat, *analyzer, options.lexical));
  SOUK_RETURN_IF_ERROR(catalog::WriteProductsJsonl(StrCat(staging, "/", kCatalogFile), cat.products()));
  const std::string lexical_path = StrCat(staging, "/", kLexicalFile);
  SOUK_RETURN_IF_ERROR(index->Save(lexical_path));

  IndexSummary summary;
  summary.manifest.created_unix_s =
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  summary.manifest.index_id = NewIndexId(summary.manifest.created_unix_s);
  summary.manifest.products = cat.size();
  summary.manifest.analyzer_fingerprint = analyzer->Fingerprint();
  summary.terms = index->num_terms();
  summary.lexical_bytes = fs::file_size(lexical_path);
  // The manifest goes last: a directory without one is never mistaken for an index.
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(StrCat(staging, "/", kManifestFile),
                                           ManifestJson(summary.manifest)));
  return summary;
}

}  // namespace

absl::StatusOr<Manifest> ReadManifest(const std::string& dir) {
  const std::string path = StrCat(dir, "/", kManifestFile);
  SOUK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::DataLossError(StrCat(path, ": not a JSON object"));
  }
  if (j.value("format", "") != kIndexFormat) {
    return absl::FailedPreconditionError(StrCat(path, ": not a Souk index manifest"));
  }
  const auto version = j.value("version", 0);
  if (version != kIndexFormatVersion) {
    return absl::FailedPreconditionError(StrCat(path, ": index format version ", version,
                                                ", this build reads ", kIndexFormatVersion));
  }
  Manifest m;
  const auto& id = j["index_id"];
  const auto& products = j["products"];
  const auto& analyzer = j["analyzer"];
  if (!id.is_string() || !products.is_number_unsigned() || !analyzer.is_string()) {
    return absl::DataLossError(StrCat(path, ": index_id, products or analyzer missing"));
  }
  m.index_id = id.get<std::string>();
  m.products = products.get<uint64_t>();
  m.analyzer_fingerprint = analyzer.get<std::string>();
  m.created_unix_s = j.value("created_unix_s", int64_t{0});
  return m;
}

absl::StatusOr<IndexSummary> WriteIndexDirectory(std::vector<catalog::Product> products,
                                                 const SnapshotOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  SOUK_ASSIGN_OR_RETURN(auto cat, catalog::Catalog::Create(std::move(products)));
  const std::string dir = fs::path(options.index_dir).lexically_normal().string();
  const std::string staging = StrCat(dir, ".staging-", ::getpid());
  std::error_code ec;
  fs::remove_all(staging, ec);
  SOUK_RETURN_IF_ERROR(MakeDirectories(staging));
  absl::StatusOr<IndexSummary> summary = WriteInto(staging, *cat, options);
  if (!summary.ok()) {
    fs::remove_all(staging, ec);
    return Annotate(summary.status(), StrCat("writing index ", dir));
  }
  SOUK_RETURN_IF_ERROR(ReplaceDirectory(staging, dir));
  return summary;
}

}  // namespace souk::engine
