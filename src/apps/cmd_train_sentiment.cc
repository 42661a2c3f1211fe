// souk train sentiment: a review sentiment classifier fine-tuned from a pre-trained BERT.

#include <cstdio>
#include <iostream>

#include "cmd_util.h"
#include "commands.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/train/sentiment.h"
#include "train_flags.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk train sentiment --model DIR --out DIR --reviews FILE... [--max-length 128]
                            [--batch 32] [--epochs 3] [--lr 5e-5] [--warmup 0.06]
                            [--weight-decay 0.01] [--clip 1.0] [runtime flags]

Fine-tunes the pre-trained model DIR (souk train pretrain) with a classification head on
labeled reviews: --reviews .csv (cat,label,review) or demo events.jsonl (stars 4-5 positive,
1-2 negative); each may repeat. A fixed fifth of the reviews (by a hash of the text) is held
out and measured after every epoch; the pre-training corpus leaves the same fifth out.
Writes a BertForSequenceClassification directory and eval.json (accuracy per category and
epoch); docs/training.md explains the flags.
)";

absl::Status ReadFlags(const Flags& flags, train::SentimentOptions* o) {
  o->base_model_dir = flags.Get("model");
  o->out_dir = flags.Get("out");
  o->reviews = flags.GetAll("reviews");
  o->optimizer.learning_rate = 5e-5;
  SOUK_ASSIGN_OR_RETURN(o->max_length, flags.GetInt("max-length", o->max_length));
  SOUK_ASSIGN_OR_RETURN(o->batch_size, flags.GetInt("batch", o->batch_size));
  SOUK_ASSIGN_OR_RETURN(o->epochs, flags.GetInt("epochs", o->epochs));
  SOUK_RETURN_IF_ERROR(ReadOptimizer(flags, &o->optimizer));
  SOUK_RETURN_IF_ERROR(ReadRuntime(flags, &o->runtime));
  return o->Validate();
}

void PrintResult(const train::SentimentResult& result, const std::string& out_dir) {
  std::cout << "sentiment: " << result.train_reviews << " training, " << result.heldout_reviews
            << " held-out reviews, " << result.parameters << " parameters, " << result.seconds
            << " s\n";
  for (const train::SentimentEpoch& e : result.history) {
    std::printf("  epoch %lld: train loss %.4f, held-out accuracy %.4f\n",
                static_cast<long long>(e.epoch), e.train_loss, e.heldout_accuracy);
  }
  for (const train::CategoryAccuracy& c : result.categories) {
    std::printf("  %s: %lld reviews, accuracy %.4f\n",
                c.category.empty() ? "(no category)" : c.category.c_str(),
                static_cast<long long>(c.reviews), c.accuracy());
  }
  std::fflush(stdout);
  std::cout << "held-out accuracy " << result.heldout_accuracy << " -> " << out_dir
            << (result.finished ? "" : " (stopped early; --resume continues)") << "\n";
}

}  // namespace

int RunTrainSentiment(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 3,
      {.with_value = Union({kRuntimeFlags,
                            kOptimizerFlags,
                            {"model", "out", "reviews", "max-length", "batch", "epochs"}}),
       .boolean = kRuntimeBooleans});
  if (!flags.ok()) return Fail("souk train sentiment", flags.status());
  if (flags->Has("help")) return Usage(StrCat(kUsage, "\n", kRuntimeFlagsUsage), true);
  if (absl::Status s = flags->Require({"model", "out", "reviews"}); !s.ok()) {
    return Fail("souk train sentiment", s);
  }
  train::SentimentOptions options;
  if (absl::Status s = ReadFlags(*flags, &options); !s.ok()) {
    return Fail("souk train sentiment", s);
  }
  auto result = train::RunSentimentTraining(options);
  if (!result.ok()) return Fail("souk train sentiment", result.status());
  PrintResult(*result, options.out_dir);
  return 0;
}

}  // namespace souk::apps
