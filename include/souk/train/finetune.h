// `souk train finetune`: a bi-encoder (one BERT for queries and products, as DPR / Sentence-BERT)
// fine-tuned contrastively on judged (query, product, grade) pairs, for dense retrieval by
// cosine similarity.
//
// Loss: InfoNCE (van den Oord et al. 2018; Karpukhin et al. 2020, "DPR") over the batch's
// positives (in-batch negatives) plus BM25-mined hard negatives: for each query, products that
// BM25 ranks high but that are not judged relevant. Similarities are cosines / temperature.
// A candidate judged relevant to the query (another query's positive that is also this one's)
// is masked out rather than pushed away. Optionally, pseudo queries cropped from product titles
// join the judged pairs (self-supervision, as Contriever's random cropping).
//
// Data: qrels TSV files (Home Depot dev-qrels layout) and demo shop events.jsonl sessions, with
// products from the catalog files (every judged product must be in them). Queries are split
// into train and held-out (by a seeded hash of the query id); the held-out part is evaluated
// after every epoch by dense retrieval over the whole catalog (NDCG@10, Recall@k, MRR@10);
// the best epoch's model is kept, and training stops after `patience` epochs without gain.
//
// Output directory: the best model (config.json, model.safetensors, tokenizer, souk.json),
// checkpoint.pt, metrics.jsonl, the curve PNGs and eval.json (the best epoch's metrics).
// Thread-safety: one run per output directory at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/eval/metrics.h"
#include "souk/train/optimization.h"
#include "souk/train/runtime.h"

namespace souk::train {

struct FinetuneOptions {
  std::string base_model_dir;  ///< The model to start from (e.g. `souk train pretrain`'s output).
  std::string out_dir;
  std::vector<std::string> catalogs;  ///< Product files (JSONL or TSV).
  std::vector<std::string> qrels;     ///< Qrels TSV files.
  std::vector<std::string> sessions;  ///< Demo shop events.jsonl files.
  double heldout_fraction = 0.2;      ///< Queries held out for evaluation; [0, 1).
  double positive_min_grade = 2.0;    ///< Judgments at or above this grade are positives.
  double temperature = 0.05;          ///< Softmax temperature of the cosine logits.
  int64_t batch_size = 32;            ///< (query, positive) pairs per step.
  int64_t hard_negatives = 1;         ///< BM25-mined negatives per pair.
  int64_t hard_negative_depth = 50;   ///< BM25 ranks the negatives are drawn from.
  /// Pseudo queries cut from product titles (1-4 words; 2-6 characters of a Chinese title) added
  /// to every epoch's pairs, drawn afresh each epoch: self-supervision that teaches word
  /// matching beyond the judged queries' vocabulary (Contriever-style cropping). 0: none.
  int64_t pseudo_queries = 0;
  int64_t epochs = 4;
  int64_t patience = 2;             ///< Epochs without a better NDCG@10 before stopping.
  int64_t max_query_length = 24;    ///< Tokens per query, [CLS] and [SEP] included.
  int64_t max_product_length = 48;  ///< Tokens per product text.
  int64_t eval_k = 100;             ///< Recall@k of the held-out evaluation.
  eval::MetricOptions metrics;      ///< Gains and the relevance threshold of Recall.
  /// Pooling of the fine-tuned model ("cls", "mean", "weighted_mean", "pooler"); empty keeps the
  /// base model's. weighted_mean starts from the base model's token weights when it has them,
  /// else from log IDF over the catalog's product texts.
  std::string pooling;
  /// The fine-tuned model counts each distinct token once (model::ServingConfig's
  /// distinct_tokens); needs weighted_mean pooling.
  bool distinct_tokens = false;
  /// weighted_mean started from log IDF: the token weights start at IDF^idf_power. Cosine
  /// multiplies a matched token's two weights, so 0.5 weighs a match by IDF as BM25 does.
  double idf_power = 1.0;
  /// > 0: the fine-tuned model gets a length pivot (model::ServingConfig's length_pivot;
  /// needs weighted_mean) of this many token states' norm (sqrt of the hidden size), unless
  /// the base model has one; it is not trained. 0: none.
  double length_pivot = 0;
  /// A base model that reads analyzed text: training and held-out queries are spelling
  /// corrected against the catalog's terms first, as the engine serves them
  /// (train::DenseRetrievalOptions::correct_spelling).
  bool correct_spelling = true;
  OptimizerOptions optimizer{.learning_rate = 1e-4};
  RuntimeOptions runtime;
  absl::Status Validate() const;
};

struct EpochMetrics {
  int64_t epoch = 0;
  double train_loss = 0;
  std::map<std::string, double> heldout;  ///< "ndcg@10", "recall@100", "mrr@10"
};

struct FinetuneResult {
  std::vector<EpochMetrics> history;  ///< One entry per evaluated epoch (epoch 0: before training).
  int64_t best_epoch = 0;
  size_t train_queries = 0;
  size_t train_pairs = 0;
  size_t heldout_queries = 0;
  double seconds = 0;
};

absl::StatusOr<FinetuneResult> RunFinetuning(const FinetuneOptions& options);

}  // namespace souk::train
