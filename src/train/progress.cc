#include "souk/train/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string_view>
#include <utility>

#include "nlohmann/json.hpp"
#include "souk/base/logging.h"
#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"

namespace souk::train {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kBarRedrawInterval_s = 0.1;  // at most 10 redraws a second, as tqdm
constexpr int kBarWidth = 20;

double SecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// "MM:SS", or "H:MM:SS" from an hour on (tqdm's format); "??:??" when unknown.
std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "??:??";
  const auto total = static_cast<int64_t>(seconds);
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02d:%02d", static_cast<long long>(total / 3600),
                  static_cast<int>(total / 60 % 60), static_cast<int>(total % 60));
  } else {
    std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(total / 60),
                  static_cast<int>(total % 60));
  }
  return text;
}

std::string Format(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// A bar of kBarWidth cells in eighths of a block (U+2588 full, U+2589..U+258F 7/8 down to 1/8).
std::string DrawBar(double fraction) {
  static constexpr const char* kPartial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int eighths = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * kBarWidth * 8);
  std::string bar;
  for (int i = 0; i < eighths / 8; ++i) bar += "█";
  bar += kPartial[eighths % 8];
  const int cells = eighths / 8 + (eighths % 8 > 0 ? 1 : 0);
  bar.append(static_cast<size_t>(kBarWidth - cells), ' ');
  return bar;
}

absl::Status ValidateOptions(const ProgressOptions& options) {
  if (options.total_steps <= 0)
    return absl::InvalidArgumentError("progress: total_steps must be > 0");
  if (options.first_step < 0 || options.first_step > options.total_steps) {
    return absl::InvalidArgumentError("progress: first_step must be in [0, total_steps]");
  }
  if (options.log_every < 1) return absl::InvalidArgumentError("progress: log_every must be >= 1");
  if (!(options.plain_interval_s >= 0)) {
    return absl::InvalidArgumentError("progress: plain_interval_s must be >= 0");
  }
  if (options.tty < -1 || options.tty > 1) {
    return absl::InvalidArgumentError("progress: tty must be -1 (auto), 0 or 1");
  }
  return absl::OkStatus();
}

// A running mean that restarts after each read.
struct MeanSince {
  double sum = 0;
  int64_t count = 0;
  void Add(double value) {
    sum += value;
    ++count;
  }
  double Take() {
    const double mean = count > 0 ? sum / static_cast<double>(count) : std::nan("");
    *this = MeanSince{};
    return mean;
  }
};

}  // namespace

struct ProgressReporter::Impl {
  ProgressOptions options;
  std::FILE* out = nullptr;
  std::FILE* log = nullptr;
  bool bar = false;
  Clock::time_point start = Clock::now();
  Clock::time_point last_display = start;
  int64_t steps_done = 0;  // in this run: a resumed run's rate counts only its own steps
  int64_t items_done = 0;
  MeanSince display_loss;
  MeanSince log_loss;
  std::string bar_line;  // last bar drawn, to redraw it under an evaluation line
  size_t drawn_width = 0;
  bool finished = false;

  double Elapsed() const { return SecondsBetween(start, Clock::now()); }
  double ItemsPerSecond(double elapsed) const {
    return elapsed > 0 ? static_cast<double>(items_done) / elapsed : 0.0;
  }

  void WriteLog(const nlohmann::ordered_json& line) {
    if (log == nullptr) return;
    const std::string text = line.dump() + "\n";
    if (std::fputs(text.c_str(), log) < 0 || std::fflush(log) != 0) {
      SOUK_LOG_WARN("train", "writing ", options.metrics_path, ": ", std::strerror(errno));
    }
  }

  void LogTrain(int64_t step, int64_t epoch, double lr, double elapsed) {
    nlohmann::ordered_json line;
    line["kind"] = "train";
    line["step"] = step;
    line["epoch"] = epoch;
    line["loss"] = log_loss.Take();
    line["lr"] = lr;
    line["items_per_s"] = ItemsPerSecond(elapsed);
    line["elapsed_s"] = elapsed;
    WriteLog(line);
  }

  // "[01:03<01:27, 212.5 items/s]" parts: elapsed, remaining, rate.
  std::string Remaining(int64_t step, double elapsed) const {
    if (steps_done == 0 || elapsed <= 0) return FormatDuration(-1);
    const double steps_per_s = static_cast<double>(steps_done) / elapsed;
    return FormatDuration(static_cast<double>(options.total_steps - step) / steps_per_s);
  }

  std::string Numbers(double loss, double lr) const {
    return StrCat("loss=", Format("%.3f", loss), " lr=", Format("%.1e", lr));
  }

  std::string BarLine(int64_t step, double loss, double lr, double elapsed) const {
    const double fraction = static_cast<double>(step) / static_cast<double>(options.total_steps);
    return StrCat(options.task, " ", Format("%3.0f", std::floor(fraction * 100)), "%|",
                  DrawBar(fraction), "| ", step, "/", options.total_steps, " [",
                  FormatDuration(elapsed), "<", Remaining(step, elapsed), ", ",
                  Format("%.1f", ItemsPerSecond(elapsed)), " items/s] ", Numbers(loss, lr));
  }

  std::string PlainLine(int64_t step, double loss, double lr, double elapsed) const {
    const double fraction = static_cast<double>(step) / static_cast<double>(options.total_steps);
    return StrCat(options.task, " step ", step, "/", options.total_steps, " (",
                  Format("%.0f", std::floor(fraction * 100)), "%) ", Numbers(loss, lr), " ",
                  Format("%.1f", ItemsPerSecond(elapsed)), " items/s elapsed ",
                  FormatDuration(elapsed), " eta ", Remaining(step, elapsed));
  }

  // Overwrites the bar in place; spaces erase what a longer previous bar left.
  void DrawInPlace(const std::string& line) {
    const size_t width = CodePointCount(line);
    std::string text = "\r" + line;
    if (drawn_width > width) text.append(drawn_width - width, ' ');
    std::fputs(text.c_str(), out);
    std::fflush(out);
    drawn_width = width;
  }

  void Display(int64_t step, double lr, double elapsed) {
    const bool last = step >= options.total_steps;
    const double since = SecondsBetween(last_display, Clock::now());
    const double interval = bar ? kBarRedrawInterval_s : options.plain_interval_s;
    if (!last && since < interval) return;
    last_display = Clock::now();
    const double loss = display_loss.Take();
    if (bar) {
      bar_line = BarLine(step, loss, lr, elapsed);
      DrawInPlace(bar_line);
    } else {
      std::fprintf(out, "%s\n", PlainLine(step, loss, lr, elapsed).c_str());
      std::fflush(out);
    }
  }
};

absl::StatusOr<std::unique_ptr<ProgressReporter>> ProgressReporter::Create(
    const ProgressOptions& options) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->out = options.out != nullptr ? options.out : stderr;
  impl->bar = options.tty == -1 ? isatty(fileno(impl->out)) == 1 : options.tty == 1;
  if (!options.metrics_path.empty()) {
    impl->log = std::fopen(options.metrics_path.c_str(), "a");
    if (impl->log == nullptr) {
      const int error = errno;
      return absl::Status(
          error == ENOENT ? absl::StatusCode::kNotFound : absl::StatusCode::kFailedPrecondition,
          StrCat("opening metrics log ", options.metrics_path, ": ", std::strerror(error)));
    }
  }
  return std::unique_ptr<ProgressReporter>(new ProgressReporter(std::move(impl)));
}

ProgressReporter::ProgressReporter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProgressReporter::~ProgressReporter() {
  Finish();
  if (impl_->log != nullptr) std::fclose(impl_->log);
}

void ProgressReporter::Step(int64_t step, int64_t epoch, double loss, double lr, int64_t items) {
  Impl& impl = *impl_;
  ++impl.steps_done;
  impl.items_done += items;
  impl.display_loss.Add(loss);
  impl.log_loss.Add(loss);
  const double elapsed = impl.Elapsed();
  if (step % impl.options.log_every == 0 || step >= impl.options.total_steps) {
    impl.LogTrain(step, epoch, lr, elapsed);
  }
  impl.Display(step, lr, elapsed);
}

void ProgressReporter::Eval(int64_t step, int64_t epoch,
                            const std::map<std::string, double>& metrics) {
  Impl& impl = *impl_;
  const double elapsed = impl.Elapsed();
  std::string line = StrCat(impl.options.task, " eval step ", step, " epoch ", epoch);
  nlohmann::ordered_json values = nlohmann::ordered_json::object();
  for (const auto& [name, value] : metrics) {
    line += StrCat(" ", name, "=", Format("%.4f", value));
    values[name] = value;
  }
  if (impl.bar && impl.drawn_width > 0) {
    impl.DrawInPlace(line);  // the evaluation replaces the bar's line; the bar moves below
    std::fputs("\n", impl.out);
    impl.drawn_width = 0;
    impl.DrawInPlace(impl.bar_line);
  } else {
    std::fprintf(impl.out, "%s\n", line.c_str());
    std::fflush(impl.out);
  }
  nlohmann::ordered_json log_line;
  log_line["kind"] = "eval";
  log_line["step"] = step;
  log_line["epoch"] = epoch;
  log_line["metrics"] = std::move(values);
  log_line["elapsed_s"] = elapsed;
  impl.WriteLog(log_line);
}

void ProgressReporter::Finish() {
  Impl& impl = *impl_;
  if (impl.finished) return;
  impl.finished = true;
  if (impl.bar && impl.drawn_width > 0) std::fputs("\n", impl.out);
  std::fflush(impl.out);
  if (impl.log != nullptr) std::fflush(impl.log);
}

}  // namespace souk::train
