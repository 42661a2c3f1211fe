// WordPieceTokenizer: BERT's tokenizer, reproducing Hugging Face's slow `BertTokenizer`
// (transformers/models/bert/tokenization_bert.py) token for token, so that checkpoints trained
// with HF tools see the same ids here.
//
// The pipeline, in HF's order:
//  1. With do_lower_case, every code point outside the special tokens is lower-cased on its own
//     (Python's str.lower() per character, as PreTrainedTokenizer.tokenize does; so a final
//     capital sigma becomes "σ", not "ς").
//  2. Special tokens ([CLS], [MASK], ...) written in the text are cut out and kept whole.
//  3. Basic tokenization of the rest: NUL, U+FFFD and control/format/unassigned characters
//     (category C*, except tab, CR, LF) are removed; whitespace (Zs, tab, CR, LF, U+2028/9)
//     separates; CJK ideographs become words of their own; NFC; a word equal to a special token
//     stays whole; accents are stripped (NFD, drop Mn) when strip_accents says so; punctuation
//     (ASCII 33-47, 58-64, 91-96, 123-126, Unicode P*) splits words and is a word itself.
//  4. WordPiece: greedy longest-match-first over code points with the "##" continuation prefix;
//     a word longer than max_input_chars_per_word code points, or with no full segmentation,
//     becomes one [UNK].
// Ill-formed UTF-8 bytes read as U+FFFD and are therefore dropped.
//
// Invariants: ids are vocab.txt line numbers (0-based); every special token is in the vocab.
// Thread-safety: immutable after construction; all const methods may run concurrently.
// Ownership: the tokenizer owns its vocabulary; results are returned by value.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/text/tokenizer.h"

namespace souk::text {

namespace internal {
struct BasicTokenizerConfig;
}  // namespace internal

struct WordPieceOptions {
  bool do_lower_case = true;  ///< Lower-case before WordPiece (HF BertTokenizer default).
  /// Strip accents (NFD, drop Mn). Unset follows do_lower_case, as HF's strip_accents=None does.
  std::optional<bool> strip_accents;
  bool tokenize_chinese_chars = true;     ///< Each CJK ideograph is its own word (HF default).
  size_t max_input_chars_per_word = 100;  ///< Longer words become [UNK] (HF default).
  std::string pad_token = "[PAD]";        ///< Padding token.
  std::string unk_token = "[UNK]";        ///< Out-of-vocabulary word.
  std::string cls_token = "[CLS]";        ///< Starts every sequence.
  std::string sep_token = "[SEP]";        ///< Ends each segment.
  std::string mask_token = "[MASK]";      ///< Masked-LM placeholder.

  /// InvalidArgument when a special token is empty or max_input_chars_per_word is zero.
  absl::Status Validate() const;
  /// Whether accents are stripped once strip_accents' default is resolved.
  bool StripsAccents() const { return strip_accents.value_or(do_lower_case); }
};

class WordPieceTokenizer final : public Tokenizer {
 public:
  /// Reads a vocab.txt (one token per line, id = 0-based line number; a trailing '\r' and a
  /// leading byte order mark are ignored; empty lines keep their id but match nothing).
  /// NotFound for a missing file; InvalidArgument naming the file and line for a duplicate
  /// token, and naming the token for a missing special token.
  static absl::StatusOr<std::unique_ptr<WordPieceTokenizer>> Load(
      const std::string& vocab_txt_path, const WordPieceOptions& options = {});
  /// The same from tokens in id order (tests, tools); errors name the entry's index.
  static absl::StatusOr<std::unique_ptr<WordPieceTokenizer>> FromVocab(
      std::vector<std::string> tokens, const WordPieceOptions& options = {});
  ~WordPieceTokenizer() override;

  /// Truncates from the end when the text has more than max_length - 2 pieces; a max_length
  /// below 2 counts as 2.
  Encoding Encode(std::string_view text, size_t max_length) const override;
  /// Truncates HF's "longest_first" way: one piece at a time from the longer segment, from the
  /// second when they are equal; a max_length below 3 counts as 3.
  Encoding EncodePair(std::string_view a, std::string_view b, size_t max_length) const override;
  std::vector<std::string> Tokenize(std::string_view text) const override;
  /// The piece ids of `text` without special framing (what Encode puts between [CLS] and [SEP]).
  std::vector<int64_t> TokenizeToIds(std::string_view text) const;

  /// Id of `token`, or nullopt when it is not in the vocabulary.
  std::optional<int64_t> TokenToId(std::string_view token) const;
  /// The token with id `id`, or "" when out of range.
  std::string_view IdToToken(int64_t id) const;

  size_t vocab_size() const override { return tokens_.size(); }
  int64_t pad_id() const override { return pad_id_; }
  int64_t cls_id() const override { return cls_id_; }
  int64_t sep_id() const override { return sep_id_; }
  int64_t mask_id() const override { return mask_id_; }
  int64_t unk_id() const override { return unk_id_; }
  const WordPieceOptions& options() const { return options_; }

 private:
  WordPieceTokenizer(const WordPieceOptions& options, std::vector<std::string> tokens);
  static absl::StatusOr<std::unique_ptr<WordPieceTokenizer>> Build(
      std::vector<std::string> tokens, const WordPieceOptions& options,
      absl::FunctionRef<std::string(size_t index)> where);

  /// Appends the ids of the WordPiece segmentation of one basic-tokenized word.
  void AppendWordIds(std::string_view word, std::vector<int64_t>* ids) const;
  std::optional<int64_t> Find(const absl::flat_hash_map<std::string, int64_t>& map,
                              std::string_view key) const;

  WordPieceOptions options_;
  std::vector<std::string> tokens_;                         // id -> token
  absl::flat_hash_map<std::string, int64_t> word_start_;    // every token -> id
  absl::flat_hash_map<std::string, int64_t> continuation_;  // "##x" as "x" -> id
  std::unique_ptr<const internal::BasicTokenizerConfig> basic_;
  int64_t pad_id_ = 0;
  int64_t unk_id_ = 0;
  int64_t cls_id_ = 0;
  int64_t sep_id_ = 0;
  int64_t mask_id_ = 0;
};

}  // namespace souk::text
