// AnalyzedTokenizer: a Tokenizer that reads text the way Souk's index does. The Analyzer's
// terms (case-folded, stemmed, units made canonical: analyzer.h), joined by single spaces, are
// what the wrapped tokenizer sees, at training and at serving time alike; so an encoder matches
// "Drills 18V" to "drill 18 volt" as BM25 does, and can give each analyzed term one token
// (a SentencePiece word model over analyzed text).
//
// A model directory selects it with an "analyzer" object in tokenizer_config.json
// (encoder/model_directory.h). Hugging Face tools that load such a directory see the wrapped
// tokenizer only: they must analyze text the same way first.
//
// Thread-safety: as the wrapped tokenizer and the Analyzer, whose const methods are thread-safe.
// Ownership: owns both.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "souk/text/analyzer.h"
#include "souk/text/tokenizer.h"

namespace souk::text {

class AnalyzedTokenizer final : public Tokenizer {
 public:
  AnalyzedTokenizer(std::unique_ptr<Analyzer> analyzer, std::unique_ptr<Tokenizer> tokenizer);

  Encoding Encode(std::string_view text, size_t max_length) const override;
  Encoding EncodePair(std::string_view a, std::string_view b, size_t max_length) const override;
  std::vector<std::string> Tokenize(std::string_view text) const override;
  /// Text already analyzed: `terms` as analyzer() makes them, perhaps rewritten since (a query's
  /// spelling corrected against the index's terms). They are not analyzed again: stemming a
  /// stem can change it ("refriger" -> "refrig").
  Encoding EncodeTerms(const std::vector<std::string>& terms, size_t max_length) const;

  size_t vocab_size() const override { return tokenizer_->vocab_size(); }
  int64_t pad_id() const override { return tokenizer_->pad_id(); }
  int64_t cls_id() const override { return tokenizer_->cls_id(); }
  int64_t sep_id() const override { return tokenizer_->sep_id(); }
  int64_t mask_id() const override { return tokenizer_->mask_id(); }
  int64_t unk_id() const override { return tokenizer_->unk_id(); }

  const Analyzer& analyzer() const { return *analyzer_; }
  const Tokenizer& wrapped() const { return *tokenizer_; }

 private:
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<Tokenizer> tokenizer_;
};

}  // namespace souk::text
