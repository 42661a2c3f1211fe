#include "souk/train/optimization.h"

#include <algorithm>
#include <cmath>

#include "souk/base/str_cat.h"
#include "souk/train/runtime.h"

namespace souk::train {
namespace {

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(field, ": ", what));
}

}  // namespace

absl::Status OptimizerOptions::Validate() const {
  if (!(learning_rate > 0)) return Invalid("learning_rate", "must be > 0");
  if (!(weight_decay >= 0)) return Invalid("weight_decay", "must be >= 0");
  if (!(beta1 >= 0 && beta1 < 1)) return Invalid("beta1", "must be in [0, 1)");
  if (!(beta2 >= 0 && beta2 < 1)) return Invalid("beta2", "must be in [0, 1)");
  if (!(epsilon > 0)) return Invalid("epsilon", "must be > 0");
  if (!(warmup_fraction >= 0 && warmup_fraction <= 1)) {
    return Invalid("warmup_fraction", "must be in [0, 1]");
  }
  if (!(max_grad_norm >= 0)) return Invalid("max_grad_norm", "must be >= 0 (0 = no clipping)");
  return absl::OkStatus();
}

int64_t WarmupSteps(int64_t total_steps, const OptimizerOptions& options) {
  return static_cast<int64_t>(
      std::ceil(options.warmup_fraction * static_cast<double>(total_steps)));
}

double LearningRateAt(int64_t step, int64_t total_steps, const OptimizerOptions& options) {
  const int64_t warmup = WarmupSteps(total_steps, options);
  if (step < warmup) {
    return options.learning_rate * static_cast<double>(step + 1) / static_cast<double>(warmup);
  }
  const double remaining = static_cast<double>(std::max<int64_t>(total_steps - step, 0));
  return options.learning_rate * remaining /
         static_cast<double>(std::max<int64_t>(total_steps - warmup, 1));
}

absl::Status RuntimeOptions::Validate() const {
  if (device.empty()) return Invalid("device", "empty (cpu, cuda, cuda:N or auto)");
  if (threads < 0) return Invalid("threads", "must be >= 0 (0 = every core)");
  if (checkpoint_every < 1) return Invalid("checkpoint_every", "must be >= 1");
  if (stop_after_step < 0) return Invalid("stop_after_step", "must be >= 0");
  if (log_every < 1) return Invalid("log_every", "must be >= 1");
  return absl::OkStatus();
}

}  // namespace souk::train
