// Tokenizer: text -> model input ids, the interface shared by WordPiece (vocab.txt, Hugging Face
// BertTokenizer behaviour) and SentencePiece (spiece.model).
//
// Output is what a BERT forward pass takes: ids framed by [CLS] ... [SEP] (and a second segment
// ... [SEP] for pairs), token type ids 0 for the first segment and 1 for the second, truncated to
// max_length (longest segment first for pairs, as Hugging Face's "longest_first").
// Thread-safety: Encode*() are const and safe to call from many threads.
//
// To add a tokenizer: implement this interface and teach the model directory loader
// (model/model_directory) which file selects it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace souk::text {

struct Encoding {
  std::vector<int64_t> ids;             ///< Token ids including special tokens.
  std::vector<int64_t> token_type_ids;  ///< 0 for the first segment, 1 for the second.
  bool operator==(const Encoding&) const = default;
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  /// [CLS] text [SEP], at most `max_length` ids (>= 2).
  virtual Encoding Encode(std::string_view text, size_t max_length) const = 0;
  /// [CLS] a [SEP] b [SEP], at most `max_length` ids (>= 3).
  virtual Encoding EncodePair(std::string_view a, std::string_view b, size_t max_length) const = 0;
  /// The pieces of `text` without special tokens ("un", "##aff", "##able"), for inspection.
  virtual std::vector<std::string> Tokenize(std::string_view text) const = 0;

  virtual size_t vocab_size() const = 0;
  virtual int64_t pad_id() const = 0;
  virtual int64_t cls_id() const = 0;
  virtual int64_t sep_id() const = 0;
  virtual int64_t mask_id() const = 0;
  virtual int64_t unk_id() const = 0;
};

}  // namespace souk::text
