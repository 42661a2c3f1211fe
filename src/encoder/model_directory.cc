#include "souk/encoder/model_directory.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "model_directory_internal.h"
#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/bert_heads.h"
#include "souk/model/pooling.h"
#include "souk/model/tensor_io.h"
#include "souk/text/analyzed_tokenizer.h"
#include "souk/text/sentencepiece_tokenizer.h"
#include "souk/text/wordpiece_tokenizer.h"

namespace souk::encoder {
namespace {

namespace fs = std::filesystem;

// What tokenizer_config.json says: do_lower_case (Hugging Face writes it there) and Souk's
// "analyzer" ({"stem_english": bool}: text goes through the Analyzer first). Absent: defaults.
struct TokenizerConfig {
  text::WordPieceOptions wordpiece;
  std::optional<text::AnalyzerOptions> analyzer;
};

absl::StatusOr<TokenizerConfig> ReadTokenizerConfig(const std::string& dir) {
  TokenizerConfig config;
  const std::string path = StrCat(dir, "/", kTokenizerConfigFile);
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) {
    if (absl::IsNotFound(text.status())) return config;
    return text.status();
  }
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError(StrCat(path, ": not a JSON object"));
  }
  if (auto it = j.find("do_lower_case"); it != j.end()) {
    if (!it->is_boolean())
      return absl::InvalidArgumentError(StrCat(path, ": do_lower_case: expected true or false"));
    config.wordpiece.do_lower_case = it->get<bool>();
  }
  if (auto it = j.find(kAnalyzerKey); it != j.end()) {
    if (!it->is_object()) {
      return absl::InvalidArgumentError(StrCat(path, ": analyzer: expected an object"));
    }
    text::AnalyzerOptions analyzer;
    for (const auto& [key, value] : it->items()) {
      if (key != "stem_english") {
        return absl::InvalidArgumentError(StrCat(path, ": analyzer: unknown key \"", key, "\""));
      }
      if (!value.is_boolean()) {
        return absl::InvalidArgumentError(
            StrCat(path, ": analyzer.stem_english: expected true or false"));
      }
      analyzer.stem_english = value.get<bool>();
    }
    config.analyzer = analyzer;
  }
  return config;
}

absl::StatusOr<std::unique_ptr<text::Tokenizer>> LoadPlainTokenizer(
    const std::string& dir, const text::WordPieceOptions& wordpiece) {
  const std::string vocab = StrCat(dir, "/", kVocabFile);
  const std::string spiece = StrCat(dir, "/", kSentencePieceFile);
  std::error_code ec;
  if (fs::exists(vocab, ec)) {
    SOUK_ASSIGN_OR_RETURN(auto tokenizer, text::WordPieceTokenizer::Load(vocab, wordpiece));
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

}  // namespace

absl::StatusOr<std::unique_ptr<text::Tokenizer>> LoadTokenizer(const std::string& dir) {
  SOUK_ASSIGN_OR_RETURN(TokenizerConfig config, ReadTokenizerConfig(dir));
  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<text::Tokenizer> tokenizer,
                        LoadPlainTokenizer(dir, config.wordpiece));
  if (!config.analyzer) return tokenizer;
  SOUK_ASSIGN_OR_RETURN(std::unique_ptr<text::Analyzer> analyzer,
                        text::Analyzer::Create(*config.analyzer));
  return std::unique_ptr<text::Tokenizer>(
      new text::AnalyzedTokenizer(std::move(analyzer), std::move(tokenizer)));
}

absl::Status WriteAnalyzerConfig(const std::string& dir, const text::AnalyzerOptions& analyzer) {
  nlohmann::json j;
  j[kAnalyzerKey] = {{"stem_english", analyzer.stem_english}};
  return WriteFileAtomically(StrCat(dir, "/", kTokenizerConfigFile), j.dump(2) + "\n");
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
  SOUK_ASSIGN_OR_RETURN(m.log_length_pivot,
                        model::FindLogLengthPivot(weights, StrCat(dir, "/", kWeightsFile)));
  if (m.serving.length_pivot && !m.log_length_pivot.defined()) {
    return absl::FailedPreconditionError(
        StrCat(dir, ": souk.json asks for a length_pivot but the weights have no ",
               model::kLogLengthPivotTensor));
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

namespace {

// What WriteRandomDirectory writes: a classifier's labels, or one of these.
constexpr int64_t kPlainBert = 0;      // a BertModel with a pooler
constexpr int64_t kMaskedLmHead = -1;  // a BertForMaskedLM

// A random model of `config` with `labels` classes (or kPlainBert, kMaskedLmHead), and the
// files beside its weights.
absl::Status WriteRandomDirectory(const std::string& dir, const model::BertConfig& config,
                                  const model::ServingConfig& serving,
                                  const std::vector<std::string>& vocab, int64_t labels,
                                  uint64_t seed) {
  SOUK_RETURN_IF_ERROR(config.Validate());
  SOUK_RETURN_IF_ERROR(serving.ValidateFor(config));
  if (vocab.size() > static_cast<size_t>(config.vocab_size)) {
    return absl::InvalidArgumentError("vocab: more tokens than config.vocab_size");
  }
  SOUK_RETURN_IF_ERROR(MakeDirectories(dir));
  try {
    torch::manual_seed(seed);
    const std::string weights = StrCat(dir, "/", kWeightsFile);
    if (labels == kPlainBert) {
      model::BertModel bert(config, /*add_pooling_layer=*/true);
      SOUK_RETURN_IF_ERROR(model::WriteTensors(weights, bert->NamedParameters()));
    } else if (labels == kMaskedLmHead) {
      model::BertForMaskedLM mlm(config);
      SOUK_RETURN_IF_ERROR(model::WriteTensors(weights, mlm->NamedParameters()));
    } else {
      model::BertForSequenceClassification classifier(config, labels);
      SOUK_RETURN_IF_ERROR(model::WriteTensors(weights, classifier->NamedParameters()));
    }
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("building a random BERT: ", e.what_without_backtrace()));
  }
  SOUK_RETURN_IF_ERROR(config.Save(StrCat(dir, "/", kConfigFile)));
  SOUK_RETURN_IF_ERROR(serving.Save(StrCat(dir, "/", kServingFile)));
  std::string lines;
  for (const std::string& token : vocab) lines += token + "\n";
  return WriteFileAtomically(StrCat(dir, "/", kVocabFile), lines);
}

}  // namespace

absl::Status WriteRandomModelDirectory(const std::string& dir, const model::BertConfig& config,
                                       const model::ServingConfig& serving,
                                       const std::vector<std::string>& vocab, uint64_t seed) {
  return WriteRandomDirectory(dir, config, serving, vocab, kPlainBert, seed);
}

absl::Status WriteRandomMaskedLmDirectory(const std::string& dir, const model::BertConfig& config,
                                          const model::ServingConfig& serving,
                                          const std::vector<std::string>& vocab, uint64_t seed) {
  return WriteRandomDirectory(dir, config, serving, vocab, kMaskedLmHead, seed);
}

absl::Status WriteRandomClassifierDirectory(const std::string& dir, const model::BertConfig& config,
                                            const model::ServingConfig& serving,
                                            const std::vector<std::string>& vocab, int64_t labels,
                                            uint64_t seed) {
  if (labels < 1) return absl::InvalidArgumentError("labels: must be >= 1");
  return WriteRandomDirectory(dir, config, serving, vocab, labels, seed);
}

}  // namespace souk::encoder
