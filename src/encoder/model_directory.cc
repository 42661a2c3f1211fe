#include "souk/encoder/model_directory.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "model_directory_internal.h"
#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/pooling.h"
#include "souk/model/tensor_io.h"
#include "souk/text/sentencepiece_tokenizer.h"
#include "souk/text/wordpiece_tokenizer.h"

namespace souk::encoder {
namespace {

namespace fs = std::filesystem;

// tokenizer_config.json's do_lower_case, when the file says (Hugging Face writes it there).
absl::StatusOr<text::WordPieceOptions> WordPieceOptionsFor(const std::string& dir) {
  text::WordPieceOptions options;
  const std::string path = StrCat(dir, "/", kTokenizerConfigFile);
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) {
    if (absl::IsNotFound(text.status())) return options;
    return text.status();
  }
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError(StrCat(path, ": not a JSON object"));
  }
  if (auto it = j.find("do_lower_case"); it != j.end()) {
    if (!it->is_boolean())
      return absl::InvalidArgumentError(StrCat(path, ": do_lower_case: expected true or false"));
    options.do_lower_case = it->get<bool>();
  }
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<text::Tokenizer>> LoadTokenizer(const std::string& dir) {
  const std::string vocab = StrCat(dir, "/", kVocabFile);
  const std::string spiece = StrCat(dir, "/", kSentencePieceFile);
  std::error_code ec;
  if (fs::exists(vocab, ec)) {
    SOUK_ASSIGN_OR_RETURN(text::WordPieceOptions options, WordPieceOptionsFor(dir));
    SOUK_ASSIGN_OR_RETURN(auto tokenizer, text::WordPieceTokenizer::Load(vocab, options));
    return std::unique_ptr<text::Tokenizer>(std::move(tokenizer));
  }
  if (fs::exists(spiece, ec)) {
    SOUK_ASSIGN_OR_RETURN(auto tokenizer,
                          text::SentencePieceTokenizer::Load(spiece, text::SentencePieceOptions{}));
    return std::unique_ptr<text::Tokenizer>(std::move(tokenizer));
  }
  return absl::NotFoundError(
      StrCat(dir, ": no tokenizer (", kVocabFile, " or ", kSentencePieceFile, ")"));
}

namespace internal {

absl::StatusOr<LoadedModel> LoadModelDirectory(const std::string& dir) {
  LoadedModel m;
  SOUK_ASSIGN_OR_RETURN(m.config, model::BertConfig::Load(StrCat(dir, "/", kConfigFile)));
  absl::StatusOr<model::ServingConfig> serving =
      model::ServingConfig::Load(StrCat(dir, "/", kServingFile));
  if (serving.ok()) {
    m.serving = *serving;
  } else if (!absl::IsNotFound(serving.status())) {
    return serving.status();
  }
  SOUK_RETURN_IF_ERROR(m.serving.ValidateFor(m.config));
  SOUK_ASSIGN_OR_RETURN(auto weights, model::ReadTensors(StrCat(dir, "/", kWeightsFile)));
  bool has_pooler = false;
  for (const auto& [name, t] : weights) {
    has_pooler |= name.find("pooler.dense.weight") != std::string::npos;
  }
  if (m.serving.pooling == model::Pooling::kPooler && !has_pooler) {
    return absl::FailedPreconditionError(StrCat(
        dir, ": souk.json asks for pooling \"pooler\" but the weights have no pooler.dense"));
  }
  SOUK_ASSIGN_OR_RETURN(auto bert, model::BertModelImpl::Create(m.config, has_pooler));
  m.bert = model::BertModel(bert);
  absl::Status loaded = m.bert->LoadStateDict(weights, /*strict=*/true);
  if (!loaded.ok()) return Annotate(loaded, StrCat(dir, "/", kWeightsFile));
  SOUK_ASSIGN_OR_RETURN(
      m.token_log_weights,
      model::FindTokenLogWeights(weights, m.config.vocab_size, StrCat(dir, "/", kWeightsFile)));
  if (m.serving.pooling == model::Pooling::kWeightedMean && !m.token_log_weights.defined()) {
    return absl::FailedPreconditionError(
        StrCat(dir, ": souk.json asks for pooling \"weighted_mean\" but the weights have no ",
               model::kTokenLogWeightsTensor));
  }
  m.bert->eval();
  SOUK_ASSIGN_OR_RETURN(m.tokenizer, LoadTokenizer(dir));
  if (m.tokenizer->vocab_size() > static_cast<size_t>(m.config.vocab_size)) {
    return absl::FailedPreconditionError(StrCat(dir, ": tokenizer has ", m.tokenizer->vocab_size(),
                                                " tokens, config.json vocab_size is ",
                                                m.config.vocab_size));
  }
  return m;
}

}  // namespace internal

absl::Status WriteRandomModelDirectory(const std::string& dir, const model::BertConfig& config,
                                       const model::ServingConfig& serving,
                                       const std::vector<std::string>& vocab, uint64_t seed) {
  SOUK_RETURN_IF_ERROR(config.Validate());
  SOUK_RETURN_IF_ERROR(serving.ValidateFor(config));
  if (vocab.size() > static_cast<size_t>(config.vocab_size)) {
    return absl::InvalidArgumentError("vocab: more tokens than config.vocab_size");
  }
  SOUK_RETURN_IF_ERROR(MakeDirectories(dir));
  try {
    torch::manual_seed(seed);
    model::BertModel bert(config, /*add_pooling_layer=*/true);
    SOUK_RETURN_IF_ERROR(
        model::WriteTensors(StrCat(dir, "/", kWeightsFile), bert->NamedParameters()));
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("building a random BERT: ", e.what_without_backtrace()));
  }
  SOUK_RETURN_IF_ERROR(config.Save(StrCat(dir, "/", kConfigFile)));
  SOUK_RETURN_IF_ERROR(serving.Save(StrCat(dir, "/", kServingFile)));
  std::string lines;
  for (const std::string& token : vocab) lines += token + "\n";
  return WriteFileAtomically(StrCat(dir, "/", kVocabFile), lines);
}

}  // namespace souk::encoder
