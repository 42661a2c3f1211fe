// Learned query rewrites from a search log: a shopper searched A, bought nothing and carted
// nothing from its results, searched B in the same session and bought from B's results. Each
// such (A, B) counts its shopper once; pairs that enough distinct shoppers made become the
// rewrite A -> B (lexical/query_rewriter.h adds B's terms to the query A at query time). Queries
// are compared as the analyzer's terms, so "Drills" and "drill" are one query; the file keeps the
// form typed most often. A search without a user_id is left out; a session is the searches of one
// user with one session_id, or, without session ids, those less than `session_gap_s` apart.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "souk/lexical/rewrite_rules.h"
#include "souk/text/analyzer.h"
#include "souk/train/search_log.h"

namespace souk::train {

struct RewriteLearningOptions {
  size_t min_users = 2;          ///< Distinct shoppers a rewrite needs.
  int64_t session_gap_s = 1800;  ///< Without session ids: a longer pause starts a new session.
};

/// For each query A, the B most shoppers rewrote it to (ties: the smaller B), when they number
/// at least min_users and B has a term A lacks; sorted by shoppers, most first, then by A.
std::vector<lexical::LearnedRewrite> LearnQueryRewrites(const std::vector<LoggedSearch>& log,
                                                        const text::Analyzer& analyzer,
                                                        const RewriteLearningOptions& options);

}  // namespace souk::train
