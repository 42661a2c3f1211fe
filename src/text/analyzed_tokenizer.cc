#include "souk/text/analyzed_tokenizer.h"

#include <utility>

#include "absl/strings/str_join.h"

namespace souk::text {

AnalyzedTokenizer::AnalyzedTokenizer(std::unique_ptr<Analyzer> analyzer,
                                     std::unique_ptr<Tokenizer> tokenizer)
    : analyzer_(std::move(analyzer)), tokenizer_(std::move(tokenizer)) {}

Encoding AnalyzedTokenizer::Encode(std::string_view text, size_t max_length) const {
  return tokenizer_->Encode(analyzer_->AnalyzedText(text), max_length);
}

Encoding AnalyzedTokenizer::EncodePair(std::string_view a, std::string_view b,
                                       size_t max_length) const {
  return tokenizer_->EncodePair(analyzer_->AnalyzedText(a), analyzer_->AnalyzedText(b), max_length);
}

Encoding AnalyzedTokenizer::EncodeTerms(const std::vector<std::string>& terms,
                                        size_t max_length) const {
  return tokenizer_->Encode(absl::StrJoin(terms, " "), max_length);
}

std::vector<std::string> AnalyzedTokenizer::Tokenize(std::string_view text) const {
  return tokenizer_->Tokenize(analyzer_->AnalyzedText(text));
}

}  // namespace souk::text
