// Masked-LM training data: corpus lines tokenized once (ids with [CLS]/[SEP] and the word of
// each token), and batches of them masked per step.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "souk/text/analyzer.h"
#include "souk/text/tokenizer.h"
#include "souk/train/masking.h"

namespace souk::train::internal {

struct TokenizedLine {
  std::vector<int64_t> ids;       ///< [CLS] pieces [SEP], at most max_length.
  std::vector<int32_t> word_ids;  ///< Per id: its word, -1 for [CLS] and [SEP].
};

/// Tokenizes every line (cut to `max_length` ids); word boundaries as masking.h's
/// AssignWordIds, with CJK words from `analyzer`. Lines that give no piece are dropped.
std::vector<TokenizedLine> TokenizeLines(const std::vector<std::string>& lines,
                                         const text::Tokenizer& tokenizer,
                                         const text::Analyzer& analyzer, int64_t max_length);

struct MlmBatch {
  torch::Tensor input_ids;       ///< [B, T] int64, padded with the pad id
  torch::Tensor attention_mask;  ///< [B, T] int64
  torch::Tensor labels;          ///< [B, T] int64, kIgnoreLabel off the masked positions
};

/// The lines `rows` of `lines`, masked with `rng`, padded to the longest.
MlmBatch MakeMlmBatch(const std::vector<TokenizedLine>& lines, const std::vector<int64_t>& rows,
                      const MaskingOptions& masking, const MaskVocabulary& vocabulary,
                      int64_t pad_id, Rng& rng);

/// The masking vocabulary of `tokenizer`: its size, [MASK], and the special ids.
MaskVocabulary MaskVocabularyOf(const text::Tokenizer& tokenizer);

}  // namespace souk::train::internal
