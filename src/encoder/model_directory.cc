#include "souk/encoder/model_directory.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "model_directory_internal.h"
#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/safetensors.h"
#include "souk/text/sentencepiece_tokenizer.h"
#include "souk/text/wordpiece_tokenizer.h"

namespace souk::encoder {
namespace internal {
namespace {

namespace fs = std::filesystem;

torch::Dtype TorchDtype(model::Dtype dtype) {
  switch (dtype) {
    case model::Dtype::kF16:
      return torch::kHalf;
    case model::Dtype::kBF16:
      return torch::kBFloat16;
    case model::Dtype::kF64:
      return torch::kDouble;
    case model::Dtype::kI64:
      return torch::kLong;
    case model::Dtype::kI32:
      return torch::kInt;
    default:
      return torch::kFloat;
  }
}

bool IsFloat(model::Dtype d) {
  return d == model::Dtype::kF32 || d == model::Dtype::kF16 || d == model::Dtype::kBF16 ||
         d == model::Dtype::kF64;
}

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

}  // namespace

absl::StatusOr<std::map<std::string, torch::Tensor>> ReadWeights(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(auto file, model::SafetensorsFile::Open(path));
  std::map<std::string, torch::Tensor> tensors;
  for (const std::string& name : file->TensorNames()) {
    const model::TensorInfo* info = file->Find(name);
    // Copy out of the mapping: tensors outlive the file, and packed F16 data may be unaligned.
    torch::Tensor t =
        torch::empty(info->shape, torch::TensorOptions().dtype(TorchDtype(info->dtype)));
    if (static_cast<size_t>(t.nbytes()) != info->data.size()) {
      return absl::InvalidArgumentError(StrCat(path, ": tensor ", name, ": dtype ",
                                               model::DtypeName(info->dtype), " not supported"));
    }
    std::memcpy(t.data_ptr(), info->data.data(), info->data.size());
    tensors[name] = IsFloat(info->dtype) ? t.to(torch::kFloat) : t;
  }
  return tensors;
}

absl::Status WriteWeights(const std::string& path, const model::BertModel& bert) {
  std::map<std::string, torch::Tensor> params = bert->NamedParameters();
  std::vector<torch::Tensor> keep;  // contiguous float copies, alive until written
  std::vector<model::TensorToWrite> tensors;
  for (const auto& [name, tensor] : params) {
    keep.push_back(tensor.detach().to(torch::kCPU, torch::kFloat).contiguous());
    const torch::Tensor& t = keep.back();
    tensors.push_back(model::TensorToWrite::Floats(
        name, t.sizes().vec(),
        std::span<const float>(t.data_ptr<float>(), static_cast<size_t>(t.numel()))));
  }
  return model::WriteSafetensors(path, tensors, {{"format", "pt"}});
}

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
  SOUK_ASSIGN_OR_RETURN(auto weights, ReadWeights(StrCat(dir, "/", kWeightsFile)));
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
    SOUK_RETURN_IF_ERROR(internal::WriteWeights(StrCat(dir, "/", kWeightsFile), bert));
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
