// Query evaluation over posting cursors: MaxScore top-k, its exhaustive reference, and the set of
// all matching documents (for facets).
//
// Scores are sums of per-term float contributions (PostingCursor::Score) accumulated in double.
// With a handful of terms whose contributions lie within a few orders of magnitude of each other
// the double sum is exact, so every strategy (whatever order it adds terms in) produces the same
// float score for a document, and the DocId tie-break then gives the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "index_data_internal.h"
#include "posting_cursor_internal.h"
#include "souk/lexical/filter.h"
#include "souk/lexical/hit.h"

namespace souk::lexical::internal {

using CursorList = absl::InlinedVector<PostingCursor, 8>;

/// One cursor per distinct known query term; a term repeated n times gets n times its idf.
CursorList OpenCursors(const IndexData& data, const std::vector<std::string>& terms);

/// Top-k by document-at-a-time MaxScore (Turtle & Flood, IP&M 1995). Reorders `cursors` and
/// advances them. `filter` may be null.
std::vector<Hit> MaxScoreTopK(std::span<PostingCursor> cursors, const DocFilter* filter, size_t k);

/// Top-k by scoring every posting into per-document accumulators: the reference for
/// MaxScoreTopK, O(num_docs) memory per query.
std::vector<Hit> ExhaustiveTopK(std::span<const PostingCursor> cursors, const DocFilter* filter,
                                size_t k, size_t num_docs);

/// Bitset (one bit per DocId, as DocFilter) of documents matching any term and the filter.
std::vector<uint64_t> MatchingDocs(std::span<const PostingCursor> cursors, const DocFilter* filter,
                                   size_t num_docs);

}  // namespace souk::lexical::internal
