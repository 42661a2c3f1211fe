// RenderCurves (declared in progress.h): metrics.jsonl -> TSV data, a gnuplot script, PNGs.

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"
#include "souk/train/progress.h"

extern char** environ;

namespace souk::train {
namespace {

constexpr char kGnuplot[] = "gnuplot";
constexpr char kTerminal[] = "set terminal pngcairo noenhanced size 1000,600";
constexpr char kMissing[] = "?";  // gnuplot's `set datafile missing` marker

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ":", line, ": ", what));
}

// ---- reading the log ----

struct TrainPoint {
  double step;
  std::optional<double> loss;  // null in the log (a NaN loss) is a gap in the curve
  std::optional<double> lr;
};

struct EvalPoint {
  double step;
  std::map<std::string, double> metrics;
};

struct Curves {
  std::vector<TrainPoint> train;
  std::vector<EvalPoint> eval;
  std::set<std::string> metric_names;
};

std::optional<double> NumberField(const nlohmann::json& line, const char* key) {
  const auto it = line.find(key);
  if (it == line.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

absl::Status AddLine(const nlohmann::json& line, const std::string& path, size_t number,
                     Curves* curves) {
  const std::optional<double> step = NumberField(line, "step");
  if (!step.has_value()) return LineError(path, number, "expected a number \"step\"");
  const std::string kind = line.value("kind", "");
  if (kind == "train") {
    curves->train.push_back({*step, NumberField(line, "loss"), NumberField(line, "lr")});
  } else if (kind == "eval") {
    const auto metrics = line.find("metrics");
    if (metrics == line.end() || !metrics->is_object()) {
      return LineError(path, number, "eval line without a \"metrics\" object");
    }
    EvalPoint point{*step, {}};
    for (const auto& [name, value] : metrics->items()) {
      if (!value.is_number()) continue;
      point.metrics[name] = value.get<double>();
      curves->metric_names.insert(name);
    }
    curves->eval.push_back(std::move(point));
  }
  return absl::OkStatus();  // other kinds are for other readers
}

absl::StatusOr<Curves> ReadCurves(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  Curves curves;
  LineCursor cursor(contents);
  std::string_view text;
  while (cursor.Next(&text)) {
    if (TrimBlanks(text).empty()) continue;
    const nlohmann::json line = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!line.is_object()) return LineError(path, cursor.line_number(), "not a JSON object");
    SOUK_RETURN_IF_ERROR(AddLine(line, path, cursor.line_number(), &curves));
  }
  if (curves.train.empty()) return absl::InvalidArgumentError(StrCat(path, ": no train lines"));
  return curves;
}

// ---- writing data and script ----

std::string Cell(std::optional<double> value) {
  if (!value.has_value() || !std::isfinite(*value)) return kMissing;
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", *value);
  return text;
}

std::string TrainTsv(const Curves& curves) {
  std::string tsv = "# step\tloss\tlr\n";
  for (const TrainPoint& p : curves.train) {
    tsv += StrCat(Cell(p.step), "\t", Cell(p.loss), "\t", Cell(p.lr), "\n");
  }
  return tsv;
}

std::string EvalTsv(const Curves& curves) {
  std::string tsv = "# step";
  for (const std::string& name : curves.metric_names) tsv += StrCat("\t", name);
  tsv += "\n";
  for (const EvalPoint& p : curves.eval) {
    tsv += Cell(p.step);
    for (const std::string& name : curves.metric_names) {
      const auto it = p.metrics.find(name);
      tsv += StrCat("\t", Cell(it == p.metrics.end() ? std::nullopt : std::optional(it->second)));
    }
    tsv += "\n";
  }
  return tsv;
}

// A gnuplot single-quoted string: no escapes inside, a quote is doubled.
std::string Quoted(std::string_view text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

std::string Script(const Curves& curves, const std::string& prefix) {
  const std::string train = Quoted(prefix + "-train.tsv");
  std::string script = StrCat(kTerminal, "\nset datafile separator tab\nset datafile missing '",
                              kMissing, "'\nset grid\nset xlabel 'step'\nset key top right\n");
  script +=
      StrCat("set output ", Quoted(prefix + "-loss.png"),
             "\nset title 'training loss and learning rate'\nset ylabel 'loss'\n"
             "set ytics nomirror\nset y2label 'learning rate'\nset y2tics\nset format y2 '%.1e'\n"
             "plot ",
             train, " using 1:2 with lines title 'loss' axes x1y1, ", train,
             " using 1:3 with lines title 'lr' axes x1y2\n");
  if (curves.eval.empty()) return script + "unset output\n";
  const std::string eval = Quoted(prefix + "-eval.tsv");
  script += StrCat("unset y2tics\nunset y2label\nset format y2\nset ytics mirror\nset output ",
                   Quoted(prefix + "-eval.png"), "\nset title 'evaluation'\nset ylabel 'metric'\n",
                   "plot ");
  int column = 2;
  for (const std::string& name : curves.metric_names) {
    script += StrCat(column > 2 ? ", " : "", eval, " using 1:", column, " with linespoints title ",
                     Quoted(name));
    ++column;
  }
  return script + "\nunset output\n";
}

// ---- running gnuplot ----

bool OnPath(const char* program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (true) {
    const size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    const std::string candidate = StrCat(dir.empty() ? "." : dir, "/", program);
    if (access(candidate.c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
}

// Runs `gnuplot script` without a shell; its stderr comes back for the error message.
absl::Status RunGnuplot(const std::string& script_path) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return absl::InternalError(StrCat("pipe: ", std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::string program = kGnuplot;
  std::string argument = script_path;
  char* argv[] = {program.data(), argument.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, kGnuplot, &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  std::string messages;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    if (messages.size() < 4096) messages.append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  for (char& c : messages) c = c == '\n' ? ' ' : c;
  if (spawned != 0) return absl::InternalError(StrCat("running gnuplot: ", std::strerror(spawned)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(StrCat(
      "gnuplot ", script_path, " failed (", WIFEXITED(status) ? "exit status " : "signal ",
      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), "): ", TrimBlanks(messages)));
}

}  // namespace

absl::Status RenderCurves(const std::string& metrics_path, const std::string& out_prefix) {
  SOUK_ASSIGN_OR_RETURN(const Curves curves, ReadCurves(metrics_path));
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(out_prefix + "-train.tsv", TrainTsv(curves)));
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(out_prefix + "-eval.tsv", EvalTsv(curves)));
  const std::string script_path = out_prefix + ".gp";
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(script_path, Script(curves, out_prefix)));
  if (!OnPath(kGnuplot)) {
    return absl::FailedPreconditionError(
        StrCat("gnuplot is not on PATH: install the gnuplot-nox package (apt-get install "
               "gnuplot-nox), then run `gnuplot ",
               script_path, "`"));
  }
  return RunGnuplot(script_path);
}

}  // namespace souk::train
