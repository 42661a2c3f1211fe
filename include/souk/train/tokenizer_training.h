// `souk train tokenizer`: a SentencePiece unigram model (Kudo 2018) trained on shop text, with
// the BERT special pieces, written as `spiece.model` into a model directory that the trainers
// (and the encoder) read.
// Thread-safety: calls are serialized process-wide by TrainSentencePiece.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "souk/train/corpus.h"

namespace souk::train {

struct TokenizerTrainingOptions {
  CorpusOptions corpus;
  std::string out_dir;     ///< Gets spiece.model and spiece.vocab (created if needed).
  int vocab_size = 16000;  ///< Pieces, special and byte pieces included.
  /// Sentences sampled from the corpus (0: all). SentencePiece's memory grows with it.
  uint64_t max_sentences = 2000000;
  /// Case-fold in the model's own normalization (an uncased model, as bert-base-uncased): shop
  /// queries are typed in lower case while titles are capitalized.
  bool lowercase = true;
  int threads = 2;
  uint64_t seed = 42;
};

struct TokenizerTrainingResult {
  CorpusStats corpus;
  size_t sentences = 0;  ///< Lines the corpus gave.
  std::string model_path;
};

/// INVALID_ARGUMENT for bad options; corpus errors as ReadCorpus; sentencepiece's own errors
/// (a vocab_size the corpus cannot fill) name the setting.
absl::StatusOr<TokenizerTrainingResult> TrainTokenizer(const TokenizerTrainingOptions& options);

}  // namespace souk::train
