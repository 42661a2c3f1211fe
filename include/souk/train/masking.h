// Masked-language-model inputs (Devlin et al. 2019, "BERT", section 3.1 Task #1): choose 15% of
// the tokens, replace 80% of the chosen with [MASK], 10% with a random token, keep 10%, and ask
// the model to predict the original at every chosen position.
//
// Whole-word masking (as Google's later BERT release and Cui et al. 2021, "Pre-Training with
// Whole Word Masking for Chinese BERT"): the tokens of one word are chosen together. Word
// boundaries come from the tokenizer's pieces and, for Chinese and Japanese, from the analyzer's
// dictionary segmentation, which SentencePiece does not know (a piece may span two words or a
// word several pieces): see AssignWordIds.
//
// Deterministic: the same inputs and Rng state give the same output on every machine.
// Thread-safety: pure functions (the Rng is the caller's).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace souk::train {

/// Label of a position the loss ignores (PyTorch's cross_entropy ignore_index default).
inline constexpr int64_t kIgnoreLabel = -100;

/// SplitMix64 (Steele et al. 2014): tiny, seedable, identical everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  /// Uniform in [0, 1).
  double Uniform();
  /// Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n);

 private:
  uint64_t state_;
};

/// A seed for (seed, stream, index) triples: lets every step and epoch draw from its own
/// stream, so a resumed run draws exactly what an uninterrupted one would.
uint64_t DeriveSeed(uint64_t seed, uint64_t stream, uint64_t index);

enum class PieceStyle {
  kSentencePiece,  ///< a piece starting with "▁" (U+2581) starts a word
  kWordPiece,      ///< a piece starting with "##" continues the previous word
};

/// Word index (0, 1, 2, ...) of each piece of one text (pieces as Tokenizer::Tokenize returns
/// them, without special tokens). A piece starts a new word when the piece style says so, and
/// also where an analyzer term containing a Han or kana character begins: `analyzer_terms` are
/// the text's terms in order (text::Analyzer::Analyze), located one after another in the
/// concatenated piece surfaces ("▁" read as a space, "##" dropped, a byte-fallback piece
/// "<0xE5>" read as its one byte); terms not found there (stemmed or normalized English) are
/// skipped. A piece gets one word id: one that spans two terms belongs to the word where it
/// starts, one that starts inside a term continues that term's word (in WordPiece style too,
/// where BERT's basic tokenizer gives every Han character its own piece without "##": Cui et
/// al. mark those "##"). A piece that is only "▁" forms one word with the piece after it.
/// The first piece starts word 0.
std::vector<int32_t> AssignWordIds(const std::vector<std::string>& pieces, PieceStyle style,
                                   const std::vector<std::string>& analyzer_terms);

struct MaskingOptions {
  double mask_probability = 0.15;    ///< Share of (non-special) tokens chosen.
  double replace_with_mask = 0.8;    ///< Of the chosen: becomes [MASK].
  double replace_with_random = 0.1;  ///< Of the chosen: a random non-special token.
  bool whole_word = true;            ///< Choose whole words (see above) instead of tokens.
  /// INVALID_ARGUMENT naming the field: probabilities in [0, 1], mask + random <= 1.
  absl::Status Validate() const;
};

/// What the masker must know of the vocabulary.
struct MaskVocabulary {
  int64_t vocab_size = 0;
  int64_t mask_id = 0;
  /// Never chosen and never drawn as random replacements (nor is mask_id).
  std::vector<int64_t> special_ids;
};

struct MaskedSequence {
  std::vector<int64_t> input_ids;  ///< The ids with the chosen positions replaced.
  std::vector<int64_t> labels;     ///< The original id at chosen positions, else kIgnoreLabel.
};

/// Masks `ids` (one sequence, special tokens included). `word_ids` has one entry per id: the
/// word of a token, or -1 for special tokens (never chosen). A word is a run of consecutive
/// tokens with one word id (so the two texts of a pair never merge). Words are chosen in a
/// random order until round(mask_probability x maskable tokens) tokens are chosen (at least one
/// when any token is maskable and mask_probability > 0), skipping a word that would pass that
/// budget, as Hugging Face's DataCollatorForWholeWordMask does, except that when every word is
/// longer than the budget one whole word is still chosen (else a title cut into many pieces
/// would teach nothing, and a batch of them has no loss at all); with whole_word off every token
/// is its own word. Each chosen token draws its own 80/10/10 replacement. Precondition: sizes
/// match, options valid, and the vocabulary has a token that is neither special nor mask_id.
MaskedSequence MaskSequence(const std::vector<int64_t>& ids, const std::vector<int32_t>& word_ids,
                            const MaskingOptions& options, const MaskVocabulary& vocabulary,
                            Rng& rng);

}  // namespace souk::train
