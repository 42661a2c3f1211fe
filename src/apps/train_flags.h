// Flags every `souk train` step that runs libtorch shares: the runtime (device, threads, seed,
// checkpoints) and the optimizer (learning rate, warm-up, decay, clipping).
#pragma once

#include <initializer_list>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "flags.h"
#include "souk/train/optimization.h"
#include "souk/train/runtime.h"
#include "souk/train/seqrec_training.h"

namespace souk::apps {

inline const std::set<std::string> kRuntimeFlags = {"device",           "threads",    "seed",
                                                    "checkpoint-every", "stop-after", "log-every"};
inline const std::set<std::string> kRuntimeBooleans = {"no-mixed-precision", "resume", "no-plot",
                                                       "help"};
inline const std::set<std::string> kOptimizerFlags = {"lr", "warmup", "weight-decay", "clip"};
/// The sequential recommender's architecture and schedule (`souk train seqrec`, `souk retrain
/// seqrec`).
inline const std::set<std::string> kSeqRecFlags = {
    "hidden",   "layers",           "heads",     "max-length", "dropout",     "batch", "epochs",
    "patience", "validation-users", "negatives", "item-text",  "text-encoder"};

/// The help text of the runtime flags.
inline constexpr char kRuntimeFlagsUsage[] =
    R"(Runtime flags: [--device auto|cpu|cuda|cuda:N] [--threads 0]
  [--no-mixed-precision] [--seed 42] [--resume] [--checkpoint-every 200] [--stop-after STEP]
  [--log-every 10] [--no-plot]
)";

/// Fills `runtime` from kRuntimeFlags and kRuntimeBooleans; absent flags keep its values.
absl::Status ReadRuntime(const Flags& flags, train::RuntimeOptions* runtime);
/// Fills `optimizer` from kOptimizerFlags; absent flags keep its values.
absl::Status ReadOptimizer(const Flags& flags, train::OptimizerOptions* optimizer);
/// Fills `options` from kSeqRecFlags, kOptimizerFlags and the runtime flags (not its
/// interactions and output); absent flags keep its values.
absl::Status ReadSeqRecFlags(const Flags& flags, train::SeqRecTrainingOptions* options);

}  // namespace souk::apps
