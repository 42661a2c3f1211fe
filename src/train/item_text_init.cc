#include <algorithm>

#include "item_text_init_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"
#include "souk/encoder/text_encoder.h"

namespace souk::train::internal {
namespace {

// The first `width` principal components of `vectors` ([n, D]), scaled to standard deviation
// `std`; columns past D (an encoder narrower than the model) are left 0 for the caller.
torch::Tensor PrincipalComponents(const torch::Tensor& vectors, int64_t width, double std) {
  const torch::Tensor centered = vectors - vectors.mean(0, /*keepdim=*/true);
  const auto [u, s, vh] = torch::linalg_svd(centered, /*full_matrices=*/false);
  const int64_t kept = std::min<int64_t>(width, vh.size(0));
  torch::Tensor reduced = torch::zeros({vectors.size(0), width});
  reduced.narrow(1, 0, kept).copy_(torch::matmul(centered, vh.narrow(0, 0, kept).t()));
  const double spread = reduced.narrow(1, 0, kept).std().item<double>();
  return spread > 0 ? reduced * (std / spread) : reduced;
}

}  // namespace

absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ReadItemText(
    const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  absl::flat_hash_map<std::string, std::string> text;
  LineCursor cursor(contents);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == 0 || tab == std::string_view::npos) {
      return absl::InvalidArgumentError(
          StrCat(path, ":", cursor.line_number(), ": expected `item<TAB>text`"));
    }
    const auto [it, added] =
        text.try_emplace(std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)));
    if (!added) {
      return absl::InvalidArgumentError(
          StrCat(path, ":", cursor.line_number(), ": item '", it->first, "' repeated"));
    }
  }
  return text;
}

absl::StatusOr<size_t> InitItemEmbeddingsFromText(const recommend::ItemVocabulary& items,
                                                  const std::string& item_text,
                                                  const std::string& encoder_dir, int threads,
                                                  double std, torch::Tensor embeddings) {
  SOUK_ASSIGN_OR_RETURN(const auto text, ReadItemText(item_text));
  std::vector<int64_t> rows;
  std::vector<std::string> texts;
  for (recommend::ItemIndex item = 1; item <= items.size(); ++item) {
    const auto it = text.find(items.Name(item));
    if (it == text.end()) continue;
    rows.push_back(item);
    texts.push_back(it->second);
  }
  if (rows.size() < 2) {
    return absl::FailedPreconditionError(StrCat(item_text, ": text for ", rows.size(), " of ",
                                                items.size(), " items; at least 2 needed"));
  }
  encoder::EncoderOptions options;
  options.model_dir = encoder_dir;
  options.threads = threads;
  options.cache_entries = 0;
  SOUK_ASSIGN_OR_RETURN(auto encoder, encoder::TextEncoder::Create(options));
  SOUK_ASSIGN_OR_RETURN(const auto vectors, encoder->EncodeBatch(texts));
  torch::Tensor matrix = torch::empty(
      {static_cast<int64_t>(vectors.size()), static_cast<int64_t>(encoder->dimension())});
  for (size_t i = 0; i < vectors.size(); ++i) {
    matrix[static_cast<int64_t>(i)].copy_(
        torch::from_blob(const_cast<float*>(vectors[i].data()),
                         {static_cast<int64_t>(vectors[i].size())}, torch::kFloat));
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor reduced = PrincipalComponents(matrix, embeddings.size(1), std);
  embeddings.index_copy_(0, torch::tensor(rows, torch::kLong).to(embeddings.device()),
                         reduced.to(embeddings.device(), embeddings.scalar_type()));
  SOUK_LOG_INFO("train", "seqrec: item embeddings of ", rows.size(), " of ", items.size(),
                " items started from their text (", encoder->dimension(), " -> ",
                embeddings.size(1), " dims)");
  return rows.size();
}

}  // namespace souk::train::internal
