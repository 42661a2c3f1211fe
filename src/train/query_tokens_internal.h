// QueryTokens: a query's token ids as dense training and dense evaluation read it, the way the
// engine serves it: a model that reads analyzed text (text::AnalyzedTokenizer) gets the query's
// terms spelling corrected against the catalog's terms (lexical::SpellingCorrector over the
// catalog indexed with the model's analyzer, default lexical.spelling options), as Snapshot's
// QueryTerms and EncodeQuery do; any other model gets the text as typed.
//
// Thread-safety: Encode is const and may run concurrently. Ownership: borrows the catalog and
// the tokenizer, which must outlive it.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "souk/catalog/catalog.h"
#include "souk/lexical/inverted_index.h"
#include "souk/lexical/spelling.h"
#include "souk/text/analyzed_tokenizer.h"
#include "souk/text/tokenizer.h"

namespace souk::train::internal {

class QueryTokens {
 public:
  /// `correct_spelling` false: queries as typed whatever the tokenizer.
  static absl::StatusOr<std::unique_ptr<QueryTokens>> Create(const catalog::Catalog& catalog,
                                                             const text::Tokenizer& tokenizer,
                                                             bool correct_spelling);

  text::Encoding Encode(std::string_view query, size_t max_length) const;

 private:
  explicit QueryTokens(const text::Tokenizer& tokenizer) : tokenizer_(tokenizer) {}

  const text::Tokenizer& tokenizer_;
  const text::AnalyzedTokenizer* analyzed_ = nullptr;     // with a corrector only
  std::unique_ptr<lexical::InvertedIndex> index_;         // the corrector's dictionary
  std::unique_ptr<lexical::SpellingCorrector> spelling_;  // null: as typed
};

}  // namespace souk::train::internal
