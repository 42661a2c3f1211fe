// QueryRewriter: terms a query gets added at query time from two tables, so that it also finds
// products described in other words. Synonyms are the shop's own (configuration: "sofa, couch"
// makes "grey sofa" search "couch" too); learned rewrites come from its search log (`souk train
// rewrites`: shoppers who searched "charging block", found nothing to buy and bought after
// searching "usb charger" make "charging block" search "usb" and "charger" too).
//
// Rules are analyzed with the index's analyzer when the rewriter is built, so "Sofas" in a rule
// matches the query "sofa". A synonym fires where its phrase occurs in the query as consecutive
// terms (spelling corrections applied); a learned rewrite only when the whole query, as typed and
// analyzed, is its phrase. Added terms are appended (an OR, as spelling's additions are), each
// once and never one the query holds already, at most max_added_terms per query; learned
// rewrites first, then synonyms in order of where they match.
//
// Thread-safety: immutable after Build; Rewrite may run concurrently.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/lexical/lexical_options.h"
#include "souk/lexical/rewrite_rules.h"
#include "souk/text/analyzer.h"

namespace souk::lexical {

class QueryRewriter {
 public:
  /// The rules analyzed with `analyzer`. INVALID_ARGUMENT naming the rule when one of its
  /// phrases has no terms (punctuation only). Precondition: max_added_terms >= 1.
  static absl::StatusOr<std::unique_ptr<QueryRewriter>> Build(const std::vector<RewriteRule>& rules,
                                                              const text::Analyzer& analyzer,
                                                              size_t max_added_terms);
  /// The rules `options` names (inline synonyms, synonyms_file, learned_file); null when it names
  /// none. Errors name the entry or file that was wrong.
  static absl::StatusOr<std::unique_ptr<QueryRewriter>> Load(const RewriteOptions& options,
                                                             const text::Analyzer& analyzer);
  ~QueryRewriter();

  /// `terms` (the query's terms after spelling correction) with the terms of every rule that
  /// fires appended; `typed` is the query's terms before correction (for learned rewrites).
  std::vector<std::string> Rewrite(const std::vector<std::string>& typed,
                                   std::vector<std::string> terms) const;

  size_t num_synonym_rules() const;
  size_t num_learned_rules() const;

 private:
  struct Data;
  explicit QueryRewriter(std::unique_ptr<Data> data);
  std::unique_ptr<Data> data_;
};

}  // namespace souk::lexical
