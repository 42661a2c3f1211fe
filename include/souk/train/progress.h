// Training progress as ML engineers expect it: a live progress bar on a terminal, plain
// periodic lines otherwise (CI logs, pipes), a metrics log in JSONL, and loss / metric curves as
// PNG at the end.
//
// Bar (stderr is a TTY; redrawn at most 10 times a second with '\r'):
//   pretrain  42%|██████▍        | 420/1000 [01:03<01:27, 212.5 items/s] loss=3.412 lr=4.2e-04
// Plain line (not a TTY; one every `plain_interval_s` seconds and at the last step):
//   pretrain step 420/1000 (42%) loss=3.412 lr=4.2e-04 212.5 items/s elapsed 01:03 eta 01:27
// Loss shown is the mean since the previous display. Evaluations print one line each.
//
// metrics.jsonl: one object per line, flushed as written so a crashed run keeps its history:
//   {"kind":"train","step":420,"epoch":1,"loss":3.412,"lr":0.00042,"items_per_s":212.5,"elapsed_s":63.1}
//   {"kind":"eval","step":500,"epoch":1,"metrics":{"ndcg@10":0.41,"recall@100":0.80},"elapsed_s":80.2}
// A train line is logged every `log_every` steps (mean loss over those steps) and at the last.
//
// Thread-safety: one reporter per training loop, used from one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::train {

struct ProgressOptions {
  std::string task = "train";      ///< Shown first on every line ("pretrain", "finetune").
  int64_t total_steps = 0;         ///< The bar's 100%; > 0.
  int64_t first_step = 0;          ///< Steps already done (a resumed run starts its bar there).
  std::string metrics_path;        ///< metrics.jsonl to append to; empty: no log.
  int64_t log_every = 10;          ///< Steps per train line in the log; >= 1.
  double plain_interval_s = 10.0;  ///< Seconds between plain lines.
  /// Where lines go (stderr by default; tests pass a temporary file). A TTY gets the bar.
  std::FILE* out = nullptr;
  /// Force the mode instead of asking isatty(out): -1 auto, 0 plain lines, 1 bar.
  int tty = -1;
};

class ProgressReporter {
 public:
  /// Opens the metrics log for appending. INVALID_ARGUMENT for bad options, an error naming the
  /// path when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<ProgressReporter>> Create(const ProgressOptions& options);
  ~ProgressReporter();

  /// Reports one finished optimizer step (`step` is 1-based and counts from the run's start,
  /// resumed steps included), its loss, learning rate and the items (sequences) it consumed.
  void Step(int64_t step, int64_t epoch, double loss, double lr, int64_t items);

  /// Reports an evaluation: one line on `out`, one "eval" line in the log.
  void Eval(int64_t step, int64_t epoch, const std::map<std::string, double>& metrics);

  /// Ends the bar with a newline and flushes the log.
  void Finish();

 private:
  struct Impl;
  explicit ProgressReporter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Renders the curves of a metrics.jsonl: writes `<out_prefix>.gp` (a gnuplot script),
/// `<out_prefix>-train.tsv` and `<out_prefix>-eval.tsv` (its data) and runs `gnuplot` on the
/// script, which draws `<out_prefix>-loss.png` (loss and learning rate over steps) and, when the
/// log has evaluations, `<out_prefix>-eval.png` (each metric over steps).
/// FAILED_PRECONDITION naming the package (gnuplot-nox) when gnuplot is not on PATH; the script
/// and data are written first, so the plot can be made later by hand. INVALID_ARGUMENT naming
/// the file and line for a line that is not JSON or lacks its step, and for a log without train
/// lines; lines of other kinds are ignored. A null value (a NaN loss) is a gap in its curve.
/// INTERNAL with gnuplot's messages when it fails.
absl::Status RenderCurves(const std::string& metrics_path, const std::string& out_prefix);

}  // namespace souk::train
