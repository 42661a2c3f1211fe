// Where and how a training run computes: device, threads, mixed precision, seed, checkpoints.
// Shared by the trainers' options. Thread-safety: a plain value type.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace souk::train {

struct RuntimeOptions {
  /// "cpu", "cuda", "cuda:N", or "auto" (the first GPU when libtorch sees one, else the CPU).
  std::string device = "auto";
  /// bf16 autocast on CUDA (no loss scaling needed, unlike fp16); ignored on the CPU.
  bool mixed_precision = true;
  /// libtorch intra-op threads on the CPU; 0 = every core.
  int threads = 0;
  uint64_t seed = 42;  ///< Data order, masking, negatives and dropout derive from it.
  /// Continue from `<out_dir>/checkpoint.pt` when it exists: the run then ends exactly as an
  /// uninterrupted one would (same parameters), given the same options.
  bool resume = false;
  int64_t checkpoint_every = 200;  ///< Optimizer steps between checkpoints; >= 1.
  /// End this run after the step with this 1-based number (writing a checkpoint first), as if
  /// interrupted; 0 runs to the end. For time-boxed jobs and resume tests.
  int64_t stop_after_step = 0;
  int64_t log_every = 10;  ///< Steps per train line of metrics.jsonl.
  /// Render metrics.jsonl to PNG curves with gnuplot at the end (a warning when it is missing).
  bool plot = true;
  /// INVALID_ARGUMENT naming the field.
  absl::Status Validate() const;
};

}  // namespace souk::train
