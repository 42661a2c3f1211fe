// SentencePieceTokenizer: the Tokenizer for models that ship a `spiece.model` (Kudo & Richardson
// 2018, "SentencePiece: A simple and language independent subword tokenizer"), our own trained
// models included; and TrainSentencePiece, which trains one of those models.
//
// Text is segmented by libsentencepiece exactly as the model says (normalization, dummy prefix
// "▁", byte fallback); the tokenizer only adds BERT framing: [CLS] a [SEP] (b [SEP]), with the
// special tokens looked up by piece in the model (SentencePieceOptions names them).
// libsentencepiece is confined to src/text/sentencepiece_tokenizer.cc: its header clashes with
// Debian's Abseil, and only the rebuild in .deps/sentencepiece may be linked (see
// scripts/install-deps.sh). No sentencepiece type appears here.
//
// Invariants: ids are the model's piece ids; every special token is a piece of the model.
// Thread-safety: immutable after Load(); all const methods may run concurrently (the underlying
// SentencePieceProcessor is const-thread-safe). TrainSentencePiece calls are serialized.
// Ownership: the tokenizer owns its model; results are returned by value.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/text/tokenizer.h"

namespace souk::text {

/// The special pieces of a SentencePiece model. Defaults are those TrainSentencePiece puts in.
struct SentencePieceOptions {
  std::string pad_token = "<pad>";    ///< Padding (id 0 in our models).
  std::string unk_token = "<unk>";    ///< Unknown piece (id 1 in our models).
  std::string cls_token = "[CLS]";    ///< Starts every sequence.
  std::string sep_token = "[SEP]";    ///< Ends each segment.
  std::string mask_token = "[MASK]";  ///< Masked-LM placeholder.

  /// InvalidArgument when a special token is empty.
  absl::Status Validate() const;
};

class SentencePieceTokenizer final : public Tokenizer {
 public:
  /// Loads a serialized SentencePiece ModelProto (`spiece.model`, `<prefix>.model`).
  /// NotFound for a missing file, InvalidArgument for one that does not parse (both naming the
  /// path), InvalidArgument naming the token when a special token is not a piece of the model.
  static absl::StatusOr<std::unique_ptr<SentencePieceTokenizer>> Load(
      const std::string& spiece_model_path, const SentencePieceOptions& options = {});
  ~SentencePieceTokenizer() override;

  /// Truncates from the end when the text has more than max_length - 2 pieces; a max_length
  /// below 2 counts as 2.
  Encoding Encode(std::string_view text, size_t max_length) const override;
  /// Truncates HF's "longest_first" way: one piece at a time from the longer segment, from the
  /// second when they are equal; a max_length below 3 counts as 3.
  Encoding EncodePair(std::string_view a, std::string_view b, size_t max_length) const override;
  /// The pieces ("▁我们", "<0x57>", ...) without special framing.
  std::vector<std::string> Tokenize(std::string_view text) const override;
  /// The piece ids of `text` without special framing (what Encode puts between [CLS] and [SEP]).
  std::vector<int64_t> TokenizeToIds(std::string_view text) const;
  /// The text of `ids` (byte pieces reassembled, "▁" back to spaces). With skip_special_tokens
  /// the pad, cls, sep and mask ids are dropped first. InvalidArgument for an id out of range.
  absl::StatusOr<std::string> Decode(const std::vector<int64_t>& ids,
                                     bool skip_special_tokens = true) const;

  /// Id of the piece `token`, or nullopt when the model has no such piece.
  std::optional<int64_t> TokenToId(std::string_view token) const;
  /// The piece with id `id`, or "" when out of range.
  std::string IdToToken(int64_t id) const;

  size_t vocab_size() const override;
  int64_t pad_id() const override { return pad_id_; }
  int64_t cls_id() const override { return cls_id_; }
  int64_t sep_id() const override { return sep_id_; }
  int64_t mask_id() const override { return mask_id_; }
  int64_t unk_id() const override { return unk_id_; }
  const SentencePieceOptions& options() const { return options_; }

 private:
  struct Impl;  // Holds the sentencepiece::SentencePieceProcessor.
  SentencePieceTokenizer(const SentencePieceOptions& options, std::unique_ptr<Impl> impl);

  SentencePieceOptions options_;
  std::unique_ptr<Impl> impl_;
  int64_t pad_id_ = 0;
  int64_t unk_id_ = 0;
  int64_t cls_id_ = 0;
  int64_t sep_id_ = 0;
  int64_t mask_id_ = 0;
};

/// How TrainSentencePiece trains: a unigram model (Kudo 2018, "Subword Regularization") with
/// byte fallback, pad = 0, unk = 1 and the cls, sep and mask tokens as user-defined symbols
/// (ids 2, 3, 4; "[MASK]" typed in the text stays one piece), no BOS/EOS.
/// How SentencePiece segments: unigram sub-words (Kudo 2018), or whole whitespace-separated
/// words (one piece per word of the vocabulary; other words are <unk>).
enum class SentencePieceModelType { kUnigram, kWord };

struct SentencePieceTrainOptions {
  std::string input_path;    ///< UTF-8 text, one sentence per line.
  std::string model_prefix;  ///< Writes <model_prefix>.model and <model_prefix>.vocab.
  int vocab_size = 32000;    ///< Pieces in the model, special and byte pieces included.
  SentencePieceModelType model_type = SentencePieceModelType::kUnigram;
  /// Share of characters covered by character pieces; rarer ones go to byte fallback.
  /// 0.9995 is SentencePiece's recommendation for CJK-rich text (its README, "Train").
  double character_coverage = 0.9995;
  /// Unknown characters become their UTF-8 bytes (<0xE2>...) instead of <unk>: lossless decode.
  /// Unigram models only (a word model has no pieces to fall back from).
  bool byte_fallback = true;
  /// Case-fold as part of the model's normalization (rule nmt_nfkc_cf instead of nmt_nfkc), so
  /// "Angle" and "angle" are the same pieces at training and at encoding time: an uncased model.
  bool case_fold = false;
  /// Sentences sampled (shuffled with `seed`) from the input; 0 reads all of them.
  uint64_t input_sentence_size = 0;
  int num_threads = 1;  ///< Trainer threads; the model is the same for the same count and seed.
  uint32_t seed = 42;   ///< Seeds sentencepiece's (process-wide) random generator.
  SentencePieceOptions special_tokens;  ///< The special pieces written into the model.
  bool verbose = false;                 ///< Lets sentencepiece log its progress to stderr.

  /// InvalidArgument for empty paths, vocab_size < 16, coverage outside (0, 1], threads < 1,
  /// byte_fallback with a word model, an invalid special_tokens or one containing a comma.
  absl::Status Validate() const;
};

/// Trains a model from options.input_path. Errors (unreadable input, a vocab_size the corpus
/// cannot fill, an unwritable prefix) are statuses naming the input or the prefix; nothing is
/// thrown. Calls are serialized process-wide (sentencepiece's seed and log level are global).
absl::Status TrainSentencePiece(const SentencePieceTrainOptions& options);

}  // namespace souk::text
