#include "souk/eval/qrels.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>

#include "absl/container/flat_hash_map.h"
#include "souk/base/file_util.h"
#include "souk/base/numbers.h"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::eval {
namespace {

// ---- field helpers ----

// TREC files separate fields by any run of spaces or tabs (trec_eval reads them with scanf).
std::vector<std::string_view> SplitBlanks(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (true) {
    i = line.find_first_not_of(" \t", i);
    if (i == std::string_view::npos) return fields;
    const size_t end = std::min(line.find_first_of(" \t", i), line.size());
    fields.push_back(line.substr(i, end - i));
    i = end;
  }
}

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ":", line, ": ", what));
}

// ---- qrels ----

constexpr size_t kQrelsColumns = 4;

absl::Status CheckQrelsHeader(const std::string& path, std::string_view line) {
  const std::vector<std::string_view> cells = SplitTabs(line);
  if (cells.size() != kQrelsColumns) {
    return LineError(path, 1,
                     StrCat("expected the header query_id, query, product_id, relevance "
                            "(4 tab-separated columns), got ",
                            cells.size(), " columns"));
  }
  // A file without its header would otherwise silently lose its first judgment.
  if (ParseWhole<double>(cells[3]).has_value()) {
    return LineError(path, 1, "expected a header line, got a judgment");
  }
  return absl::OkStatus();
}

struct QrelsBuilder {
  std::vector<JudgedQuery> queries;
  std::vector<size_t> first_lines;                 // parallel to queries
  absl::flat_hash_map<std::string, size_t> index;  // query id -> position in queries

  // Returns an error message, or "" when the judgment was added.
  std::string Add(const std::vector<std::string_view>& cells, size_t line) {
    const std::string_view id = cells[0], text = cells[1], doc = cells[2];
    if (id.empty()) return "empty query id";
    if (doc.empty()) return "empty product id";
    const std::optional<double> grade = ParseWhole<double>(cells[3]);
    if (!grade.has_value())
      return StrCat("relevance ", QuoteForError(cells[3]), " is not a number");
    const auto [it, inserted] = index.try_emplace(std::string(id), queries.size());
    if (inserted) {
      queries.push_back({std::string(id), std::string(text), {}});
      first_lines.push_back(line);
    }
    JudgedQuery& query = queries[it->second];
    if (query.text != text) {
      return StrCat("query ", QuoteForError(id), " reads ", QuoteForError(text), " here but ",
                    QuoteForError(query.text), " on line ", first_lines[it->second]);
    }
    if (!query.judgments.try_emplace(std::string(doc), *grade).second) {
      return StrCat("product ", QuoteForError(doc), " is judged twice for query ",
                    QuoteForError(id));
    }
    return "";
  }
};

// ---- TREC runs ----

// Run files are whitespace-separated: a blank or an empty field would shift every column.
std::string RunField(std::string_view text) {
  if (text.empty()) return "_";
  std::string field(text);
  for (char& c : field) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = '_';
  }
  return field;
}

// Six decimals, trailing zeros dropped: "12.345679", "2.5", "100". std::to_chars, so that no
// locale changes the decimal point and no fixed buffer cuts a large score short. A non-finite
// score (a bug upstream) still has to sort: NaN and -inf are written as the lowest double, +inf
// as the highest, in shortest round-trip form ("1.7976931348623157e+308").
std::string FormatScore(double score) {
  constexpr double kMax = std::numeric_limits<double>::max();
  // Room for the 309 integer digits of the largest double, the sign, the point and 6 decimals.
  char buffer[std::numeric_limits<double>::max_exponent10 + 16];
  if (!std::isfinite(score)) {
    const double clamped = score > 0 ? kMax : -kMax;
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), clamped);
    return ec == std::errc() ? std::string(buffer, end) : std::string("0");
  }
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof(buffer), score, std::chars_format::fixed, 6);
  if (ec != std::errc()) return "0";  // cannot happen: the buffer holds any double
  std::string text(buffer, end);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

struct RunQuery {
  std::string id;
  struct Entry {
    uint64_t rank;
    double score;
    std::string doc;
  };
  std::vector<Entry> entries;
  absl::flat_hash_map<std::string, size_t> doc_lines;  // doc id -> line it appeared on
};

}  // namespace

absl::StatusOr<std::vector<JudgedQuery>> ReadQrelsTsv(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  LineCursor lines(contents);
  std::string_view line;
  if (!lines.Next(&line)) return absl::InvalidArgumentError(StrCat(path, ": empty qrels file"));
  SOUK_RETURN_IF_ERROR(CheckQrelsHeader(path, line));
  QrelsBuilder builder;
  while (lines.Next(&line)) {
    if (line.empty()) continue;
    const std::vector<std::string_view> cells = SplitTabs(line);
    if (cells.size() != kQrelsColumns) {
      return LineError(path, lines.line_number(),
                       StrCat("expected 4 tab-separated columns, got ", cells.size()));
    }
    const std::string error = builder.Add(cells, lines.line_number());
    if (!error.empty()) return LineError(path, lines.line_number(), error);
  }
  return std::move(builder.queries);
}

absl::StatusOr<std::vector<QueryLine>> ReadQueriesTsv(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  std::vector<QueryLine> queries;
  absl::flat_hash_map<std::string, size_t> first_lines;
  LineCursor lines(contents);
  std::string_view line;
  while (lines.Next(&line)) {
    if (line.empty()) continue;
    const std::vector<std::string_view> cells = SplitTabs(line);
    if (cells.size() != 2) {
      return LineError(path, lines.line_number(),
                       StrCat("expected query_id<TAB>query, got ", cells.size(), " columns"));
    }
    if (cells[0].empty()) return LineError(path, lines.line_number(), "empty query id");
    const auto [it, inserted] = first_lines.try_emplace(std::string(cells[0]), lines.line_number());
    if (!inserted) {
      return LineError(path, lines.line_number(),
                       StrCat("duplicate query id ", QuoteForError(cells[0]), " (first on line ",
                              it->second, ")"));
    }
    queries.push_back({std::string(cells[0]), std::string(cells[1])});
  }
  return queries;
}

std::string FormatTrecRun(const std::vector<RunEntry>& entries, const std::string& tag) {
  const std::string tag_field = RunField(tag);
  std::string out;
  for (const RunEntry& entry : entries) {
    out += StrCat(RunField(entry.query_id), " Q0 ", RunField(entry.doc_id), " ", entry.rank, " ",
                  FormatScore(entry.score), " ", tag_field, "\n");
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::vector<std::string>>>> ReadTrecRun(
    const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  std::vector<RunQuery> queries;
  absl::flat_hash_map<std::string, size_t> index;
  LineCursor lines(contents);
  std::string_view line;
  while (lines.Next(&line)) {
    const std::vector<std::string_view> fields = SplitBlanks(line);
    if (fields.empty()) continue;
    const size_t n = lines.line_number();
    if (fields.size() != 6) {
      return LineError(
          path, n,
          StrCat("expected \"qid Q0 docid rank score tag\", got ", fields.size(), " fields"));
    }
    const std::optional<uint64_t> rank = ParseWhole<uint64_t>(fields[3]);
    if (!rank.has_value()) return LineError(path, n, StrCat("bad rank ", QuoteForError(fields[3])));
    const std::optional<double> score = ParseWhole<double>(fields[4]);
    if (!score.has_value())
      return LineError(path, n, StrCat("bad score ", QuoteForError(fields[4])));
    const auto [it, inserted] = index.try_emplace(std::string(fields[0]), queries.size());
    if (inserted) queries.push_back({std::string(fields[0]), {}, {}});
    RunQuery& query = queries[it->second];
    const auto [doc, new_doc] = query.doc_lines.try_emplace(std::string(fields[2]), n);
    if (!new_doc) {
      return LineError(path, n,
                       StrCat("document ", QuoteForError(fields[2]), " listed twice for query ",
                              QuoteForError(fields[0]), " (first on line ", doc->second, ")"));
    }
    query.entries.push_back({*rank, *score, std::string(fields[2])});
  }

  std::vector<std::pair<std::string, std::vector<std::string>>> run;
  run.reserve(queries.size());
  for (RunQuery& query : queries) {
    // By rank, the order our writer emits and the one a ranking means. trec_eval differs: it
    // ignores the rank column and sorts by score (descending, ties by docno descending). Equal
    // ranks (some tools write 0 or 1 everywhere) fall back to the score, highest first.
    std::stable_sort(query.entries.begin(), query.entries.end(),
                     [](const RunQuery::Entry& a, const RunQuery::Entry& b) {
                       return a.rank != b.rank ? a.rank < b.rank : a.score > b.score;
                     });
    std::vector<std::string> docs;
    docs.reserve(query.entries.size());
    for (RunQuery::Entry& entry : query.entries) docs.push_back(std::move(entry.doc));
    run.emplace_back(std::move(query.id), std::move(docs));
  }
  return run;
}

}  // namespace souk::eval
