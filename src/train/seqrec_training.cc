#include "souk/train/seqrec_training.h"

#include <torch/nn/functional/loss.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "item_text_init_internal.h"
#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/seqrec.h"
#include "souk/model/seqrec_model.h"
#include "souk/model/tensor_io.h"
#include "souk/recommend/interactions.h"
#include "souk/train/masking.h"
#include "souk/train/progress.h"
#include "torch_runtime_internal.h"

namespace souk::train {
namespace {

using History = std::vector<uint32_t>;

constexpr uint64_t kShuffleStream = 21;
constexpr uint64_t kDropoutStream = 22;
constexpr uint64_t kValidationStream = 23;
constexpr int64_t kEvalBatch = 256;
constexpr int64_t kTopK = 10;

// The runtime's threads for the text encoder (0 there means every core).
int EncoderThreads(int threads) {
  return threads > 0 ? threads
                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(field, ": ", what));
}

// What one run learns from: training sequences and the validation users' held-out items.
struct SeqRecData {
  recommend::ItemVocabulary items;
  std::vector<History> train;  // newest max_length + 1 items of each history of 2 or more
  std::vector<History> validation_inputs;
  std::vector<uint32_t> validation_targets;
  size_t users = 0;
  size_t interactions = 0;
};

absl::StatusOr<SeqRecData> LoadData(const SeqRecTrainingOptions& options) {
  SOUK_ASSIGN_OR_RETURN(recommend::Interactions read,
                        recommend::ReadInteractions(options.interactions));
  SeqRecData data;
  data.users = read.users.size();
  data.interactions = read.num_interactions();
  std::vector<size_t> eligible;
  for (size_t u = 0; u < read.users.size(); ++u) {
    if (read.users[u].items.size() >= 3) eligible.push_back(u);
  }
  std::vector<bool> held(read.users.size(), false);
  const std::vector<int64_t> order =
      internal::SeededPermutation(static_cast<int64_t>(eligible.size()),
                                  DeriveSeed(options.runtime.seed, kValidationStream, 0));
  const size_t take = std::min(eligible.size(), static_cast<size_t>(options.validation_users));
  for (size_t i = 0; i < take; ++i) held[eligible[static_cast<size_t>(order[i])]] = true;
  const auto keep = static_cast<size_t>(options.model.max_length + 1);
  for (size_t u = 0; u < read.users.size(); ++u) {
    History items = std::move(read.users[u].items);
    if (held[u]) {
      data.validation_targets.push_back(items.back());
      items.pop_back();
      data.validation_inputs.push_back(items);
    }
    if (items.size() < 2) continue;
    if (items.size() > keep) items.erase(items.begin(), items.end() - static_cast<long>(keep));
    data.train.push_back(std::move(items));
  }
  if (data.train.empty()) {
    return absl::FailedPreconditionError(
        StrCat(options.interactions, ": no user has two items to learn a next item from"));
  }
  data.items = std::move(read.items);
  return data;
}

// Logits of each state's target item (column 0) against `negatives` items drawn uniformly for
// the whole batch (sampled softmax, Jean et al. 2015); a draw equal to the row's target is
// masked out.
torch::Tensor SampledLogits(model::SasRecImpl& net, const torch::Tensor& states,
                            const torch::Tensor& targets, int64_t negatives) {
  const torch::Tensor embeddings = net.item_embeddings();
  const torch::Tensor drawn =
      torch::randint(1, net.config().num_items + 1, {negatives}, targets.options());
  const torch::Tensor positive = (states * embeddings.index({targets})).sum(-1, true);
  const torch::Tensor negative = torch::matmul(states, embeddings.index({drawn}).t())
                                     .masked_fill(drawn.unsqueeze(0).eq(targets.unsqueeze(1)),
                                                  -std::numeric_limits<float>::infinity());
  return torch::cat({positive, negative}, 1);
}

// Cross-entropy of each next item over all items (or a sample of them), at every position of
// `batch`.
torch::Tensor NextItemLoss(model::SasRecImpl& net, const std::vector<const History*>& batch,
                           int64_t negatives, const torch::Device& device, bool mixed_precision) {
  int64_t length = 0;
  for (const History* h : batch) length = std::max<int64_t>(length, h->size() - 1);
  const auto rows = static_cast<int64_t>(batch.size());
  torch::Tensor inputs = torch::zeros({rows, length}, torch::kLong);
  torch::Tensor targets = torch::zeros({rows, length}, torch::kLong);
  auto in = inputs.accessor<int64_t, 2>();
  auto out = targets.accessor<int64_t, 2>();
  for (int64_t r = 0; r < rows; ++r) {
    const History& h = *batch[static_cast<size_t>(r)];
    const auto n = static_cast<int64_t>(h.size()) - 1;
    for (int64_t i = 0; i < n; ++i) {
      in[r][length - n + i] = h[static_cast<size_t>(i)];
      out[r][length - n + i] = h[static_cast<size_t>(i) + 1];
    }
  }
  inputs = inputs.to(device);
  targets = targets.to(device);
  const torch::Tensor valid = inputs.ne(0);
  internal::AutocastScope autocast(device, mixed_precision);
  const torch::Tensor states = net.forward(inputs).index({valid});  // [M, H]
  const torch::Tensor next = targets.index({valid});
  if (negatives > 0) {
    const torch::Tensor logits = SampledLogits(net, states, next, negatives).to(torch::kFloat);
    return torch::nn::functional::cross_entropy(logits, torch::zeros_like(next));
  }
  const torch::Tensor logits = net.Scores(states).to(torch::kFloat);
  return torch::nn::functional::cross_entropy(logits, next - 1);
}

// HR@10 and NDCG@10 of the held-out items, ranked against every item not in the history.
std::map<std::string, double> ValidationMetrics(model::SasRecImpl& net, const SeqRecData& data,
                                                const torch::Device& device) {
  torch::NoGradGuard no_grad;
  net.eval();
  double hits = 0, ndcg = 0;
  const size_t n = data.validation_inputs.size();
  for (size_t begin = 0; begin < n; begin += kEvalBatch) {
    const size_t end = std::min(n, begin + kEvalBatch);
    const std::span<const History> inputs(data.validation_inputs.data() + begin, end - begin);
    const torch::Tensor scores = model::ScoreNextItems(net, inputs, device);
    std::vector<int64_t> target_columns;
    for (size_t i = begin; i < end; ++i) target_columns.push_back(data.validation_targets[i] - 1);
    const torch::Tensor columns =
        torch::tensor(target_columns, torch::kLong).to(device).unsqueeze(1);
    const torch::Tensor target = scores.gather(1, columns);     // [B, 1]
    const torch::Tensor rank = scores.gt(target).sum(1).cpu();  // items scored above it
    const auto r = rank.accessor<int64_t, 1>();
    for (int64_t i = 0; i < rank.size(0); ++i) {
      if (r[i] >= kTopK) continue;
      hits += 1;
      ndcg += 1 / std::log2(static_cast<double>(r[i]) + 2);
    }
  }
  net.train();
  const double users = std::max<double>(1, static_cast<double>(n));
  return {{"hr@10", hits / users}, {"ndcg@10", ndcg / users}};
}

absl::Status WriteModel(model::SasRecImpl& net, const SeqRecData& data,
                        const SeqRecTrainingOptions& options, int64_t epoch,
                        const std::map<std::string, double>& metrics) {
  const std::string& dir = options.out_dir;
  SOUK_RETURN_IF_ERROR(
      model::WriteTensors(StrCat(dir, "/", model::kSeqRecWeightsFile), net.NamedParameters()));
  SOUK_RETURN_IF_ERROR(net.config().Save(StrCat(dir, "/", model::kSeqRecConfigFile)));
  SOUK_RETURN_IF_ERROR(
      WriteFileAtomically(StrCat(dir, "/", model::kSeqRecItemsFile), data.items.ToText()));
  nlohmann::json j = {{"epoch", epoch}, {"validation", metrics}};
  return WriteFileAtomically(StrCat(dir, "/eval.json"), j.dump(2) + "\n");
}

// The training loop's position and what it decided so far.
struct Loop {
  const SeqRecTrainingOptions& options;
  const SeqRecData& data;
  model::SasRecImpl& net;
  torch::Device device;
  torch::optim::AdamW& optimizer;
  ProgressReporter& progress;
  internal::TrainerState state;
  SeqRecTrainingResult result;
  std::string checkpoint;
  int64_t checkpoint_step = 0;
  double epoch_loss = 0;
  int64_t epoch_steps = 0;
};

// Validates after `epoch` (0 = before training) and keeps the model when it is the best.
absl::Status EndEpoch(Loop& loop, int64_t epoch) {
  SeqRecEpoch entry;
  entry.epoch = epoch;
  entry.train_loss =
      loop.epoch_steps > 0 ? loop.epoch_loss / static_cast<double>(loop.epoch_steps) : 0;
  loop.epoch_loss = 0;
  loop.epoch_steps = 0;
  const bool validated = !loop.data.validation_inputs.empty();
  if (validated) {
    entry.validation = ValidationMetrics(loop.net, loop.data, loop.device);
    loop.progress.Eval(loop.state.step, epoch, entry.validation);
  }
  const double metric = validated ? entry.validation["ndcg@10"] : static_cast<double>(epoch);
  loop.result.history.push_back(entry);
  if (metric > loop.state.best_metric) {
    loop.state.best_metric = metric;
    loop.state.best_epoch = epoch;
    loop.state.epochs_without_gain = 0;
    return WriteModel(loop.net, loop.data, loop.options, epoch, entry.validation);
  }
  ++loop.state.epochs_without_gain;
  return absl::OkStatus();
}

absl::Status TrainStep(Loop& loop, int64_t step, const std::vector<int64_t>& order,
                       int64_t steps_per_epoch, int64_t total_steps) {
  const SeqRecTrainingOptions& options = loop.options;
  const int64_t batch = options.batch_size;
  const int64_t begin = (step % steps_per_epoch) * batch;
  const int64_t end = std::min<int64_t>(begin + batch, static_cast<int64_t>(order.size()));
  std::vector<const History*> histories;
  for (int64_t i = begin; i < end; ++i) {
    histories.push_back(&loop.data.train[static_cast<size_t>(order[static_cast<size_t>(i)])]);
  }
  torch::manual_seed(DeriveSeed(options.runtime.seed, kDropoutStream, static_cast<uint64_t>(step)));
  const double lr = LearningRateAt(step, total_steps, options.optimizer);
  internal::SetLearningRate(loop.optimizer, lr);
  loop.optimizer.zero_grad();
  const torch::Tensor loss = NextItemLoss(loop.net, histories, options.negatives, loop.device,
                                          options.runtime.mixed_precision);
  const double loss_value = loss.item<double>();
  if (!std::isfinite(loss_value)) {
    return absl::InternalError(StrCat("seqrec: the loss is ", loss_value, " at step ", step + 1,
                                      "; stopped without applying it. The last good checkpoint is ",
                                      loop.checkpoint, " (step ", loop.checkpoint_step,
                                      "), the best model is in ", options.out_dir));
  }
  loss.backward();
  internal::ClipGradients(loop.net, options.optimizer.max_grad_norm);
  loop.optimizer.step();
  loop.progress.Step(step + 1, step / steps_per_epoch + 1, loss_value, lr,
                     static_cast<int64_t>(histories.size()));
  loop.epoch_loss += loss_value;
  ++loop.epoch_steps;
  return absl::OkStatus();
}

int64_t StepsPerEpoch(const SeqRecData& data, const SeqRecTrainingOptions& options) {
  const auto n = static_cast<int64_t>(data.train.size());
  return (n + options.batch_size - 1) / options.batch_size;
}

absl::Status RunLoop(Loop& loop) {
  const SeqRecTrainingOptions& options = loop.options;
  const int64_t steps_per_epoch = StepsPerEpoch(loop.data, options);
  const int64_t total_steps = steps_per_epoch * options.epochs;
  const int64_t last = options.runtime.stop_after_step > 0
                           ? std::min(total_steps, options.runtime.stop_after_step)
                           : total_steps;
  if (loop.state.step == 0) SOUK_RETURN_IF_ERROR(EndEpoch(loop, 0));
  std::vector<int64_t> order;
  int64_t order_epoch = -1;
  for (int64_t step = loop.state.step; step < last; ++step) {
    if (loop.state.epochs_without_gain >= options.patience) {
      SOUK_LOG_INFO("train", "seqrec: no gain for ", options.patience, " epochs; stopping");
      break;
    }
    const int64_t epoch = step / steps_per_epoch;
    if (epoch != order_epoch) {
      order = internal::SeededPermutation(
          static_cast<int64_t>(loop.data.train.size()),
          DeriveSeed(options.runtime.seed, kShuffleStream, static_cast<uint64_t>(epoch)));
      order_epoch = epoch;
    }
    SOUK_RETURN_IF_ERROR(TrainStep(loop, step, order, steps_per_epoch, total_steps));
    const bool epoch_done = (step + 1) % steps_per_epoch == 0;
    loop.state.step = step + 1;
    if (epoch_done) SOUK_RETURN_IF_ERROR(EndEpoch(loop, epoch + 1));
    if (epoch_done || (step + 1) % options.runtime.checkpoint_every == 0 || step + 1 == last) {
      SOUK_RETURN_IF_ERROR(
          internal::SaveCheckpoint(loop.checkpoint, loop.net, loop.optimizer, loop.state));
      loop.checkpoint_step = loop.state.step;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SeqRecTrainingOptions::Validate() const {
  if (interactions.empty()) return Invalid("interactions", "empty");
  if (out_dir.empty()) return Invalid("out_dir", "empty");
  model::SeqRecConfig architecture = model;
  architecture.num_items = 1;  // set from the data
  SOUK_RETURN_IF_ERROR(architecture.Validate());
  if (batch_size < 1) return Invalid("batch_size", "must be >= 1");
  if (epochs < 0) return Invalid("epochs", "must be >= 0");
  if (patience < 1) return Invalid("patience", "must be >= 1");
  if (validation_users < 0) return Invalid("validation_users", "must be >= 0");
  if (negatives < 0) return Invalid("negatives", "must be >= 0 (0: every item)");
  if (item_text.empty() != text_encoder.empty()) {
    return Invalid("item_text", "item_text and text_encoder go together");
  }
  SOUK_RETURN_IF_ERROR(optimizer.Validate());
  return runtime.Validate();
}

absl::StatusOr<SeqRecTrainingResult> RunSeqRecTraining(const SeqRecTrainingOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const auto started = std::chrono::steady_clock::now();
  SOUK_ASSIGN_OR_RETURN(torch::Device device, internal::PrepareDevice(options.runtime));
  SOUK_ASSIGN_OR_RETURN(const SeqRecData data, LoadData(options));
  SOUK_RETURN_IF_ERROR(MakeDirectories(options.out_dir));
  model::SeqRecConfig config = options.model;
  config.num_items = static_cast<int64_t>(data.items.size());
  SOUK_LOG_INFO("train", "seqrec: ", data.users, " users, ", data.items.size(), " items, ",
                data.interactions, " interactions; ", data.train.size(), " training sequences, ",
                data.validation_inputs.size(), " validation users");
  try {
    torch::manual_seed(options.runtime.seed);
    model::SasRec net(config);
    size_t text_initialized = 0;
    if (!options.item_text.empty()) {
      SOUK_ASSIGN_OR_RETURN(
          text_initialized,
          internal::InitItemEmbeddingsFromText(data.items, options.item_text, options.text_encoder,
                                               EncoderThreads(options.runtime.threads),
                                               config.initializer_range, net->item_embeddings()));
    }
    net->to(device);
    net->train();
    auto optimizer = internal::MakeAdamW(*net, options.optimizer);
    const std::string checkpoint = StrCat(options.out_dir, "/checkpoint.pt");
    SOUK_ASSIGN_OR_RETURN(
        internal::TrainerState state,
        internal::ResumeIfAsked(options.runtime, checkpoint, *net, *optimizer, "seqrec"));
    const int64_t total = StepsPerEpoch(data, options) * options.epochs;
    SOUK_ASSIGN_OR_RETURN(
        auto progress,
        ProgressReporter::Create({.task = "seqrec",
                                  .total_steps = std::max<int64_t>(total, 1),
                                  .first_step = state.step,
                                  .metrics_path = StrCat(options.out_dir, "/metrics.jsonl"),
                                  .log_every = options.runtime.log_every}));
    Loop loop{options,   data,  *net, device,     *optimizer,
              *progress, state, {},   checkpoint, state.step};
    loop.result.users = data.users;
    loop.result.items = data.items.size();
    loop.result.interactions = data.interactions;
    loop.result.validation_users = data.validation_inputs.size();
    loop.result.text_initialized_items = text_initialized;
    for (const auto& p : net->parameters()) loop.result.parameters += p.numel();
    absl::Status ran = RunLoop(loop);
    progress->Finish();
    SOUK_RETURN_IF_ERROR(ran);
    loop.result.best_epoch = loop.state.best_epoch;
    internal::RenderCurvesIfAsked(options.runtime, options.out_dir, "seqrec");
    loop.result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return loop.result;
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("seqrec: ", e.what_without_backtrace()));
  }
}

}  // namespace souk::train
