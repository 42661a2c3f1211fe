// Judged queries and TREC run files.
//
// Qrels TSV (the Home Depot dev file): a header line, then
//   query_id <TAB> query <TAB> product_id <TAB> relevance
// one judged pair per line. Queries TSV: `query_id <TAB> query`, no header.
// TREC run: `qid Q0 docid rank score tag`, space separated, rank from 1.
// Lines: '\n' or CRLF, a leading UTF-8 BOM skipped, empty lines skipped (souk/base/text_lines.h).
// The functions keep no state: safe to call from several threads at once.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/eval/metrics.h"

namespace souk::eval {

struct JudgedQuery {
  std::string id;
  std::string text;
  Judgments judgments;
};

/// Queries in order of first appearance. Errors name the file and line: wrong column count,
/// empty ids, a relevance that is not a number, a pair judged twice, or one query id with two
/// texts. A missing header is an error too (the first line must not be a judgment).
absl::StatusOr<std::vector<JudgedQuery>> ReadQrelsTsv(const std::string& path);

struct QueryLine {
  std::string id;
  std::string text;
};
absl::StatusOr<std::vector<QueryLine>> ReadQueriesTsv(const std::string& path);

struct RunEntry {
  std::string query_id;
  std::string doc_id;
  size_t rank = 0;  ///< 1-based.
  double score = 0;
};
/// "qid Q0 docid rank score tag" lines; scores with up to 6 decimals, trailing zeros dropped.
/// Fields are blank-separated, so a blank inside an id or the tag is written as '_' and an empty
/// one as "_". A non-finite score is written as the nearest finite double (NaN as the lowest),
/// so that every line reads back; callers should not produce one.
std::string FormatTrecRun(const std::vector<RunEntry>& entries, const std::string& tag);
/// Rankings per query id (in order of first appearance), ordered by rank, equal ranks by score
/// (highest first). This is the order FormatTrecRun writes; trec_eval instead ignores the rank
/// column and sorts by score, so the two agree only when ranks follow scores. Fields may be
/// separated by any blanks; the second field is ignored. A document listed twice for one query is
/// an error. Errors name the file and line.
absl::StatusOr<std::vector<std::pair<std::string, std::vector<std::string>>>> ReadTrecRun(
    const std::string& path);

}  // namespace souk::eval
