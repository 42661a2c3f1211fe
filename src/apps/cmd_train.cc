// souk train tokenizer | pretrain | finetune | ranker | seqrec | sentiment: the training
// pipeline (docs/training.md).

#include <iostream>
#include <string>
#include <vector>

#include "cmd_util.h"
#include "commands.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/train/finetune.h"
#include "souk/train/pretrain.h"
#include "souk/train/tokenizer_training.h"
#include "train_flags.h"

namespace souk::apps {
namespace {

constexpr char kTrainUsage[] =
    R"(usage: souk train <tokenizer|pretrain|finetune|ranker|seqrec|sentiment|rewrites> [flags]

  tokenizer  SentencePiece (unigram) on shop text -> DIR/spiece.model
  pretrain   masked-LM pre-training of a BERT -> a model directory
  finetune   contrastive bi-encoder fine-tuning on judged queries -> a model directory
  ranker     LambdaMART ranker on judged queries over an index's candidates -> RANKER.json
  seqrec     sequential recommender (SASRec) on users' item histories -> a model directory
  sentiment  review sentiment classifier fine-tuned from a pre-trained model -> a model directory
  rewrites   learned query rewrites from a search log's reformulations -> REWRITES.tsv

`souk train <step> --help` lists each step's flags; docs/training.md explains them.
)";

constexpr char kTokenizerUsage[] =
    R"(usage: souk train tokenizer --out DIR [--catalog FILE]... [--reviews FILE]... [--text FILE]...
                            [--vocab-size 16000] [--max-sentences 2000000] [--cased]
                            [--model-type unigram|word] [--analyze] [--no-stem]
                            [--threads 2] [--seed 42]

Corpus: --catalog (JSONL/TSV: titles and descriptions), --reviews (.csv cat,label,review or
demo events.jsonl), --text (one sentence per line); each may repeat. The model case-folds
its input (uncased) unless --cased. --analyze: the model reads text as Souk's analyzer makes
it (stemmed unless --no-stem; recorded in DIR/tokenizer_config.json, so the models made from
DIR do too). --model-type word: one piece per word (per analyzed term with --analyze).
)";

constexpr char kPretrainUsage[] =
    R"(usage: souk train pretrain --tokenizer DIR --out DIR [corpus flags as `souk train tokenizer`]
                           [--init MODEL_DIR] [--layers 4] [--hidden 256] [--heads 4]
                           [--intermediate 1024] [--max-length 64] [--pooling mean]
                           [--bag-of-words-init] [--batch 64] [--steps 2000] [--lr 5e-4] [--warmup 0.06]
                           [--weight-decay 0.01] [--clip 1.0] [--mask-prob 0.15] [--no-whole-word]
                           [runtime flags]

--steps 0 writes the initialized, untrained model: a start for fine-tuning from scratch.
--bag-of-words-init starts position and segment embeddings at zero, so that model, fine-tuned
with --pooling weighted_mean, begins as an IDF-weighted bag of token vectors.

Runtime flags (pretrain, finetune and seqrec): [--device auto|cpu|cuda|cuda:N] [--threads 0]
  [--no-mixed-precision] [--seed 42] [--resume] [--checkpoint-every 200] [--stop-after STEP]
  [--log-every 10] [--no-plot]
)";

constexpr char kFinetuneUsage[] =
    R"(usage: souk train finetune --model DIR --out DIR --catalog FILE... (--qrels FILE | --sessions FILE)...
                           [--heldout 0.2] [--positive-min-grade 2] [--temperature 0.05]
                           [--batch 32] [--hard-negatives 1] [--negative-depth 50]
                           [--pseudo-queries 0] [--epochs 4]
                           [--patience 2] [--max-query-length 24] [--max-product-length 48]
                           [--eval-k 100] [--gain-offset 0] [--relevant-grade 1] [--pooling P]
                           [--distinct-tokens] [--idf-power 1] [--length-pivot 0] [--no-spelling]
                           [--lr 1e-4] [--warmup 0.06] [--weight-decay 0.01]
                           [--clip 1.0] [runtime flags as `souk train pretrain`]

--distinct-tokens (with --pooling weighted_mean) counts a token repeated in one text once.
--idf-power P: weighted_mean token weights start at IDF^P (when the base model has none).
--length-pivot X (> 0, weighted_mean): product vectors get a length pivot of X token states
(souk.json length_pivot; not trained); cosine then normalizes length as BM25 does.
A model that reads analyzed text (souk train tokenizer --analyze) trains and evaluates on
queries spelling-corrected against the catalog's terms, as soukd serves them; --no-spelling
leaves them as typed.
)";

const std::set<std::string> kCorpusFlags = {"catalog", "reviews", "text"};

train::CorpusOptions ReadCorpusFlags(const Flags& flags) {
  train::CorpusOptions corpus;
  corpus.catalogs = flags.GetAll("catalog");
  corpus.reviews = flags.GetAll("reviews");
  corpus.text_files = flags.GetAll("text");
  return corpus;
}

int RunTokenizerStep(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 3,
      {.with_value = Union(
           {kCorpusFlags, {"out", "vocab-size", "max-sentences", "model-type", "threads", "seed"}}),
       .boolean = {"cased", "analyze", "no-stem", "help"}});
  if (!flags.ok()) return Fail("souk train tokenizer", flags.status());
  if (flags->Has("help") || !flags->Has("out")) return Usage(kTokenizerUsage, flags->Has("help"));
  train::TokenizerTrainingOptions options;
  options.corpus = ReadCorpusFlags(*flags);
  options.out_dir = flags->Get("out");
  options.lowercase = !flags->Has("cased");
  if (flags->Has("analyze")) {
    options.analyzer = text::AnalyzerOptions{.stem_english = !flags->Has("no-stem")};
  } else if (flags->Has("no-stem")) {
    return Fail("souk train tokenizer", absl::InvalidArgumentError("--no-stem needs --analyze"));
  }
  absl::Status read = [&]() -> absl::Status {
    const std::string type = flags->Get("model-type", "unigram");
    if (type == "word") {
      options.model_type = text::SentencePieceModelType::kWord;
    } else if (type != "unigram") {
      return absl::InvalidArgumentError(
          StrCat("--model-type: expected unigram or word, got \"", type, "\""));
    }
    SOUK_ASSIGN_OR_RETURN(int64_t vocab, flags->GetInt("vocab-size", options.vocab_size));
    options.vocab_size = static_cast<int>(vocab);
    SOUK_ASSIGN_OR_RETURN(
        int64_t max_sentences,
        flags->GetInt("max-sentences", static_cast<int64_t>(options.max_sentences)));
    options.max_sentences = static_cast<uint64_t>(max_sentences);
    SOUK_ASSIGN_OR_RETURN(int64_t threads, flags->GetInt("threads", options.threads));
    options.threads = static_cast<int>(threads);
    SOUK_ASSIGN_OR_RETURN(int64_t seed, flags->GetInt("seed", static_cast<int64_t>(options.seed)));
    options.seed = static_cast<uint64_t>(seed);
    return absl::OkStatus();
  }();
  if (!read.ok()) return Fail("souk train tokenizer", read);
  auto result = train::TrainTokenizer(options);
  if (!result.ok()) return Fail("souk train tokenizer", result.status());
  std::cout << "tokenizer: " << options.vocab_size << " pieces from " << result->sentences
            << " lines -> " << result->model_path << "\n";
  return 0;
}

absl::Status ReadPretrainFlags(const Flags& flags, train::PretrainOptions* options) {
  options->corpus = ReadCorpusFlags(flags);
  options->tokenizer_dir = flags.Get("tokenizer");
  options->init_model_dir = flags.Get("init");
  options->out_dir = flags.Get("out");
  model::BertConfig& a = options->architecture;
  SOUK_ASSIGN_OR_RETURN(a.num_hidden_layers, flags.GetInt("layers", 4));
  SOUK_ASSIGN_OR_RETURN(a.hidden_size, flags.GetInt("hidden", 256));
  SOUK_ASSIGN_OR_RETURN(a.num_attention_heads, flags.GetInt("heads", 4));
  SOUK_ASSIGN_OR_RETURN(a.intermediate_size, flags.GetInt("intermediate", 4 * a.hidden_size));
  SOUK_ASSIGN_OR_RETURN(options->serving.max_length, flags.GetInt("max-length", 64));
  a.max_position_embeddings = std::max<int64_t>(128, options->serving.max_length);
  std::optional<model::Pooling> pooling = model::ParsePooling(flags.Get("pooling", "mean"));
  if (!pooling)
    return absl::InvalidArgumentError("--pooling: expected cls, mean, weighted_mean or pooler");
  options->serving.pooling = *pooling;
  SOUK_ASSIGN_OR_RETURN(options->batch_size, flags.GetInt("batch", options->batch_size));
  SOUK_ASSIGN_OR_RETURN(options->steps, flags.GetInt("steps", options->steps));
  options->bag_of_words_init = flags.Has("bag-of-words-init");
  SOUK_ASSIGN_OR_RETURN(options->masking.mask_probability,
                        flags.GetDouble("mask-prob", options->masking.mask_probability));
  options->masking.whole_word = !flags.Has("no-whole-word");
  SOUK_RETURN_IF_ERROR(ReadOptimizer(flags, &options->optimizer));
  return ReadRuntime(flags, &options->runtime);
}

int RunPretrainStep(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 3,
      {.with_value =
           Union({kCorpusFlags,
                  kRuntimeFlags,
                  kOptimizerFlags,
                  {"tokenizer", "init", "out", "layers", "hidden", "heads", "intermediate",
                   "max-length", "pooling", "batch", "steps", "mask-prob"}}),
       .boolean = Union({kRuntimeBooleans, {"no-whole-word", "bag-of-words-init"}})});
  if (!flags.ok()) return Fail("souk train pretrain", flags.status());
  if (flags->Has("help")) return Usage(kPretrainUsage, true);
  if (absl::Status s = flags->Require({"tokenizer", "out"}); !s.ok()) {
    return Fail("souk train pretrain", s);
  }
  train::PretrainOptions options;
  if (absl::Status s = ReadPretrainFlags(*flags, &options); !s.ok()) {
    return Fail("souk train pretrain", s);
  }
  auto result = train::RunPretraining(options);
  if (!result.ok()) return Fail("souk train pretrain", result.status());
  std::cout << "pretrain: " << result->steps << " steps, last loss " << result->last_loss << ", "
            << result->parameters << " parameters, " << result->seconds << " s -> "
            << options.out_dir << (result->finished ? "" : " (stopped early; --resume continues)")
            << "\n";
  return 0;
}

absl::Status ReadFinetuneFlags(const Flags& flags, train::FinetuneOptions* options) {
  options->base_model_dir = flags.Get("model");
  options->out_dir = flags.Get("out");
  options->catalogs = flags.GetAll("catalog");
  options->qrels = flags.GetAll("qrels");
  options->sessions = flags.GetAll("sessions");
  options->pooling = flags.Get("pooling");
  options->distinct_tokens = flags.Has("distinct-tokens");
  options->correct_spelling = !flags.Has("no-spelling");
  SOUK_ASSIGN_OR_RETURN(options->idf_power, flags.GetDouble("idf-power", options->idf_power));
  SOUK_ASSIGN_OR_RETURN(options->length_pivot,
                        flags.GetDouble("length-pivot", options->length_pivot));
  SOUK_ASSIGN_OR_RETURN(options->heldout_fraction,
                        flags.GetDouble("heldout", options->heldout_fraction));
  SOUK_ASSIGN_OR_RETURN(options->positive_min_grade,
                        flags.GetDouble("positive-min-grade", options->positive_min_grade));
  SOUK_ASSIGN_OR_RETURN(options->temperature, flags.GetDouble("temperature", options->temperature));
  SOUK_ASSIGN_OR_RETURN(options->batch_size, flags.GetInt("batch", options->batch_size));
  SOUK_ASSIGN_OR_RETURN(options->hard_negatives,
                        flags.GetInt("hard-negatives", options->hard_negatives));
  SOUK_ASSIGN_OR_RETURN(options->hard_negative_depth,
                        flags.GetInt("negative-depth", options->hard_negative_depth));
  SOUK_ASSIGN_OR_RETURN(options->pseudo_queries, flags.GetInt("pseudo-queries", 0));
  SOUK_ASSIGN_OR_RETURN(options->epochs, flags.GetInt("epochs", options->epochs));
  SOUK_ASSIGN_OR_RETURN(options->patience, flags.GetInt("patience", options->patience));
  SOUK_ASSIGN_OR_RETURN(options->max_query_length,
                        flags.GetInt("max-query-length", options->max_query_length));
  SOUK_ASSIGN_OR_RETURN(options->max_product_length,
                        flags.GetInt("max-product-length", options->max_product_length));
  SOUK_ASSIGN_OR_RETURN(options->eval_k, flags.GetInt("eval-k", options->eval_k));
  SOUK_ASSIGN_OR_RETURN(options->metrics.gain_offset, flags.GetDouble("gain-offset", 0));
  SOUK_ASSIGN_OR_RETURN(options->metrics.relevant_min_grade, flags.GetDouble("relevant-grade", 1));
  SOUK_RETURN_IF_ERROR(ReadOptimizer(flags, &options->optimizer));
  return ReadRuntime(flags, &options->runtime);
}

int RunFinetuneStep(int argc, char** argv) {
  auto flags =
      Flags::Parse(argc, argv, 3,
                   {.with_value = Union({kRuntimeFlags,
                                         kOptimizerFlags,
                                         {"model",
                                          "out",
                                          "catalog",
                                          "qrels",
                                          "sessions",
                                          "heldout",
                                          "positive-min-grade",
                                          "temperature",
                                          "batch",
                                          "hard-negatives",
                                          "negative-depth",
                                          "pseudo-queries",
                                          "epochs",
                                          "patience",
                                          "max-query-length",
                                          "max-product-length",
                                          "eval-k",
                                          "gain-offset",
                                          "relevant-grade",
                                          "pooling",
                                          "idf-power",
                                          "length-pivot"}}),
                    .boolean = Union({kRuntimeBooleans, {"distinct-tokens", "no-spelling"}})});
  if (!flags.ok()) return Fail("souk train finetune", flags.status());
  if (flags->Has("help")) return Usage(kFinetuneUsage, true);
  if (absl::Status s = flags->Require({"model", "out", "catalog"}); !s.ok()) {
    return Fail("souk train finetune", s);
  }
  train::FinetuneOptions options;
  if (absl::Status s = ReadFinetuneFlags(*flags, &options); !s.ok()) {
    return Fail("souk train finetune", s);
  }
  auto result = train::RunFinetuning(options);
  if (!result.ok()) return Fail("souk train finetune", result.status());
  std::cout << "finetune: " << result->train_queries << " train queries (" << result->train_pairs
            << " pairs), " << result->heldout_queries << " held out, " << result->seconds << " s\n";
  for (const train::EpochMetrics& e : result->history) {
    std::cout << "  epoch " << e.epoch << (e.epoch == result->best_epoch ? " (best)" : "")
              << ": train loss " << e.train_loss;
    for (const auto& [name, value] : e.heldout) std::cout << "  " << name << " " << value;
    std::cout << "\n";
  }
  std::cout << "best model (epoch " << result->best_epoch << ") -> " << options.out_dir << "\n";
  return 0;
}

}  // namespace

int RunTrain(int argc, char** argv) {
  // Training reports its progress: let the component's info lines through.
  logging::Configure({.level = logging::Level::kInfo});
  const std::string step = argc > 2 ? argv[2] : "";
  if (step == "tokenizer") return RunTokenizerStep(argc, argv);
  if (step == "pretrain") return RunPretrainStep(argc, argv);
  if (step == "finetune") return RunFinetuneStep(argc, argv);
  if (step == "ranker") return RunTrainRanker(argc, argv);
  if (step == "seqrec") return RunTrainSeqRec(argc, argv);
  if (step == "sentiment") return RunTrainSentiment(argc, argv);
  if (step == "rewrites") return RunTrainRewrites(argc, argv);
  const bool help = step == "--help" || step == "help";
  if (!help && !step.empty()) std::cerr << "souk train: unknown step '" << step << "'\n";
  return Usage(kTrainUsage, help);
}

}  // namespace souk::apps
