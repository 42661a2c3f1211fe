// Labeled queries for contrastive fine-tuning and their held-out split.
//
// Two sources give (query, product, grade) judgments as eval::JudgedQuery:
//   - a qrels TSV (the Home Depot dev-qrels.tsv layout), read by eval::ReadQrelsTsv;
//   - a demo shop events.jsonl (docs/formats/demo-shop.md): every search's query joined with the
//     clicks (grade 1), add-to-carts (grade 2) and purchases (grade 3) that carry its
//     request_id. Queries are grouped by their text (ASCII-lower-cased, blanks trimmed and
//     collapsed); a product's grade is the highest it got for that text; the query id is
//     "q" + the 1-based rank of first appearance among the queries returned ("q1", "q2", ...,
//     without gaps). Searches without any click, cart or purchase give nothing.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/catalog/catalog.h"
#include "souk/eval/qrels.h"
#include "souk/train/search_log.h"

namespace souk::train {

/// Judged queries from a demo shop events.jsonl; errors are ReadSearchLog's (search_log.h).
absl::StatusOr<std::vector<eval::JudgedQuery>> ReadSearchSessions(const std::string& events_path);

/// What ReadSearchSessions makes of the searches ReadSearchLog read.
std::vector<eval::JudgedQuery> JudgeByQueryText(const std::vector<LoggedSearch>& searches);

/// INVALID_ARGUMENT when a judgment names a product the catalog lacks: the message names
/// `source`, the first such query id and product id, and how many judgments are unknown.
absl::Status CheckProductsKnown(const std::vector<eval::JudgedQuery>& queries,
                                const catalog::Catalog& catalog, const std::string& source);

/// Every judged query of the `qrels` TSV files and `sessions` events files, checked against
/// `catalog` (CheckProductsKnown). Query ids of the first qrels file stay as they are; those of
/// later files get an "f<i>:" prefix and sessions an "s<i>:" prefix, so ids never collide.
/// FAILED_PRECONDITION when there is no judged query at all.
/// The id prefixes ReadJudgedQueries gives the queries of the i-th (0-based) qrels file ("" for
/// the first, then "f<i>:") and of the i-th sessions file ("s<i>:").
std::string QrelsQueryIdPrefix(size_t file);
std::string SessionsQueryIdPrefix(size_t file);

/// Appends `queries` to `all` with `id_prefix` before each id, after CheckProductsKnown.
absl::Status AddJudgedQueries(std::vector<eval::JudgedQuery> queries,
                              const catalog::Catalog& catalog, const std::string& source,
                              const std::string& id_prefix, std::vector<eval::JudgedQuery>* all);

absl::StatusOr<std::vector<eval::JudgedQuery>> ReadJudgedQueries(
    const std::vector<std::string>& qrels, const std::vector<std::string>& sessions,
    const catalog::Catalog& catalog);

struct QuerySplit {
  std::vector<eval::JudgedQuery> train;
  std::vector<eval::JudgedQuery> heldout;
};

/// Whether query `id` is held out: true with probability `heldout_fraction`, decided by a hash of
/// (seed, id), so a query's side does not depend on the others or on file order.
bool IsHeldOut(std::string_view id, double heldout_fraction, uint64_t seed);

/// Splits by query with IsHeldOut. Both sides keep input order.
/// Precondition: 0 <= heldout_fraction < 1.
QuerySplit SplitQueries(const std::vector<eval::JudgedQuery>& queries, double heldout_fraction,
                        uint64_t seed);

}  // namespace souk::train
