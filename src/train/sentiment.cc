#include "souk/train/sentiment.h"

#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "model_files_internal.h"
#include "nlohmann/json.hpp"
#include "sentiment_batches_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/bert_heads.h"
#include "souk/train/labeled_reviews.h"
#include "souk/train/masking.h"
#include "souk/train/progress.h"
#include "torch_runtime_internal.h"

namespace souk::train {
namespace {

using internal::ReviewExamples;

// Independent random streams of one run (masking.h's DeriveSeed).
constexpr uint64_t kShuffleStream = 1;
constexpr uint64_t kDropoutStream = 3;
constexpr uint64_t kHeadStream = 4;
constexpr int64_t kLabels = 2;
constexpr int64_t kEvalBatch = 64;

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(field, ": ", what));
}

struct SentimentData {
  std::unique_ptr<text::Tokenizer> tokenizer;
  ReviewExamples train;
  ReviewExamples heldout;
};

absl::StatusOr<SentimentData> LoadData(const SentimentOptions& options) {
  SentimentData data;
  SOUK_ASSIGN_OR_RETURN(data.tokenizer, encoder::LoadTokenizer(options.base_model_dir));
  for (const std::string& path : options.reviews) {
    SOUK_ASSIGN_OR_RETURN(const std::vector<LabeledReview> reviews, ReadLabeledReviews(path));
    for (const LabeledReview& review : reviews) {
      if (review.label == kUnlabeled) continue;
      (IsHeldOutReview(review.text) ? data.heldout : data.train)
          .Add(review, *data.tokenizer, options.max_length);
    }
  }
  if (data.train.size() == 0 || data.heldout.size() == 0) {
    return absl::FailedPreconditionError(StrCat("reviews: ", data.train.size(),
                                                " labeled training and ", data.heldout.size(),
                                                " held-out reviews; both sides need some"));
  }
  return data;
}

// BertForSequenceClassification over the base model's encoder; the pooler (when the base has
// none, as a masked-LM model) and the classifier start fresh, everything else must load.
absl::StatusOr<model::BertForSequenceClassification> BuildModel(const internal::ModelFiles& files,
                                                                const std::string& dir,
                                                                uint64_t seed,
                                                                model::BertConfig* config) {
  *config = files.config;
  config->architectures = {"BertForSequenceClassification"};
  config->extra["id2label"] = R"({"0": "negative", "1": "positive"})";
  config->extra["label2id"] = R"({"negative": 0, "positive": 1})";
  torch::manual_seed(seed);
  SOUK_ASSIGN_OR_RETURN(auto classifier,
                        model::BertForSequenceClassificationImpl::Create(*config, kLabels));
  std::map<std::string, torch::Tensor> weights;
  for (const auto& [name, t] : files.weights) {
    if (name.rfind("cls.", 0) == 0) continue;  // a masked-LM head
    weights[name.rfind("bert.", 0) == 0 ? name : "bert." + name] = t;
  }
  model::StateDictReport report;
  SOUK_RETURN_IF_ERROR(classifier->LoadStateDict(weights, /*strict=*/false, &report));
  for (const std::string& missing : report.missing) {
    if (missing.find("pooler.") == std::string::npos &&
        missing.rfind("classifier.", 0) == std::string::npos) {
      return absl::FailedPreconditionError(
          StrCat(dir, ": the base model lacks the encoder tensor ", missing));
    }
  }
  return model::BertForSequenceClassification(classifier);
}

torch::Tensor Logits(model::BertForSequenceClassification& classifier,
                     const internal::ReviewBatch& batch, const torch::Device& device,
                     bool mixed_precision) {
  internal::AutocastScope autocast(device, mixed_precision);
  return classifier->forward(batch.input_ids.to(device), batch.attention_mask.to(device))
      .to(torch::kFloat);
}

// Accuracy on `examples` per category, in category order.
std::vector<CategoryAccuracy> Evaluate(model::BertForSequenceClassification& classifier,
                                       const ReviewExamples& examples, int64_t pad_id,
                                       const torch::Device& device, bool mixed_precision) {
  torch::NoGradGuard no_grad;
  classifier->eval();
  std::map<std::string, CategoryAccuracy> per_category;
  for (const std::vector<int64_t>& rows : examples.LengthSortedBatches(kEvalBatch)) {
    const internal::ReviewBatch batch = examples.Batch(rows, pad_id);
    const torch::Tensor predicted =
        Logits(classifier, batch, device, mixed_precision).argmax(1).cpu();
    const auto* labels = batch.labels.data_ptr<int64_t>();
    const auto* guesses = predicted.data_ptr<int64_t>();
    for (size_t i = 0; i < rows.size(); ++i) {
      CategoryAccuracy& category = per_category[examples.category(rows[i])];
      ++category.reviews;
      category.correct += labels[i] == guesses[i] ? 1 : 0;
    }
  }
  classifier->train();
  std::vector<CategoryAccuracy> out;
  for (auto& [name, accuracy] : per_category) {
    accuracy.category = name;
    out.push_back(accuracy);
  }
  return out;
}

double OverallAccuracy(const std::vector<CategoryAccuracy>& categories) {
  CategoryAccuracy all;
  for (const CategoryAccuracy& c : categories) {
    all.reviews += c.reviews;
    all.correct += c.correct;
  }
  return all.accuracy();
}

absl::Status WriteEvaluation(const std::string& out_dir, const SentimentResult& result) {
  nlohmann::json j;
  j["train_reviews"] = result.train_reviews;
  j["heldout_reviews"] = result.heldout_reviews;
  j["accuracy"] = result.heldout_accuracy;
  for (const CategoryAccuracy& c : result.categories) {
    j["categories"].push_back(
        {{"category", c.category}, {"reviews", c.reviews}, {"accuracy", c.accuracy()}});
  }
  for (const SentimentEpoch& e : result.history) {
    j["epochs"].push_back({{"epoch", e.epoch},
                           {"train_loss", e.train_loss},
                           {"heldout_accuracy", e.heldout_accuracy}});
  }
  return WriteFileAtomically(StrCat(out_dir, "/eval.json"), j.dump(2) + "\n");
}

}  // namespace

absl::Status SentimentOptions::Validate() const {
  if (reviews.empty()) return Invalid("reviews", "no review file");
  if (base_model_dir.empty()) return Invalid("base_model_dir", "empty");
  if (out_dir.empty()) return Invalid("out_dir", "empty");
  if (max_length < 3) return Invalid("max_length", "must be >= 3 ([CLS], a piece, [SEP])");
  if (batch_size < 1) return Invalid("batch_size", "must be >= 1");
  if (epochs < 1) return Invalid("epochs", "must be >= 1");
  SOUK_RETURN_IF_ERROR(optimizer.Validate());
  return runtime.Validate();
}

absl::StatusOr<SentimentResult> RunSentimentTraining(const SentimentOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const auto started = std::chrono::steady_clock::now();
  SOUK_ASSIGN_OR_RETURN(torch::Device device, internal::PrepareDevice(options.runtime));
  SOUK_ASSIGN_OR_RETURN(internal::ModelFiles files,
                        internal::ReadModelFiles(options.base_model_dir));
  model::ServingConfig serving = files.serving;
  serving.max_length = options.max_length;
  SOUK_RETURN_IF_ERROR(serving.ValidateFor(files.config));
  SOUK_ASSIGN_OR_RETURN(SentimentData data, LoadData(options));
  SOUK_RETURN_IF_ERROR(MakeDirectories(options.out_dir));
  model::BertConfig config;
  SOUK_ASSIGN_OR_RETURN(model::BertForSequenceClassification classifier,
                        BuildModel(files, options.base_model_dir,
                                   DeriveSeed(options.runtime.seed, kHeadStream, 0), &config));
  SentimentResult result;
  result.train_reviews = data.train.size();
  result.heldout_reviews = data.heldout.size();
  for (const torch::Tensor& p : classifier->parameters()) result.parameters += p.numel();
  const int64_t pad_id = data.tokenizer->pad_id();
  try {
    classifier->to(device);
    classifier->train();
    auto optimizer = internal::MakeAdamW(*classifier, options.optimizer);
    const std::string checkpoint = StrCat(options.out_dir, "/checkpoint.pt");
    SOUK_ASSIGN_OR_RETURN(
        internal::TrainerState state,
        internal::ResumeIfAsked(options.runtime, checkpoint, *classifier, *optimizer, "sentiment"));
    const int64_t batch = std::min<int64_t>(options.batch_size, data.train.size());
    const int64_t steps_per_epoch = data.train.size() / batch;
    const int64_t total = steps_per_epoch * options.epochs;
    const int64_t last = options.runtime.stop_after_step > 0
                             ? std::min(total, options.runtime.stop_after_step)
                             : total;
    SOUK_LOG_INFO("train", "sentiment: ", result.parameters, " parameters, ", result.train_reviews,
                  " training and ", result.heldout_reviews, " held-out reviews, ", steps_per_epoch,
                  " steps per epoch on ", device.str());
    SOUK_ASSIGN_OR_RETURN(
        auto progress,
        ProgressReporter::Create({.task = "sentiment",
                                  .total_steps = total,
                                  .first_step = state.step,
                                  .metrics_path = StrCat(options.out_dir, "/metrics.jsonl"),
                                  .log_every = options.runtime.log_every}));
    std::vector<std::vector<int64_t>> plan;
    int64_t plan_epoch = -1;
    double epoch_loss = 0;
    int64_t epoch_steps = 0;
    for (int64_t step = state.step; step < last; ++step) {
      const int64_t epoch = step / steps_per_epoch;
      if (epoch != plan_epoch) {
        plan = data.train.ShuffledBatches(batch,
                                          DeriveSeed(options.runtime.seed, kShuffleStream, epoch));
        plan_epoch = epoch;
      }
      const internal::ReviewBatch reviews = data.train.Batch(plan[step % steps_per_epoch], pad_id);
      torch::manual_seed(DeriveSeed(options.runtime.seed, kDropoutStream, step));
      const double lr = LearningRateAt(step, total, options.optimizer);
      internal::SetLearningRate(*optimizer, lr);
      optimizer->zero_grad();
      const torch::Tensor loss = torch::nn::functional::cross_entropy(
          Logits(classifier, reviews, device, options.runtime.mixed_precision),
          reviews.labels.to(device));
      const double loss_value = loss.item<double>();
      if (!std::isfinite(loss_value)) {
        progress->Finish();
        return absl::InternalError(
            StrCat("sentiment: the loss is ", loss_value, " at step ", step + 1,
                   "; stopped without applying it. The last good checkpoint is ", checkpoint,
                   " (step ", state.step, "); lower --lr or raise --warmup and resume"));
      }
      loss.backward();
      internal::ClipGradients(*classifier, options.optimizer.max_grad_norm);
      optimizer->step();
      progress->Step(step + 1, epoch + 1, loss_value, lr, batch);
      epoch_loss += loss_value;
      ++epoch_steps;
      if ((step + 1) % steps_per_epoch == 0) {
        result.categories =
            Evaluate(classifier, data.heldout, pad_id, device, options.runtime.mixed_precision);
        result.heldout_accuracy = OverallAccuracy(result.categories);
        result.history.push_back(
            {epoch + 1, epoch_loss / static_cast<double>(epoch_steps), result.heldout_accuracy});
        progress->Eval(step + 1, epoch + 1, {{"accuracy", result.heldout_accuracy}});
        epoch_loss = 0;
        epoch_steps = 0;
      }
      if ((step + 1) % options.runtime.checkpoint_every == 0 || step + 1 == last) {
        state.step = step + 1;
        SOUK_RETURN_IF_ERROR(internal::SaveCheckpoint(checkpoint, *classifier, *optimizer, state));
      }
    }
    progress->Finish();
    result.finished = last == total;
    if (result.finished && result.history.empty()) {
      // Resumed after the last epoch's evaluation was written: measure the model again.
      result.categories =
          Evaluate(classifier, data.heldout, pad_id, device, options.runtime.mixed_precision);
      result.heldout_accuracy = OverallAccuracy(result.categories);
    }
    if (!result.finished) return result;
    SOUK_RETURN_IF_ERROR(internal::WriteModelDirectory(
        options.out_dir, config, serving, classifier->NamedParameters(), options.base_model_dir));
    SOUK_RETURN_IF_ERROR(WriteEvaluation(options.out_dir, result));
    internal::RenderCurvesIfAsked(options.runtime, options.out_dir, "sentiment");
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("sentiment: ", e.what_without_backtrace()));
  }
}

}  // namespace souk::train
