// `souk train tokenizer`: a SentencePiece unigram (Kudo 2018) or word model trained on shop
// text, raw or as Souk's analyzer makes it, with the BERT special pieces, written as
// `spiece.model` (and tokenizer_config.json when analyzed) into a model directory that the
// trainers (and the encoder) read.
// Thread-safety: calls are serialized process-wide by TrainSentencePiece.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "souk/text/analyzer.h"
#include "souk/text/sentencepiece_tokenizer.h"
#include "souk/train/corpus.h"

namespace souk::train {

struct TokenizerTrainingOptions {
  CorpusOptions corpus;
  std::string out_dir;     ///< Gets spiece.model and spiece.vocab (created if needed).
  int vocab_size = 16000;  ///< Pieces, special and byte pieces included.
  /// kWord: one piece per word (with `analyzer`: per analyzed term), the rarest beyond
  /// vocab_size become <unk>.
  text::SentencePieceModelType model_type = text::SentencePieceModelType::kUnigram;
  /// When set, the corpus is analyzed (terms joined by spaces) before training, and out_dir's
  /// tokenizer_config.json records it, so that every model made from out_dir reads text
  /// through the same Analyzer (text/analyzed_tokenizer.h).
  std::optional<text::AnalyzerOptions> analyzer;
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
