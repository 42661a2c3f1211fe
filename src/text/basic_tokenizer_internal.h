// The text half of BERT tokenization (steps 1-3 of wordpiece_tokenizer.h): per-character
// lower-casing, cutting out special tokens, then HF's BasicTokenizer (cleaning, CJK split, NFC,
// accent stripping, punctuation split). WordPiece itself lives in wordpiece_tokenizer.cc.
//
// Thread-safety: BasicTokenize is reentrant; the config is read only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"

namespace souk::text::internal {

struct BasicTokenizerConfig {
  bool lower_case = true;
  bool strip_accents = true;
  bool tokenize_chinese_chars = true;
  /// Never split or altered; set through SetSpecialTokens.
  std::vector<std::string> special_tokens;
  /// Whether some special token starts with this byte (a fast reject for the per-byte scan).
  std::array<bool, 256> special_first_byte{};

  /// Stores non-empty `tokens` longest first, so that the first match at a position is the
  /// longest, and indexes their first bytes.
  void SetSpecialTokens(std::vector<std::string> tokens);
};

/// Calls `emit(word, is_special)` for every word of `text` in order; `word` is valid during the
/// call only and is never empty.
void BasicTokenize(std::string_view text, const BasicTokenizerConfig& config,
                   absl::FunctionRef<void(std::string_view word, bool is_special)> emit);

/// HF's _is_chinese_char: the CJK Unified Ideographs blocks and their extensions A-E, and the
/// compatibility ideographs (not Hangul, kana or CJK punctuation).
bool IsCjkIdeograph(int32_t c);
/// HF's _is_punctuation: every non-alphanumeric printable ASCII character, and Unicode P*.
bool IsBertPunctuation(int32_t c);

}  // namespace souk::text::internal
