#include "souk/encoder/sentiment_classifier.h"

#include <torch/torch.h>

#include <algorithm>
#include <mutex>

#include "absl/strings/numbers.h"
#include "length_batches_internal.h"
#include "nlohmann/json.hpp"
#include "souk/base/ascii.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/bert_config.h"
#include "souk/model/bert_heads.h"
#include "souk/model/device.h"
#include "souk/model/padding.h"
#include "souk/model/serving_config.h"
#include "souk/model/tensor_io.h"

namespace souk::encoder {
namespace {

constexpr char kClassifierWeight[] = "classifier.weight";

// The label id2label calls positive; label 1 of an unnamed two-label model.
absl::StatusOr<int64_t> PositiveLabel(const model::BertConfig& config, int64_t labels,
                                      const std::string& dir) {
  const auto names = config.extra.find("id2label");
  if (names != config.extra.end()) {
    const nlohmann::json id2label = nlohmann::json::parse(names->second, nullptr, false);
    if (id2label.is_object()) {
      for (const auto& [id, name] : id2label.items()) {
        if (!name.is_string()) continue;
        const std::string lower = AsciiLower(name.get<std::string>());
        int64_t label = 0;
        if ((lower == "positive" || lower == "pos") && absl::SimpleAtoi(id, &label)) return label;
      }
    }
  }
  if (labels == 2) return 1;
  return absl::FailedPreconditionError(
      StrCat(dir, "/", kConfigFile, ": ", labels, " labels and none named positive in id2label"));
}

}  // namespace

struct SentimentClassifier::Impl {
  SentimentOptions options;
  std::unique_ptr<text::Tokenizer> tokenizer;
  model::BertForSequenceClassification classifier{nullptr};
  torch::Device device{torch::kCPU};
  int64_t max_length = 128;
  int64_t positive = 1;
  std::mutex forward_mutex;  // one forward pass at a time: the module is not reentrant on CUDA

  /// P(positive) of each encoding of `batch`, padded to the longest.
  absl::StatusOr<std::vector<float>> ScoreBatch(const std::vector<const text::Encoding*>& batch);
};

absl::Status SentimentOptions::Validate() const {
  if (model_dir.empty()) return absl::InvalidArgumentError("sentiment.model_dir: empty");
  if (batch_size == 0) return absl::InvalidArgumentError("sentiment.batch_size: must be >= 1");
  if (threads < 0) return absl::InvalidArgumentError("sentiment.threads: must be >= 0");
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SentimentClassifier>> SentimentClassifier::Load(
    const SentimentOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  const std::string& dir = options.model_dir;
  SOUK_ASSIGN_OR_RETURN(impl->device, model::ResolveDevice(options.device, "sentiment.device"));
  SOUK_ASSIGN_OR_RETURN(const model::BertConfig config,
                        model::BertConfig::Load(StrCat(dir, "/", kConfigFile)));
  absl::StatusOr<model::ServingConfig> serving =
      model::ServingConfig::Load(StrCat(dir, "/", kServingFile));
  if (serving.ok()) {
    impl->max_length = std::min(serving->max_length, config.max_position_embeddings);
  } else if (!absl::IsNotFound(serving.status())) {
    return serving.status();
  } else {
    impl->max_length = std::min<int64_t>(impl->max_length, config.max_position_embeddings);
  }
  SOUK_ASSIGN_OR_RETURN(auto weights, model::ReadTensors(StrCat(dir, "/", kWeightsFile)));
  const auto head = weights.find(kClassifierWeight);
  if (head == weights.end() || head->second.dim() != 2) {
    return absl::FailedPreconditionError(StrCat(dir, "/", kWeightsFile, ": no ", kClassifierWeight,
                                                " matrix: not a sequence classification model"));
  }
  const int64_t labels = head->second.size(0);
  SOUK_ASSIGN_OR_RETURN(impl->positive, PositiveLabel(config, labels, dir));
  if (impl->positive < 0 || impl->positive >= labels) {
    return absl::FailedPreconditionError(
        StrCat(dir, "/", kConfigFile, ": positive label ", impl->positive, " of ", labels));
  }
  SOUK_ASSIGN_OR_RETURN(impl->tokenizer, LoadTokenizer(dir));
  try {
    if (options.threads > 0) at::set_num_threads(options.threads);
    SOUK_ASSIGN_OR_RETURN(auto classifier,
                          model::BertForSequenceClassificationImpl::Create(config, labels));
    SOUK_RETURN_IF_ERROR(classifier->LoadStateDict(weights, /*strict=*/true));
    classifier->eval();
    if (impl->device.is_cuda()) classifier->to(impl->device, torch::kHalf);
    impl->classifier = model::BertForSequenceClassification(classifier);
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat(dir, ": ", e.what_without_backtrace()));
  }
  SOUK_LOG_INFO("sentiment", "loaded ", dir, ": ", labels, " labels, positive ", impl->positive,
                ", max_length ", impl->max_length, ", ", impl->device.str());
  return std::unique_ptr<SentimentClassifier>(new SentimentClassifier(std::move(impl)));
}

SentimentClassifier::SentimentClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SentimentClassifier::~SentimentClassifier() = default;

const std::string& SentimentClassifier::model_dir() const { return impl_->options.model_dir; }

absl::StatusOr<std::vector<float>> SentimentClassifier::Impl::ScoreBatch(
    const std::vector<const text::Encoding*>& batch) {
  std::vector<const std::vector<int64_t>*> rows;
  rows.reserve(batch.size());
  for (const text::Encoding* encoding : batch) rows.push_back(&encoding->ids);
  const auto [ids, mask] = model::PadRows(rows, tokenizer->pad_id());
  const auto b = static_cast<int64_t>(batch.size());
  try {
    torch::InferenceMode inference;
    std::lock_guard<std::mutex> lock(forward_mutex);
    const torch::Tensor probabilities =
        torch::softmax(classifier->forward(ids.to(device), mask.to(device)).to(torch::kFloat), 1)
            .select(1, positive)
            .to(torch::kCPU)
            .contiguous();
    const float* p = probabilities.data_ptr<float>();
    return std::vector<float>(p, p + b);
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("sentiment forward: ", e.what_without_backtrace()));
  }
}

// Texts are batched shortest first (length_batches_internal.h).
absl::StatusOr<std::vector<float>> SentimentClassifier::Score(
    std::span<const std::string> texts) const {
  std::vector<text::Encoding> encodings;
  encodings.reserve(texts.size());
  for (const std::string& text : texts) {
    encodings.push_back(impl_->tokenizer->Encode(text, static_cast<size_t>(impl_->max_length)));
  }
  std::vector<size_t> lengths;
  lengths.reserve(encodings.size());
  for (const text::Encoding& encoding : encodings) lengths.push_back(encoding.ids.size());
  std::vector<float> scores(texts.size());
  std::vector<const text::Encoding*> batch;
  for (const std::vector<size_t>& positions :
       internal::LengthSortedBatches(lengths, impl_->options.batch_size)) {
    batch.clear();
    for (size_t i : positions) batch.push_back(&encodings[i]);
    SOUK_ASSIGN_OR_RETURN(const std::vector<float> part, impl_->ScoreBatch(batch));
    for (size_t j = 0; j < positions.size(); ++j) scores[positions[j]] = part[j];
  }
  return scores;
}

}  // namespace souk::encoder
