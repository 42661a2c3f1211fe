// How the trainers optimize: AdamW (Loshchilov & Hutter 2019, decoupled weight decay; no decay
// on biases and LayerNorm weights, as BERT's own optimizer), a learning rate that warms up
// linearly and then decays linearly to zero (Devlin et al. 2019, appendix A.2; Hugging Face's
// get_linear_schedule_with_warmup), and gradient clipping by global L2 norm.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>

#include "absl/status/status.h"

namespace souk::train {

struct OptimizerOptions {
  double learning_rate = 5e-4;    ///< Peak learning rate, reached at the end of warm-up.
  double weight_decay = 0.01;     ///< Decoupled decay of matrices (not biases, not LayerNorm).
  double beta1 = 0.9;             ///< Adam's first-moment decay.
  double beta2 = 0.999;           ///< Adam's second-moment decay.
  double epsilon = 1e-6;          ///< Adam's denominator guard (BERT's value).
  double warmup_fraction = 0.06;  ///< Share of all steps spent warming up.
  double max_grad_norm = 1.0;     ///< Global gradient norm bound; 0 turns clipping off.
  /// INVALID_ARGUMENT naming the field: rates and norms >= 0, betas in [0, 1), epsilon > 0,
  /// warmup_fraction in [0, 1].
  absl::Status Validate() const;
};

/// Steps of warm-up for a run of `total_steps`: ceil(warmup_fraction x total_steps).
int64_t WarmupSteps(int64_t total_steps, const OptimizerOptions& options);

/// Learning rate of the optimizer step with 0-based index `step`: peak x (step + 1) / warmup
/// during warm-up (the first step already learns), then peak x (total - step) / (total - warmup)
/// down to zero, clamped at zero past the end. Precondition: total_steps > 0.
double LearningRateAt(int64_t step, int64_t total_steps, const OptimizerOptions& options);

}  // namespace souk::train
