#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <malloc.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <thread>
#include <utility>

#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/model/device.h"
#include "souk/train/masking.h"
#include "souk/train/progress.h"
#include "torch_runtime_internal.h"

namespace souk::train::internal {

absl::StatusOr<torch::Device> PrepareDevice(const RuntimeOptions& runtime) {
  const int threads = runtime.threads > 0
                          ? runtime.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // libtorch defaults to half the cores on x86; training wants them all.
  at::set_num_threads(threads);
  // Keep freed memory in the heap for the next step. glibc serves allocations above 32 MiB at
  // most by mmap and returns them on free, so every step's large activations and logits fault
  // their pages in afresh: measured on `souk train seqrec` (Beauty, full softmax), 5 of 7
  // minutes were system time, and steps ran 1.6x faster without it. A training run's heap
  // peaks at the same size every step, so holding it costs nothing more.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
  return model::ResolveDevice(runtime.device, "device");
}

AutocastScope::AutocastScope(const torch::Device& device, bool enabled)
    : active_(enabled && device.is_cuda()) {
  if (!active_) return;
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(true);
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  at::autocast::set_enabled(false);
  at::autocast::clear_cache();
}

std::unique_ptr<torch::optim::AdamW> MakeAdamW(torch::nn::Module& module,
                                               const OptimizerOptions& options) {
  std::vector<torch::Tensor> decay;
  std::vector<torch::Tensor> no_decay;
  for (const torch::Tensor& p : module.parameters()) {
    (p.dim() >= 2 ? decay : no_decay).push_back(p);
  }
  auto base = torch::optim::AdamWOptions(options.learning_rate)
                  .betas({options.beta1, options.beta2})
                  .eps(options.epsilon);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay,
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(base).weight_decay(options.weight_decay)));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(
                                    torch::optim::AdamWOptions(base).weight_decay(0.0)));
  return std::make_unique<torch::optim::AdamW>(std::move(groups), base);
}

void SetLearningRate(torch::optim::Optimizer& optimizer, double lr) {
  for (torch::optim::OptimizerParamGroup& group : optimizer.param_groups()) {
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  }
}

double ClipGradients(torch::nn::Module& module, double max_norm) {
  if (max_norm <= 0) return 0;
  return torch::nn::utils::clip_grad_norm_(module.parameters(), max_norm);
}

absl::Status SaveCheckpoint(const std::string& path, torch::nn::Module& module,
                            torch::optim::Optimizer& optimizer, const TrainerState& state) {
  const std::string temp = StrCat(path, ".tmp");
  try {
    torch::serialize::OutputArchive archive;
    for (const auto& p : module.named_parameters()) {
      archive.write(StrCat("param/", p.key()), p.value().detach().to(torch::kCPU));
    }
    torch::serialize::OutputArchive optimizer_archive;
    optimizer.save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
    archive.write("state/step", torch::tensor(state.step, torch::kLong));
    archive.write("state/best_metric", torch::tensor(state.best_metric, torch::kDouble));
    archive.write("state/best_epoch", torch::tensor(state.best_epoch, torch::kLong));
    archive.write("state/epochs_without_gain",
                  torch::tensor(state.epochs_without_gain, torch::kLong));
    archive.save_to(temp);
  } catch (const c10::Error& e) {
    std::remove(temp.c_str());
    return absl::InternalError(
        StrCat(path, ": writing the checkpoint: ", e.what_without_backtrace()));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return absl::InternalError(StrCat(path, ": cannot replace the checkpoint"));
  }
  return absl::OkStatus();
}

namespace {

template <typename T>
T ReadScalar(torch::serialize::InputArchive& archive, const std::string& key) {
  torch::Tensor t;
  archive.read(key, t);
  return t.item<T>();
}

}  // namespace

absl::StatusOr<TrainerState> ResumeIfAsked(const RuntimeOptions& runtime,
                                           const std::string& checkpoint, torch::nn::Module& module,
                                           torch::optim::Optimizer& optimizer,
                                           std::string_view task) {
  if (!runtime.resume || !std::filesystem::exists(checkpoint)) return TrainerState{};
  SOUK_ASSIGN_OR_RETURN(TrainerState state, LoadCheckpoint(checkpoint, module, optimizer));
  SOUK_LOG_INFO("train", task, ": resuming at step ", state.step, " from ", checkpoint);
  return state;
}

void RenderCurvesIfAsked(const RuntimeOptions& runtime, const std::string& out_dir,
                         std::string_view task) {
  if (!runtime.plot) return;
  const absl::Status plotted =
      RenderCurves(StrCat(out_dir, "/metrics.jsonl"), StrCat(out_dir, "/curves"));
  if (!plotted.ok()) SOUK_LOG_WARN("train", task, ": no curves: ", std::string(plotted.message()));
}

absl::StatusOr<TrainerState> LoadCheckpoint(const std::string& path, torch::nn::Module& module,
                                            torch::optim::Optimizer& optimizer) {
  TrainerState state;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    torch::NoGradGuard no_grad;
    for (auto& p : module.named_parameters()) {
      torch::Tensor saved;
      if (!archive.try_read(StrCat("param/", p.key()), saved)) {
        return absl::DataLossError(StrCat(path, ": no parameter ", p.key()));
      }
      if (!saved.sizes().equals(p.value().sizes())) {
        return absl::FailedPreconditionError(
            StrCat(path, ": parameter ", p.key(), " has another shape than this model's"));
      }
      p.value().copy_(saved);
    }
    torch::serialize::InputArchive optimizer_archive;
    archive.read("optimizer", optimizer_archive);
    optimizer.load(optimizer_archive);
    // The optimizer's moments were saved from the CPU copies' device: follow the parameters.
    for (auto& group : optimizer.param_groups()) {
      for (auto& p : group.params()) {
        auto it = optimizer.state().find(c10::guts::to_string(p.unsafeGetTensorImpl()));
        if (it == optimizer.state().end()) continue;
        auto& s = static_cast<torch::optim::AdamWParamState&>(*it->second);
        s.exp_avg(s.exp_avg().to(p.device()));
        s.exp_avg_sq(s.exp_avg_sq().to(p.device()));
      }
    }
    state.step = ReadScalar<int64_t>(archive, "state/step");
    state.best_metric = ReadScalar<double>(archive, "state/best_metric");
    state.best_epoch = ReadScalar<int64_t>(archive, "state/best_epoch");
    state.epochs_without_gain = ReadScalar<int64_t>(archive, "state/epochs_without_gain");
  } catch (const c10::Error& e) {
    return absl::DataLossError(
        StrCat(path, ": not a readable checkpoint: ", e.what_without_backtrace()));
  }
  return state;
}

std::vector<int64_t> SeededPermutation(int64_t n, uint64_t seed) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  Rng rng(seed);
  for (int64_t i = n - 1; i > 0; --i) {
    std::swap(order[static_cast<size_t>(i)], order[rng.Below(static_cast<uint64_t>(i + 1))]);
  }
  return order;
}

}  // namespace souk::train::internal
