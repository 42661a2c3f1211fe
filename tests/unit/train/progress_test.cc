#include "souk/train/progress.h"

#include <cstdio>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/text_lines.h"
#include "support/test_support.h"

namespace souk::train {
namespace {

using ::souk::testing::StatusIs;
using ::souk::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<std::string> Lines(const std::string& path) {
  auto contents = ReadFileToString(path);
  EXPECT_OK(contents);
  std::vector<std::string> lines;
  const std::string text = contents.ok() ? *contents : "";
  LineCursor cursor(text);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (!line.empty()) lines.emplace_back(line);
  }
  return lines;
}

// Runs `steps` steps of loss 2.0 (step 1 ... steps) plus one evaluation at `eval_step`.
void RunReporter(ProgressOptions options, const std::string& out_path, int64_t from, int64_t to,
                 int64_t eval_step) {
  std::FILE* out = std::fopen(out_path.c_str(), "w");
  ASSERT_NE(out, nullptr);
  options.out = out;
  auto reporter = ProgressReporter::Create(options);
  ASSERT_OK(reporter);
  for (int64_t step = from; step <= to; ++step) {
    (*reporter)->Step(step, 1 + step / 10, 2.0 + static_cast<double>(step % 2), 1e-4, 32);
    if (step == eval_step) (*reporter)->Eval(step, 1, {{"ndcg@10", 0.41}, {"recall@100", 0.8}});
  }
  (*reporter)->Finish();
  reporter->reset();
  std::fclose(out);
}

ProgressOptions PlainOptions(const TempDir& dir) {
  ProgressOptions options;
  options.task = "pretrain";
  options.total_steps = 20;
  options.metrics_path = dir.File("metrics.jsonl");
  options.log_every = 5;
  options.plain_interval_s = 0;  // a line at every step
  options.tty = 0;
  return options;
}

TEST(ProgressReporterTest, PlainLinesShowStepLossAndRate) {
  TempDir dir;
  RunReporter(PlainOptions(dir), dir.File("out.txt"), 1, 20, 10);
  const std::vector<std::string> lines = Lines(dir.File("out.txt"));
  ASSERT_EQ(lines.size(), 21u);  // 20 steps and one evaluation
  EXPECT_THAT(lines[0], StartsWith("pretrain step 1/20 (5%) loss=3.000 lr=1.0e-04 "));
  EXPECT_THAT(lines[0], HasSubstr(" items/s elapsed "));
  EXPECT_THAT(lines[0], HasSubstr(" eta "));
  EXPECT_THAT(lines[10],
              StartsWith("pretrain eval step 10 epoch 1 ndcg@10=0.4100 recall@100=0.8000"));
  EXPECT_THAT(lines[20], StartsWith("pretrain step 20/20 (100%) loss=2.000"));
  EXPECT_EQ(lines[20].find('\r'), std::string::npos);
}

TEST(ProgressReporterTest, PlainLinesWaitForTheIntervalButShowTheLastStep) {
  TempDir dir;
  ProgressOptions options = PlainOptions(dir);
  options.plain_interval_s = 3600;
  RunReporter(options, dir.File("out.txt"), 1, 20, -1);
  const std::vector<std::string> lines = Lines(dir.File("out.txt"));
  ASSERT_EQ(lines.size(), 1u);
  // The mean of the 20 losses since the previous display: 2.5.
  EXPECT_THAT(lines[0], StartsWith("pretrain step 20/20 (100%) loss=2.500"));
}

TEST(ProgressReporterTest, MetricsLogHoldsTrainAndEvalLines) {
  TempDir dir;
  ProgressOptions options = PlainOptions(dir);
  options.total_steps = 22;
  RunReporter(options, dir.File("out.txt"), 1, 22, 10);
  const std::vector<std::string> lines = Lines(options.metrics_path);
  std::vector<int64_t> train_steps;
  int evals = 0;
  for (const std::string& line : lines) {
    const nlohmann::json j = nlohmann::json::parse(line);
    if (j["kind"] == "train") {
      train_steps.push_back(j["step"].get<int64_t>());
      EXPECT_NEAR(j["lr"].get<double>(), 1e-4, 1e-12);
      EXPECT_GE(j["items_per_s"].get<double>(), 0.0);
      EXPECT_TRUE(j.contains("elapsed_s"));
      EXPECT_TRUE(j.contains("epoch"));
    } else {
      ASSERT_EQ(j["kind"], "eval");
      ++evals;
      EXPECT_EQ(j["step"], 10);
      EXPECT_DOUBLE_EQ(j["metrics"]["ndcg@10"].get<double>(), 0.41);
      EXPECT_DOUBLE_EQ(j["metrics"]["recall@100"].get<double>(), 0.8);
    }
  }
  EXPECT_EQ(train_steps, (std::vector<int64_t>{5, 10, 15, 20, 22}));
  EXPECT_EQ(evals, 1);
  // Mean over steps 16..20 (losses 2, 3, 2, 3, 2) is 2.4; over 21..22 it is 2.5.
  const nlohmann::json last = nlohmann::json::parse(lines.back());
  EXPECT_DOUBLE_EQ(last["loss"].get<double>(), 2.5);
  EXPECT_THAT(lines[0], StartsWith("{\"kind\":\"train\",\"step\":5,"));
}

TEST(ProgressReporterTest, ResumedRunAppendsToTheLog) {
  TempDir dir;
  ProgressOptions options = PlainOptions(dir);
  RunReporter(options, dir.File("a.txt"), 1, 10, -1);
  options.first_step = 10;
  RunReporter(options, dir.File("b.txt"), 11, 20, -1);
  EXPECT_EQ(Lines(options.metrics_path).size(), 4u);
  EXPECT_THAT(Lines(dir.File("b.txt"))[0], StartsWith("pretrain step 11/20 (55%)"));
}

TEST(ProgressReporterTest, BarRedrawsInPlace) {
  TempDir dir;
  ProgressOptions options = PlainOptions(dir);
  options.tty = 1;
  options.metrics_path = "";
  RunReporter(options, dir.File("out.txt"), 1, 20, 10);
  auto contents = ReadFileToString(dir.File("out.txt"));
  ASSERT_OK(contents);
  EXPECT_THAT(*contents, HasSubstr("\rpretrain 100%|████████████████████| 20/20 ["));
  EXPECT_THAT(*contents, HasSubstr("items/s] loss="));
  EXPECT_THAT(*contents, HasSubstr("pretrain eval step 10 epoch 1 ndcg@10=0.4100"));
  EXPECT_EQ(contents->back(), '\n');
}

TEST(ProgressReporterTest, RejectsBadOptionsAndUnopenableLog) {
  ProgressOptions options;
  EXPECT_THAT(ProgressReporter::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "total_steps"));
  options.total_steps = 10;
  options.log_every = 0;
  EXPECT_THAT(ProgressReporter::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "log_every"));
  options.log_every = 1;
  options.metrics_path = "/nonexistent-dir/metrics.jsonl";
  EXPECT_THAT(ProgressReporter::Create(options),
              StatusIs(absl::StatusCode::kNotFound, "/nonexistent-dir/metrics.jsonl"));
}

// ---- RenderCurves ----

bool IsPng(const std::string& path) {
  auto contents = ReadFileToString(path);
  return contents.ok() && contents->substr(0, 8) == "\x89PNG\r\n\x1A\n";
}

TEST(RenderCurvesTest, WritesDataScriptAndPngsOrNamesGnuplot) {
  TempDir dir;
  RunReporter(PlainOptions(dir), dir.File("out.txt"), 1, 20, 10);
  const std::string prefix = dir.File("curves");
  const absl::Status status = RenderCurves(dir.File("metrics.jsonl"), prefix);
  EXPECT_EQ(Lines(prefix + "-train.tsv").size(), 5u);  // a comment header and 4 rows
  EXPECT_EQ(Lines(prefix + "-eval.tsv"),
            (std::vector<std::string>{"# step\tndcg@10\trecall@100", "10\t0.41\t0.8"}));
  EXPECT_OK(ReadFileToString(prefix + ".gp"));
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, "gnuplot-nox"));
    GTEST_SKIP() << "gnuplot is not installed: " << status;
  }
  ASSERT_OK(status);
  EXPECT_TRUE(IsPng(prefix + "-loss.png"));
  EXPECT_TRUE(IsPng(prefix + "-eval.png"));
}

TEST(RenderCurvesTest, MissingValuesBecomeGaps) {
  TempDir dir;
  const std::string path =
      dir.WriteFile("m.jsonl",
                    "{\"kind\":\"train\",\"step\":1,\"loss\":null,\"lr\":0.001}\n"
                    "{\"kind\":\"train\",\"step\":2,\"loss\":1.5,\"lr\":0.001}\n"
                    "{\"kind\":\"eval\",\"step\":2,\"metrics\":{\"mrr@10\":0.5}}\n"
                    "{\"kind\":\"note\",\"step\":2}\n"
                    "{\"kind\":\"eval\",\"step\":2,\"metrics\":{\"ndcg@10\":0.25}}\n");
  const std::string prefix = dir.File("c");
  const absl::Status status = RenderCurves(path, prefix);
  EXPECT_EQ(Lines(prefix + "-train.tsv"),
            (std::vector<std::string>{"# step\tloss\tlr", "1\t?\t0.001", "2\t1.5\t0.001"}));
  EXPECT_EQ(Lines(prefix + "-eval.tsv"),
            (std::vector<std::string>{"# step\tmrr@10\tndcg@10", "2\t0.5\t?", "2\t?\t0.25"}));
  if (status.code() == absl::StatusCode::kFailedPrecondition) GTEST_SKIP() << status;
  ASSERT_OK(status);
  EXPECT_TRUE(IsPng(prefix + "-loss.png"));
}

TEST(RenderCurvesTest, ErrorsNameTheLine) {
  TempDir dir;
  const std::string path =
      dir.WriteFile("m.jsonl", "{\"kind\":\"train\",\"step\":1,\"loss\":2}\n{\"kind\":\"eval\"}\n");
  EXPECT_THAT(RenderCurves(path, dir.File("c")), StatusIs(absl::StatusCode::kInvalidArgument,
                                                          "m.jsonl:2: expected a number \"step\""));
  EXPECT_THAT(RenderCurves(dir.WriteFile("e.jsonl", "\n"), dir.File("c")),
              StatusIs(absl::StatusCode::kInvalidArgument, "no train lines"));
}

}  // namespace
}  // namespace souk::train
