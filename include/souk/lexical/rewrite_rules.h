// Query rewrite rules as people and `souk train rewrites` write them, before analysis: synonym
// lines in Solr's synonyms.txt syntax, and learned rewrites (one query to another) as a TSV file
// (docs/formats/query-rewrites.md). QueryRewriter (query_rewriter.h) analyzes and applies them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::lexical {

/// A query holding `from` gets the terms of `to` added.
struct RewriteRule {
  std::string from;          ///< A phrase as typed (analyzed when the rewriter is built).
  std::string to;            ///< Likewise.
  bool whole_query = false;  ///< Fires only when the whole query is `from` (learned rewrites).

  friend bool operator==(const RewriteRule&, const RewriteRule&) = default;
};

/// The rules of one synonym line: "a, b, c" gives each phrase the other two; "a, b => c, d" gives
/// a and b both c and d (one way). Phrases are trimmed; a blank line gives none. INVALID_ARGUMENT
/// for an empty phrase, a line of one phrase, or more than one "=>".
absl::StatusOr<std::vector<RewriteRule>> ParseSynonymLine(std::string_view line);

/// The rules of every line of a synonyms file; '#' starts a comment to the end of its line.
/// Errors name the file and line.
absl::StatusOr<std::vector<RewriteRule>> ReadSynonymsFile(const std::string& path);

/// Shoppers who searched `from`, found nothing they wanted, searched `to` in the same session
/// and bought from its results.
struct LearnedRewrite {
  std::string from;
  std::string to;
  size_t users = 0;  ///< Distinct shoppers who did so.

  friend bool operator==(const LearnedRewrite&, const LearnedRewrite&) = default;
};

/// A learned rewrites file: the header "from<TAB>to<TAB>users", then one rewrite per line. Errors
/// name the file and line: a missing header, a line without three cells, an empty query, a users
/// count that is not a positive integer.
absl::StatusOr<std::vector<LearnedRewrite>> ReadLearnedRewrites(const std::string& path);

/// Writes `rewrites` in the layout above, atomically. INVALID_ARGUMENT for a query that is empty
/// or holds a tab or line break.
absl::Status WriteLearnedRewrites(const std::string& path,
                                  const std::vector<LearnedRewrite>& rewrites);

/// Each rewrite as a whole-query rule.
std::vector<RewriteRule> AsRules(const std::vector<LearnedRewrite>& rewrites);

}  // namespace souk::lexical
