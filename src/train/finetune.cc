#include "souk/train/finetune.h"

#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>

#include "dense_internal.h"
#include "finetune_data_internal.h"
#include "model_files_internal.h"
#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/pooling.h"
#include "souk/train/masking.h"
#include "souk/train/progress.h"
#include "torch_runtime_internal.h"

namespace souk::train {
namespace {

using internal::FinetuneData;
using internal::TrainingPair;

constexpr uint64_t kShuffleStream = 11;
constexpr uint64_t kNegativeStream = 12;
constexpr uint64_t kDropoutStream = 13;
constexpr uint64_t kPseudoStream = 14;

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(field, ": ", what));
}

// What one run trains: the encoder, how it pools, and its tokenizer.
struct BiEncoder {
  model::BertConfig config;
  std::unique_ptr<text::Tokenizer> tokenizer;
  internal::PooledBert net;
  // Every parameter trained (the BERT's and weighted_mean's token weights), as the optimizer,
  // gradient clipping and checkpoints see them.
  std::shared_ptr<torch::nn::Module> trainable;
};

absl::StatusOr<BiEncoder> LoadBiEncoder(const FinetuneOptions& options) {
  BiEncoder encoder;
  SOUK_ASSIGN_OR_RETURN(internal::ModelFiles files,
                        internal::ReadModelFiles(options.base_model_dir));
  SOUK_ASSIGN_OR_RETURN(encoder.tokenizer, encoder::LoadTokenizer(options.base_model_dir));
  encoder.config = files.config;
  encoder.config.architectures = {"BertModel"};
  model::ServingConfig& serving = encoder.net.serving;
  serving = files.serving;
  if (!options.pooling.empty()) {
    std::optional<model::Pooling> pooling = model::ParsePooling(options.pooling);
    if (!pooling)
      return Invalid("pooling",
                     StrCat("'", options.pooling, "' is not cls, mean, weighted_mean or pooler"));
    serving.pooling = *pooling;
  }
  serving.distinct_tokens = options.distinct_tokens;  // checked by ValidateFor below
  serving.length_pivot = options.length_pivot > 0;
  // Cosine similarity is what the loss trains and what retrieval ranks by.
  serving.normalize = true;
  serving.max_length = std::max(options.max_query_length, options.max_product_length);
  SOUK_RETURN_IF_ERROR(serving.ValidateFor(encoder.config));
  // A BertForMaskedLM checkpoint carries an MLM head too: it is not needed here.
  SOUK_ASSIGN_OR_RETURN(encoder.net.bert, internal::BuildBert(encoder.config, serving.pooling,
                                                              files, options.base_model_dir));
  const std::string weights_path = StrCat(options.base_model_dir, "/", encoder::kWeightsFile);
  if (serving.pooling == model::Pooling::kWeightedMean) {
    // Undefined when the base model has none: PrepareTrainable starts them from the catalog.
    SOUK_ASSIGN_OR_RETURN(
        encoder.net.token_log_weights,
        model::FindTokenLogWeights(files.weights, encoder.config.vocab_size, weights_path));
  }
  if (serving.length_pivot) {
    // Undefined when the base model has none: PrepareTrainable starts it.
    SOUK_ASSIGN_OR_RETURN(encoder.net.log_length_pivot,
                          model::FindLogLengthPivot(files.weights, weights_path));
  }
  return encoder;
}

// Registers what `encoder` trains in one module and moves it to `device`. weighted_mean pooling
// without token weights from the base model starts from IDF^idf_power over the product texts;
// a length pivot the base model lacks is options.length_pivot x sqrt(hidden size): each token
// state has about that norm (LayerNorm's output), so the pivot counts in token states.
void PrepareTrainable(BiEncoder& encoder, const FinetuneData& data, const FinetuneOptions& options,
                      const torch::Device& device) {
  internal::PooledBert& net = encoder.net;
  encoder.trainable = std::make_shared<torch::nn::Module>("BiEncoder");
  encoder.trainable->register_module("bert", net.bert.ptr());
  if (net.serving.pooling == model::Pooling::kWeightedMean) {
    if (!net.token_log_weights.defined()) {
      net.token_log_weights =
          internal::LogIdfWeights(data.products, encoder.config.vocab_size, options.idf_power);
    }
    net.token_log_weights =
        encoder.trainable->register_parameter("token_log_weights", net.token_log_weights);
  }
  if (net.serving.length_pivot) {
    // A setting, not trained: trained with the model it did no better on Home Depot's
    // held-out queries than held fixed (bench/RESULTS.md).
    if (!net.log_length_pivot.defined()) {
      const double start =
          options.length_pivot * std::sqrt(static_cast<double>(encoder.config.hidden_size));
      net.log_length_pivot = torch::full({1}, std::log(start), torch::kFloat);
    }
    net.log_length_pivot = net.log_length_pivot.to(device);
  }
  encoder.trainable->to(device);
  encoder.trainable->train();
}

// The weights as model.safetensors stores them: Hugging Face names, plus the pooling's own.
std::map<std::string, torch::Tensor> ModelWeights(const BiEncoder& encoder) {
  std::map<std::string, torch::Tensor> weights = encoder.net.bert->NamedParameters();
  if (encoder.net.token_log_weights.defined()) {
    weights[model::kTokenLogWeightsTensor] = encoder.net.token_log_weights;
  }
  if (encoder.net.log_length_pivot.defined()) {
    weights[model::kLogLengthPivotTensor] = encoder.net.log_length_pivot;
  }
  return weights;
}

torch::Tensor Embed(BiEncoder& encoder, const std::vector<const text::Encoding*>& texts,
                    model::TextRole role, const torch::Device& device) {
  auto [ids, mask] = internal::PadBatch(texts, encoder.tokenizer->pad_id());
  return encoder.net.Embed(ids.to(device), mask.to(device), role);
}

// InfoNCE over the batch's positives and hard negatives; a candidate that is another positive
// of the same query is masked out, not pushed away.
torch::Tensor ContrastiveLoss(BiEncoder& encoder, const FinetuneData& data,
                              const internal::PseudoQueries& pseudo,
                              const std::vector<TrainingPair>& pairs,
                              const std::vector<uint32_t>& negatives,
                              const FinetuneOptions& options, const torch::Device& device) {
  const size_t judged = data.train.size();
  std::vector<const text::Encoding*> queries;
  std::vector<uint32_t> candidates;
  for (const TrainingPair& p : pairs) {
    queries.push_back(p.query < judged ? &data.train_queries[p.query]
                                       : &pseudo.queries[p.query - judged]);
    candidates.push_back(p.doc);
  }
  candidates.insert(candidates.end(), negatives.begin(), negatives.end());
  std::vector<const text::Encoding*> docs;
  for (uint32_t d : candidates) docs.push_back(&data.products[d]);
  const auto b = static_cast<int64_t>(pairs.size());
  const auto c = static_cast<int64_t>(candidates.size());
  torch::Tensor masked = torch::zeros({b, c}, torch::kBool);
  auto masked_a = masked.accessor<bool, 2>();
  for (int64_t i = 0; i < b; ++i) {
    const TrainingPair& p = pairs[static_cast<size_t>(i)];
    for (int64_t j = 0; j < c; ++j) {
      const uint32_t doc = candidates[static_cast<size_t>(j)];
      // A pseudo query's only known positive is the product it was cut from.
      masked_a[i][j] =
          j != i && (p.query < judged ? data.positives[p.query].contains(doc) : doc == p.doc);
    }
  }
  internal::AutocastScope autocast(device, options.runtime.mixed_precision);
  const torch::Tensor q = Embed(encoder, queries, model::TextRole::kQuery, device);
  const torch::Tensor d = Embed(encoder, docs, model::TextRole::kProduct, device);
  const torch::Tensor logits = (torch::matmul(q, d.t()).to(torch::kFloat) / options.temperature)
                                   .masked_fill(masked.to(device), -1e9);
  return torch::nn::functional::cross_entropy(logits, torch::arange(b, torch::kLong).to(device));
}

std::vector<uint32_t> SampleNegatives(const FinetuneData& data,
                                      const std::vector<TrainingPair>& pairs,
                                      const FinetuneOptions& options, Rng& rng) {
  std::vector<uint32_t> out;
  for (const TrainingPair& p : pairs) {
    if (p.query >= data.train.size()) continue;  // pseudo queries: in-batch negatives only
    const std::vector<uint32_t>& pool = data.hard_negatives[p.query];
    for (int64_t i = 0; i < options.hard_negatives && !pool.empty(); ++i) {
      out.push_back(pool[rng.Below(pool.size())]);
    }
  }
  return out;
}

std::map<std::string, double> EvaluateHeldout(BiEncoder& encoder, const FinetuneData& data,
                                              const FinetuneOptions& options,
                                              const torch::Device& device) {
  const int64_t batch = 128;
  const torch::Tensor docs =
      internal::EmbedEncodings(encoder.net, data.products, model::TextRole::kProduct,
                               encoder.tokenizer->pad_id(), device, batch);
  const torch::Tensor queries =
      internal::EmbedEncodings(encoder.net, data.heldout_queries, model::TextRole::kQuery,
                               encoder.tokenizer->pad_id(), device, batch);
  auto [indices, scores] =
      internal::TopKByDot(queries, docs, std::max<int64_t>(options.eval_k, 10));
  auto idx = indices.accessor<int64_t, 2>();
  std::vector<std::vector<std::string>> rankings(data.heldout.size());
  std::vector<const eval::Judgments*> judgments;
  for (size_t q = 0; q < data.heldout.size(); ++q) {
    judgments.push_back(&data.heldout[q].judgments);
    for (int64_t j = 0; j < indices.size(1); ++j) {
      rankings[q].push_back(
          data.catalog
              ->product(catalog::DocId(static_cast<uint32_t>(idx[static_cast<int64_t>(q)][j])))
              .id);
    }
  }
  return internal::RankingMetrics(rankings, judgments, options.eval_k, options.metrics);
}

absl::Status WriteBest(BiEncoder& encoder, const FinetuneOptions& options, int64_t epoch,
                       const std::map<std::string, double>& metrics) {
  SOUK_RETURN_IF_ERROR(internal::WriteModelDirectory(options.out_dir, encoder.config,
                                                     encoder.net.serving, ModelWeights(encoder),
                                                     options.base_model_dir));
  nlohmann::json j = {{"epoch", epoch}, {"heldout", metrics}};
  return WriteFileAtomically(StrCat(options.out_dir, "/eval.json"), j.dump(2) + "\n");
}

// The training loop's position and what it decided so far.
struct Loop {
  const FinetuneOptions& options;
  const FinetuneData& data;
  BiEncoder& encoder;
  torch::Device device;
  torch::optim::AdamW& optimizer;
  ProgressReporter& progress;
  internal::TrainerState state;
  FinetuneResult result;
  std::string checkpoint;
  int64_t checkpoint_step = 0;     // the step checkpoint.pt holds
  internal::PseudoQueries pseudo;  // this epoch's
  double epoch_loss = 0;
  int64_t epoch_steps = 0;
};

// Evaluates after `epoch` (1-based; 0 = before training), keeps the model when it is the best.
absl::Status EndEpoch(Loop& loop, int64_t epoch) {
  EpochMetrics entry;
  entry.epoch = epoch;
  entry.train_loss =
      loop.epoch_steps > 0 ? loop.epoch_loss / static_cast<double>(loop.epoch_steps) : 0;
  loop.epoch_loss = 0;
  loop.epoch_steps = 0;
  const bool has_heldout = !loop.data.heldout.empty();
  if (has_heldout) {
    entry.heldout = EvaluateHeldout(loop.encoder, loop.data, loop.options, loop.device);
    loop.progress.Eval(loop.state.step, epoch, entry.heldout);
  }
  const double ndcg = has_heldout ? entry.heldout["ndcg@10"] : static_cast<double>(epoch);
  loop.result.history.push_back(entry);
  if (ndcg > loop.state.best_metric) {
    loop.state.best_metric = ndcg;
    loop.state.best_epoch = epoch;
    loop.state.epochs_without_gain = 0;
    return WriteBest(loop.encoder, loop.options, epoch, entry.heldout);
  }
  ++loop.state.epochs_without_gain;
  return absl::OkStatus();
}

// Pair `index` of an epoch: the judged pairs first, then the epoch's pseudo queries.
TrainingPair EpochPair(const Loop& loop, int64_t index) {
  const auto judged = static_cast<int64_t>(loop.data.pairs.size());
  if (index < judged) return loop.data.pairs[static_cast<size_t>(index)];
  const auto i = static_cast<size_t>(index - judged);
  return {static_cast<uint32_t>(loop.data.train.size() + i), loop.pseudo.docs[i]};
}

absl::Status TrainStep(Loop& loop, int64_t step, const std::vector<int64_t>& order, int64_t batch,
                       int64_t steps_per_epoch, int64_t total_steps) {
  const FinetuneOptions& options = loop.options;
  const int64_t begin = (step % steps_per_epoch) * batch;
  std::vector<TrainingPair> pairs;
  for (int64_t i = begin; i < begin + batch; ++i) {
    pairs.push_back(EpochPair(loop, order[static_cast<size_t>(i)]));
  }
  Rng rng(DeriveSeed(options.runtime.seed, kNegativeStream, static_cast<uint64_t>(step)));
  const std::vector<uint32_t> negatives = SampleNegatives(loop.data, pairs, options, rng);
  torch::manual_seed(DeriveSeed(options.runtime.seed, kDropoutStream, static_cast<uint64_t>(step)));
  const double lr = LearningRateAt(step, total_steps, options.optimizer);
  internal::SetLearningRate(loop.optimizer, lr);
  loop.optimizer.zero_grad();
  const torch::Tensor loss =
      ContrastiveLoss(loop.encoder, loop.data, loop.pseudo, pairs, negatives, options, loop.device);
  const double loss_value = loss.item<double>();
  if (!std::isfinite(loss_value)) {
    return absl::InternalError(StrCat("finetune: the loss is ", loss_value, " at step ", step + 1,
                                      "; stopped without applying it. The last good checkpoint is ",
                                      loop.checkpoint, " (step ", loop.checkpoint_step,
                                      "), the best model is in ", options.out_dir));
  }
  loss.backward();
  internal::ClipGradients(*loop.encoder.trainable, options.optimizer.max_grad_norm);
  loop.optimizer.step();
  loop.progress.Step(step + 1, step / steps_per_epoch + 1, loss_value, lr, batch);
  loop.epoch_loss += loss_value;
  ++loop.epoch_steps;
  return absl::OkStatus();
}

absl::Status RunLoop(Loop& loop) {
  const FinetuneOptions& options = loop.options;
  const int64_t n = static_cast<int64_t>(loop.data.pairs.size()) + options.pseudo_queries;
  const int64_t batch = std::min(options.batch_size, n);
  const int64_t steps_per_epoch = n / batch;
  const int64_t total_steps = steps_per_epoch * options.epochs;
  const int64_t last = options.runtime.stop_after_step > 0
                           ? std::min(total_steps, options.runtime.stop_after_step)
                           : total_steps;
  if (loop.state.step == 0) SOUK_RETURN_IF_ERROR(EndEpoch(loop, 0));
  std::vector<int64_t> order;
  int64_t order_epoch = -1;
  for (int64_t step = loop.state.step; step < last; ++step) {
    if (loop.state.epochs_without_gain >= options.patience) {
      SOUK_LOG_INFO("train", "finetune: no gain for ", options.patience, " epochs; stopping");
      break;
    }
    const int64_t epoch = step / steps_per_epoch;
    if (epoch != order_epoch) {
      order = internal::SeededPermutation(
          n, DeriveSeed(options.runtime.seed, kShuffleStream, static_cast<uint64_t>(epoch)));
      Rng rng(DeriveSeed(options.runtime.seed, kPseudoStream, static_cast<uint64_t>(epoch)));
      loop.pseudo =
          internal::MakePseudoQueries(*loop.data.catalog, *loop.encoder.tokenizer,
                                      options.pseudo_queries, options.max_query_length, rng);
      order_epoch = epoch;
    }
    SOUK_RETURN_IF_ERROR(TrainStep(loop, step, order, batch, steps_per_epoch, total_steps));
    const bool epoch_done = (step + 1) % steps_per_epoch == 0;
    loop.state.step = step + 1;
    if (epoch_done) SOUK_RETURN_IF_ERROR(EndEpoch(loop, epoch + 1));
    if (epoch_done || (step + 1) % options.runtime.checkpoint_every == 0 || step + 1 == last) {
      SOUK_RETURN_IF_ERROR(internal::SaveCheckpoint(loop.checkpoint, *loop.encoder.trainable,
                                                    loop.optimizer, loop.state));
      loop.checkpoint_step = loop.state.step;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FinetuneOptions::Validate() const {
  if (base_model_dir.empty()) return Invalid("base_model_dir", "empty");
  if (out_dir.empty()) return Invalid("out_dir", "empty");
  if (catalogs.empty()) return Invalid("catalogs", "no catalog file");
  if (qrels.empty() && sessions.empty()) return Invalid("qrels", "no qrels or sessions file");
  if (!(heldout_fraction >= 0 && heldout_fraction < 1)) {
    return Invalid("heldout_fraction", "must be in [0, 1)");
  }
  if (!(temperature > 0)) return Invalid("temperature", "must be > 0");
  if (batch_size < 1) return Invalid("batch_size", "must be >= 1");
  if (hard_negatives < 0) return Invalid("hard_negatives", "must be >= 0");
  if (hard_negative_depth < 1) return Invalid("hard_negative_depth", "must be >= 1");
  if (pseudo_queries < 0) return Invalid("pseudo_queries", "must be >= 0");
  if (!(idf_power > 0 && idf_power <= 4)) return Invalid("idf_power", "must be in (0, 4]");
  if (!(length_pivot >= 0 && length_pivot <= 1000)) {
    return Invalid("length_pivot", "must be in [0, 1000]");
  }
  if (epochs < 0) return Invalid("epochs", "must be >= 0");
  if (patience < 1) return Invalid("patience", "must be >= 1");
  if (max_query_length < 3) return Invalid("max_query_length", "must be >= 3");
  if (max_product_length < 3) return Invalid("max_product_length", "must be >= 3");
  if (eval_k < 1) return Invalid("eval_k", "must be >= 1");
  SOUK_RETURN_IF_ERROR(optimizer.Validate());
  return runtime.Validate();
}

absl::StatusOr<FinetuneResult> RunFinetuning(const FinetuneOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const auto started = std::chrono::steady_clock::now();
  SOUK_ASSIGN_OR_RETURN(torch::Device device, internal::PrepareDevice(options.runtime));
  SOUK_ASSIGN_OR_RETURN(BiEncoder encoder, LoadBiEncoder(options));
  SOUK_ASSIGN_OR_RETURN(FinetuneData data, internal::LoadFinetuneData(options, *encoder.tokenizer));
  SOUK_RETURN_IF_ERROR(MakeDirectories(options.out_dir));
  try {
    torch::manual_seed(options.runtime.seed);
    PrepareTrainable(encoder, data, options, device);
    auto optimizer = internal::MakeAdamW(*encoder.trainable, options.optimizer);
    const std::string checkpoint = StrCat(options.out_dir, "/checkpoint.pt");
    SOUK_ASSIGN_OR_RETURN(internal::TrainerState state,
                          internal::ResumeIfAsked(options.runtime, checkpoint, *encoder.trainable,
                                                  *optimizer, "finetune"));
    const int64_t n = static_cast<int64_t>(data.pairs.size()) + options.pseudo_queries;
    const int64_t total = (n / std::min(options.batch_size, n)) * options.epochs;
    SOUK_ASSIGN_OR_RETURN(
        auto progress,
        ProgressReporter::Create({.task = "finetune",
                                  // --epochs 0 only evaluates: a bar of one step
                                  .total_steps = std::max<int64_t>(total, 1),
                                  .first_step = state.step,
                                  .metrics_path = StrCat(options.out_dir, "/metrics.jsonl"),
                                  .log_every = options.runtime.log_every}));
    Loop loop{options, data, encoder,    device,     *optimizer, *progress,
              state,   {},   checkpoint, state.step, {}};
    loop.result.train_queries = data.train.size();
    loop.result.train_pairs = data.pairs.size();
    loop.result.heldout_queries = data.heldout.size();
    absl::Status ran = RunLoop(loop);
    progress->Finish();
    SOUK_RETURN_IF_ERROR(ran);
    loop.result.best_epoch = loop.state.best_epoch;
    internal::RenderCurvesIfAsked(options.runtime, options.out_dir, "finetune");
    loop.result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return loop.result;
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("finetune: ", e.what_without_backtrace()));
  }
}

}  // namespace souk::train
