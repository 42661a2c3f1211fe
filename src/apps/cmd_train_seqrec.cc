// souk train seqrec: the sequential recommender on users' item histories (docs/recommend.md).

#include <iostream>

#include "cmd_util.h"
#include "commands.h"
#include "souk/base/status_macros.h"
#include "souk/train/seqrec_training.h"
#include "train_flags.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk train seqrec --interactions FILE --out DIR [--hidden 64] [--layers 2] [--heads 2]
                         [--max-length 50] [--dropout 0.2] [--batch 128] [--epochs 20]
                         [--patience 3] [--validation-users 4000] [--negatives 0]
                         [--item-text ITEMS.tsv --text-encoder MODEL] [--lr 1e-3] [--warmup 0.01]
                         [--weight-decay 0] [--clip 1.0] [runtime flags]

FILE: `user item` per line, each user's lines in time order (docs/formats/interactions.md).
Trains SASRec with full softmax cross-entropy over all items; keeps the epoch with the best
NDCG@10 on the newest item of --validation-users users (held out of training), and stops after
--patience epochs without gain. DIR gets the model (config.json, model.safetensors, items.txt),
for `souk recommend --model DIR`. --item-text (`item<TAB>text` lines) with --text-encoder (a
model directory) starts the item embeddings from the items' text (docs/recommend.md).
)";

absl::Status ReadFlags(const Flags& flags, train::SeqRecTrainingOptions* o) {
  o->interactions = flags.Get("interactions");
  o->out_dir = flags.Get("out");
  SOUK_RETURN_IF_ERROR(ReadSeqRecFlags(flags, o));
  return o->Validate();
}

void PrintResult(const train::SeqRecTrainingResult& r, const std::string& out_dir) {
  std::cout << "seqrec: " << r.users << " users, " << r.items << " items, " << r.interactions
            << " interactions, " << r.validation_users << " validation users; " << r.parameters
            << " parameters, " << r.seconds << " s\n";
  if (r.text_initialized_items > 0) {
    std::cout << "  item embeddings of " << r.text_initialized_items
              << " items started from their text\n";
  }
  for (const train::SeqRecEpoch& e : r.history) {
    std::cout << "  epoch " << e.epoch << (e.epoch == r.best_epoch ? " (best)" : "")
              << ": train loss " << e.train_loss;
    for (const auto& [name, value] : e.validation) std::cout << "  " << name << " " << value;
    std::cout << "\n";
  }
  std::cout << "best model (epoch " << r.best_epoch << ") -> " << out_dir << "\n";
}

}  // namespace

int RunTrainSeqRec(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 3,
      {.with_value = Union({kRuntimeFlags, kOptimizerFlags, kSeqRecFlags, {"interactions", "out"}}),
       .boolean = kRuntimeBooleans});
  if (!flags.ok()) return Fail("souk train seqrec", flags.status());
  if (flags->Has("help")) return Usage(kUsage, true);
  if (absl::Status s = flags->Require({"interactions", "out"}); !s.ok()) {
    return Fail("souk train seqrec", s);
  }
  train::SeqRecTrainingOptions options;
  if (absl::Status s = ReadFlags(*flags, &options); !s.ok()) return Fail("souk train seqrec", s);
  auto result = train::RunSeqRecTraining(options);
  if (!result.ok()) return Fail("souk train seqrec", result.status());
  PrintResult(*result, options.out_dir);
  return 0;
}

}  // namespace souk::apps
