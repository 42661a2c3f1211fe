// The libtorch side shared by the trainers: device and threads, bf16 autocast, AdamW with
// BERT's parameter groups, the learning rate, gradient clipping and checkpoints.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>
#include <torch/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/train/optimization.h"
#include "souk/train/runtime.h"

namespace souk::train::internal {

/// Resolves runtime.device and sets libtorch's intra-op threads for the CPU.
absl::StatusOr<torch::Device> PrepareDevice(const RuntimeOptions& runtime);

/// bf16 autocast for the forward pass on CUDA while alive (Micikevicius et al. 2018, mixed
/// precision; bf16 keeps fp32's range, so no loss scaling). Does nothing on the CPU.
class AutocastScope {
 public:
  AutocastScope(const torch::Device& device, bool enabled);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
};

/// AdamW over `module`'s parameters, in two groups as BERT trains: weight decay on matrices and
/// embeddings, none on biases and LayerNorm weights (any 1-D parameter).
std::unique_ptr<torch::optim::AdamW> MakeAdamW(torch::nn::Module& module,
                                               const OptimizerOptions& options);

void SetLearningRate(torch::optim::Optimizer& optimizer, double lr);

/// Clips the global gradient norm to `max_norm` (0: no clipping); returns the norm before.
double ClipGradients(torch::nn::Module& module, double max_norm);

/// What a checkpoint holds besides the parameters and the optimizer state.
struct TrainerState {
  int64_t step = 0;         ///< Optimizer steps done.
  double best_metric = -1;  ///< Fine-tuning: the best held-out NDCG@10 so far.
  int64_t best_epoch = 0;
  int64_t epochs_without_gain = 0;
};

/// Writes parameters, optimizer state and `state` to `path` atomically (temporary file, then
/// rename), so a crash leaves the previous checkpoint whole.
absl::Status SaveCheckpoint(const std::string& path, torch::nn::Module& module,
                            torch::optim::Optimizer& optimizer, const TrainerState& state);

/// Loads a checkpoint written by SaveCheckpoint for the same module layout into `module` and
/// `optimizer`. Errors name the path and the missing or mismatched parameter.
absl::StatusOr<TrainerState> LoadCheckpoint(const std::string& path, torch::nn::Module& module,
                                            torch::optim::Optimizer& optimizer);

/// The state a run starts from: `checkpoint`'s, loaded into `module` and `optimizer`, when
/// runtime.resume is set and the file exists (logged under `task`); else a fresh state.
absl::StatusOr<TrainerState> ResumeIfAsked(const RuntimeOptions& runtime,
                                           const std::string& checkpoint, torch::nn::Module& module,
                                           torch::optim::Optimizer& optimizer,
                                           std::string_view task);

/// With runtime.plot, renders `out_dir`/metrics.jsonl to `out_dir`/curves-*.png (progress.h);
/// a failure (no gnuplot) is a warning naming `task`, not an error.
void RenderCurvesIfAsked(const RuntimeOptions& runtime, const std::string& out_dir,
                         std::string_view task);

/// A seeded permutation of 0..n-1 (Fisher-Yates with masking.h's Rng).
std::vector<int64_t> SeededPermutation(int64_t n, uint64_t seed);

}  // namespace souk::train::internal
