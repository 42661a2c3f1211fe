#include "query_tokens_internal.h"
#include "souk/base/status_macros.h"

namespace souk::train::internal {

absl::StatusOr<std::unique_ptr<QueryTokens>> QueryTokens::Create(const catalog::Catalog& catalog,
                                                                 const text::Tokenizer& tokenizer,
                                                                 bool correct_spelling) {
  std::unique_ptr<QueryTokens> out(new QueryTokens(tokenizer));
  const auto* analyzed = dynamic_cast<const text::AnalyzedTokenizer*>(&tokenizer);
  if (!correct_spelling || analyzed == nullptr) return out;
  const lexical::LexicalOptions lexical;
  SOUK_ASSIGN_OR_RETURN(out->index_,
                        lexical::InvertedIndex::Build(catalog, analyzed->analyzer(), lexical));
  out->spelling_ = lexical::SpellingCorrector::Build(*out->index_, lexical.spelling);
  out->analyzed_ = analyzed;
  return out;
}

text::Encoding QueryTokens::Encode(std::string_view query, size_t max_length) const {
  if (spelling_ == nullptr) return tokenizer_.Encode(query, max_length);
  return analyzed_->EncodeTerms(spelling_->Correct(analyzed_->analyzer().Analyze(query)),
                                max_length);
}

}  // namespace souk::train::internal
