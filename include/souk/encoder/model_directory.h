// Model directories in the Hugging Face layout, as Souk reads and writes them:
//
//   config.json        BertConfig fields (model/bert_config.h)
//   model.safetensors  weights under Hugging Face names ("bert." prefix of task models accepted)
//   vocab.txt          WordPiece vocabulary (+ tokenizer_config.json's do_lower_case), or
//   spiece.model       SentencePiece model
//   tokenizer_config.json  optional; Souk reads do_lower_case and "analyzer" (text goes through
//                      Souk's Analyzer before the tokenizer: text/analyzed_tokenizer.h)
//   souk.json          Souk's serving settings (model/serving_config.h); optional
//
// docs/models.md describes the layout for users. This header is torch-free; loading into a
// module happens inside the encoder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "souk/model/bert_config.h"
#include "souk/model/serving_config.h"
#include "souk/text/analyzer.h"
#include "souk/text/tokenizer.h"

namespace souk::encoder {

inline constexpr char kConfigFile[] = "config.json";
inline constexpr char kWeightsFile[] = "model.safetensors";
inline constexpr char kVocabFile[] = "vocab.txt";
inline constexpr char kSentencePieceFile[] = "spiece.model";
inline constexpr char kServingFile[] = "souk.json";
inline constexpr char kTokenizerConfigFile[] = "tokenizer_config.json";
/// The tokenizer_config.json key of the analyzer options: {"analyzer": {"stem_english": true}}.
inline constexpr char kAnalyzerKey[] = "analyzer";

/// The tokenizer of the model directory `dir`: WordPiece when it holds vocab.txt (with
/// tokenizer_config.json's do_lower_case), else SentencePiece from spiece.model; behind an
/// AnalyzedTokenizer when tokenizer_config.json has "analyzer". NOT_FOUND naming the directory
/// when it has neither file; load and parse errors name the file.
absl::StatusOr<std::unique_ptr<text::Tokenizer>> LoadTokenizer(const std::string& dir);

/// Writes tokenizer_config.json with {"analyzer": `analyzer`} into `dir` (atomically, replacing
/// the file): the directory's tokenizer then reads analyzed text.
absl::Status WriteAnalyzerConfig(const std::string& dir, const text::AnalyzerOptions& analyzer);

/// Writes a complete directory holding a BERT with seeded random weights (N(0, 0.02) as
/// Hugging Face initializes them, LayerNorm at 1/0), the WordPiece `vocab`, `config` and
/// `serving`. Tests and benchmarks make their models this way: nothing is downloaded.
absl::Status WriteRandomModelDirectory(const std::string& dir, const model::BertConfig& config,
                                       const model::ServingConfig& serving,
                                       const std::vector<std::string>& vocab, uint64_t seed);

/// The same with a BertForMaskedLM (a TermExpander's model).
absl::Status WriteRandomMaskedLmDirectory(const std::string& dir, const model::BertConfig& config,
                                          const model::ServingConfig& serving,
                                          const std::vector<std::string>& vocab, uint64_t seed);

/// The same with a BertForSequenceClassification of `labels` labels (config's id2label, if
/// any, names them).
absl::Status WriteRandomClassifierDirectory(const std::string& dir, const model::BertConfig& config,
                                            const model::ServingConfig& serving,
                                            const std::vector<std::string>& vocab, int64_t labels,
                                            uint64_t seed);

}  // namespace souk::encoder
