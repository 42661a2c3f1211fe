// souk sentiment: a review sentiment model applied to texts, one P(positive) per line, for
// checking what a model says before soukd serves it, and timing it.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cmd_util.h"
#include "commands.h"
#include "souk/base/logging.h"
#include "souk/encoder/sentiment_classifier.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk sentiment --model DIR [--device cpu|cuda|cuda:N|auto] [--batch 32] [--threads 0]
                      [TEXT...]

Scores each TEXT, or without any each line of stdin, with a sentiment model directory (souk
train sentiment, or a Hugging Face BertForSequenceClassification): one line "P(positive)<TAB>
text" per text, in order. The count and rate go to stderr. --threads: libtorch's CPU threads
(0: every core).
)";

constexpr size_t kLinesPerChunk = 1024;  // bounds memory on long inputs

absl::Status ScoreAndPrint(const encoder::SentimentClassifier& classifier,
                           const std::vector<std::string>& texts) {
  absl::StatusOr<std::vector<float>> scores = classifier.Score(texts);
  if (!scores.ok()) return scores.status();
  for (size_t i = 0; i < texts.size(); ++i)
    std::printf("%.4f\t%s\n", (*scores)[i], texts[i].c_str());
  return absl::OkStatus();
}

}  // namespace

int RunSentiment(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2, {.with_value = {"model", "device", "batch", "threads"}, .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk sentiment", flags.status());
  if (flags->Has("help") || !flags->Has("model")) return Usage(kUsage, flags->Has("help"));
  encoder::SentimentOptions options;
  options.model_dir = flags->Get("model");
  options.device = flags->Get("device", "cpu");
  auto batch = flags->GetInt("batch", 32);
  if (!batch.ok()) return Fail("souk sentiment", batch.status());
  if (*batch < 1)
    return Fail("souk sentiment", absl::InvalidArgumentError("--batch: must be >= 1"));
  options.batch_size = static_cast<size_t>(*batch);
  auto threads = flags->GetInt("threads", 0);
  if (!threads.ok()) return Fail("souk sentiment", threads.status());
  options.threads = static_cast<int>(*threads);
  auto classifier = encoder::SentimentClassifier::Load(options);
  if (!classifier.ok()) return Fail("souk sentiment", classifier.status());
  const auto start = std::chrono::steady_clock::now();
  size_t scored = 0;
  std::vector<std::string> texts = flags->positional();
  if (!texts.empty()) {
    if (absl::Status s = ScoreAndPrint(**classifier, texts); !s.ok()) {
      return Fail("souk sentiment", s);
    }
    scored = texts.size();
  } else {
    std::string line;
    for (bool more = true; more;) {
      more = static_cast<bool>(std::getline(std::cin, line));
      if (more) texts.push_back(line);
      if (texts.size() < kLinesPerChunk && (more || texts.empty())) continue;
      if (absl::Status s = ScoreAndPrint(**classifier, texts); !s.ok()) {
        return Fail("souk sentiment", s);
      }
      scored += texts.size();
      texts.clear();
    }
  }
  std::fflush(stdout);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "souk sentiment: " << scored << " texts in " << seconds << " s ("
            << (seconds > 0 ? static_cast<double>(scored) / seconds : 0) << " per second)\n";
  return 0;
}

}  // namespace souk::apps
