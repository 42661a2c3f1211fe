#include "souk/train/pretrain.h"

#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>

#include "mlm_data_internal.h"
#include "model_files_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/bert_heads.h"
#include "souk/train/progress.h"
#include "torch_runtime_internal.h"

namespace souk::train {
namespace {

// Independent random streams of one run (masking.h's DeriveSeed).
constexpr uint64_t kShuffleStream = 1;
constexpr uint64_t kMaskStream = 2;
constexpr uint64_t kDropoutStream = 3;

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(field, ": ", what));
}

void ZeroPositionAndSegmentEmbeddings(torch::nn::Module& bert) {
  torch::NoGradGuard no_grad;
  torch::OrderedDict<std::string, torch::Tensor> named = bert.named_parameters();
  named["embeddings.position_embeddings.weight"].zero_();
  named["embeddings.token_type_embeddings.weight"].zero_();
}

// The model to train: `init_model_dir`'s weights and architecture, or a fresh one.
absl::StatusOr<model::BertForMaskedLM> BuildModel(const PretrainOptions& options,
                                                  const text::Tokenizer& tokenizer,
                                                  model::BertConfig* config) {
  if (options.init_model_dir.empty()) {
    *config = options.architecture;
    config->vocab_size = static_cast<int64_t>(tokenizer.vocab_size());
    config->pad_token_id = tokenizer.pad_id();
    config->architectures = {"BertForMaskedLM"};
    SOUK_RETURN_IF_ERROR(config->Validate());
    torch::manual_seed(DeriveSeed(options.runtime.seed, 0, 0));
    SOUK_ASSIGN_OR_RETURN(auto mlm, model::BertForMaskedLMImpl::Create(*config));
    if (options.bag_of_words_init) ZeroPositionAndSegmentEmbeddings(*mlm->bert());
    return model::BertForMaskedLM(mlm);
  }
  SOUK_ASSIGN_OR_RETURN(internal::ModelFiles files,
                        internal::ReadModelFiles(options.init_model_dir));
  *config = files.config;
  if (static_cast<int64_t>(tokenizer.vocab_size()) > config->vocab_size) {
    return absl::FailedPreconditionError(StrCat(options.init_model_dir, ": the tokenizer has ",
                                                tokenizer.vocab_size(), " pieces, the model ",
                                                config->vocab_size));
  }
  SOUK_ASSIGN_OR_RETURN(auto mlm, model::BertForMaskedLMImpl::Create(*config));
  std::map<std::string, torch::Tensor> weights;
  for (auto& [name, t] : files.weights) {
    weights[name.rfind("bert.", 0) == 0 || name.rfind("cls.", 0) == 0 ? name : "bert." + name] = t;
  }
  // A plain BertModel has no MLM head: it starts fresh, the encoder is loaded.
  SOUK_RETURN_IF_ERROR(mlm->LoadStateDict(weights, /*strict=*/false));
  return model::BertForMaskedLM(mlm);
}

torch::Tensor MlmLoss(model::BertForMaskedLM& mlm, const internal::MlmBatch& batch,
                      const torch::Device& device, bool mixed_precision) {
  const torch::Tensor ids = batch.input_ids.to(device);
  const torch::Tensor mask = batch.attention_mask.to(device);
  const torch::Tensor labels = batch.labels.to(device);
  internal::AutocastScope autocast(device, mixed_precision);
  const torch::Tensor hidden = mlm->bert()->forward(ids, mask).last_hidden_state;
  // Only masked positions reach the vocabulary projection: ~15% of the cost of all positions.
  const torch::Tensor chosen = labels.ne(kIgnoreLabel);
  const torch::Tensor logits = mlm->Logits(hidden.index({chosen}));
  return torch::nn::functional::cross_entropy(logits.to(torch::kFloat), labels.index({chosen}));
}

struct PretrainData {
  std::unique_ptr<text::Tokenizer> tokenizer;
  std::vector<internal::TokenizedLine> lines;
};

absl::StatusOr<PretrainData> LoadData(const PretrainOptions& options) {
  PretrainData data;
  SOUK_ASSIGN_OR_RETURN(data.tokenizer, encoder::LoadTokenizer(options.tokenizer_dir));
  CorpusStats stats;
  SOUK_ASSIGN_OR_RETURN(std::vector<std::string> corpus, ReadCorpus(options.corpus, &stats));
  SOUK_ASSIGN_OR_RETURN(auto analyzer, text::Analyzer::Create({}));
  data.lines =
      internal::TokenizeLines(corpus, *data.tokenizer, *analyzer, options.serving.max_length);
  if (data.lines.empty()) {
    return absl::FailedPreconditionError("corpus: no line gives any token");
  }
  SOUK_LOG_INFO("train", "pretrain corpus: ", corpus.size(), " lines (", stats.catalog_lines,
                " catalog, ", stats.review_lines, " reviews, ", stats.text_lines, " text), ",
                data.lines.size(), " sequences");
  return data;
}

}  // namespace

absl::Status PretrainOptions::Validate() const {
  if (tokenizer_dir.empty()) return Invalid("tokenizer_dir", "empty");
  if (out_dir.empty()) return Invalid("out_dir", "empty");
  if (batch_size < 1) return Invalid("batch_size", "must be >= 1");
  if (steps < 0) return Invalid("steps", "must be >= 0");
  if (bag_of_words_init && !init_model_dir.empty()) {
    return Invalid("bag_of_words_init", "initializes a fresh model, not init_model_dir's weights");
  }
  SOUK_RETURN_IF_ERROR(serving.Validate());
  if (serving.pooling == model::Pooling::kWeightedMean) {
    // Masked-LM training never pools, so it could not learn the token weights.
    return Invalid("pooling", "weighted_mean is learned by fine-tuning: pre-train with another");
  }
  SOUK_RETURN_IF_ERROR(optimizer.Validate());
  SOUK_RETURN_IF_ERROR(masking.Validate());
  return runtime.Validate();
}

absl::StatusOr<PretrainResult> RunPretraining(const PretrainOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const auto started = std::chrono::steady_clock::now();
  SOUK_ASSIGN_OR_RETURN(torch::Device device, internal::PrepareDevice(options.runtime));
  SOUK_ASSIGN_OR_RETURN(PretrainData data, LoadData(options));
  SOUK_RETURN_IF_ERROR(MakeDirectories(options.out_dir));
  model::BertConfig config;
  SOUK_ASSIGN_OR_RETURN(model::BertForMaskedLM mlm, BuildModel(options, *data.tokenizer, &config));
  SOUK_RETURN_IF_ERROR(options.serving.ValidateFor(config));
  if (options.steps == 0) {
    // The initialized model itself: where fine-tuning from scratch starts.
    PretrainResult result;
    for (const torch::Tensor& p : mlm->parameters()) result.parameters += p.numel();
    result.finished = true;
    SOUK_RETURN_IF_ERROR(internal::WriteModelDirectory(
        options.out_dir, config, options.serving, mlm->NamedParameters(), options.tokenizer_dir));
    return result;
  }
  try {
    mlm->to(device);
    mlm->train();
    auto optimizer = internal::MakeAdamW(*mlm, options.optimizer);
    const std::string checkpoint = StrCat(options.out_dir, "/checkpoint.pt");
    SOUK_ASSIGN_OR_RETURN(
        internal::TrainerState state,
        internal::ResumeIfAsked(options.runtime, checkpoint, *mlm, *optimizer, "pretrain"));
    const int64_t n = static_cast<int64_t>(data.lines.size());
    const int64_t batch = std::min(options.batch_size, n);
    const int64_t steps_per_epoch = n / batch;
    const int64_t last = options.runtime.stop_after_step > 0
                             ? std::min(options.steps, options.runtime.stop_after_step)
                             : options.steps;
    PretrainResult result;
    int64_t parameters = 0;
    for (const torch::Tensor& p : mlm->parameters()) parameters += p.numel();
    result.parameters = parameters;
    SOUK_LOG_INFO("train", "pretrain: ", parameters, " parameters, ", n, " sequences, ",
                  steps_per_epoch, " steps per epoch, ", options.steps, " steps on ", device.str());
    SOUK_ASSIGN_OR_RETURN(
        auto progress,
        ProgressReporter::Create({.task = "pretrain",
                                  .total_steps = options.steps,
                                  .first_step = state.step,
                                  .metrics_path = StrCat(options.out_dir, "/metrics.jsonl"),
                                  .log_every = options.runtime.log_every}));
    const MaskVocabulary vocabulary = internal::MaskVocabularyOf(*data.tokenizer);
    std::vector<int64_t> order;
    int64_t order_epoch = -1;
    double window_loss = 0;
    int64_t window_steps = 0;
    for (int64_t step = state.step; step < last; ++step) {
      const int64_t epoch = step / steps_per_epoch;
      if (epoch != order_epoch) {
        order =
            internal::SeededPermutation(n, DeriveSeed(options.runtime.seed, kShuffleStream, epoch));
        order_epoch = epoch;
      }
      const int64_t begin = (step % steps_per_epoch) * batch;
      const std::vector<int64_t> rows(order.begin() + begin, order.begin() + begin + batch);
      Rng rng(DeriveSeed(options.runtime.seed, kMaskStream, step));
      const internal::MlmBatch mlm_batch = internal::MakeMlmBatch(
          data.lines, rows, options.masking, vocabulary, data.tokenizer->pad_id(), rng);
      torch::manual_seed(DeriveSeed(options.runtime.seed, kDropoutStream, step));
      const double lr = LearningRateAt(step, options.steps, options.optimizer);
      internal::SetLearningRate(*optimizer, lr);
      optimizer->zero_grad();
      const torch::Tensor loss = MlmLoss(mlm, mlm_batch, device, options.runtime.mixed_precision);
      const double loss_value = loss.item<double>();
      if (!std::isfinite(loss_value)) {
        progress->Finish();
        return absl::InternalError(
            StrCat("pretrain: the loss is ", loss_value, " at step ", step + 1,
                   "; stopped without applying it. The last good checkpoint is ", checkpoint,
                   " (step ", state.step, "); lower --lr or raise --warmup and resume"));
      }
      loss.backward();
      internal::ClipGradients(*mlm, options.optimizer.max_grad_norm);
      optimizer->step();
      progress->Step(step + 1, epoch + 1, loss_value, lr, batch);
      window_loss += loss_value;
      ++window_steps;
      if (window_steps == options.runtime.log_every) {
        result.last_loss = window_loss / static_cast<double>(window_steps);
        window_loss = 0;
        window_steps = 0;
      }
      if ((step + 1) % options.runtime.checkpoint_every == 0 || step + 1 == last) {
        state.step = step + 1;
        SOUK_RETURN_IF_ERROR(internal::SaveCheckpoint(checkpoint, *mlm, *optimizer, state));
      }
    }
    if (window_steps > 0) result.last_loss = window_loss / static_cast<double>(window_steps);
    progress->Finish();
    result.steps = last;
    result.finished = last == options.steps;
    SOUK_RETURN_IF_ERROR(internal::WriteModelDirectory(
        options.out_dir, config, options.serving, mlm->NamedParameters(), options.tokenizer_dir));
    internal::RenderCurvesIfAsked(options.runtime, options.out_dir, "pretrain");
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("pretrain: ", e.what_without_backtrace()));
  }
}

}  // namespace souk::train
