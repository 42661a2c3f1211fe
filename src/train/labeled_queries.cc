#include "souk/train/labeled_queries.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "nlohmann/json.hpp"
#include "souk/base/ascii.h"
#include "souk/base/file_util.h"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::train {
namespace {

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ":", line, ": ", what));
}

// ASCII-lower-cased, blanks trimmed and runs of blanks collapsed to one space, so that
// "Drill  Bits " and "drill bits" are one query.
std::string NormalizeQuery(std::string_view text) {
  std::string normalized;
  bool blank = false;
  for (const char c : AsciiLower(text)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      blank = true;
      continue;
    }
    if (blank && !normalized.empty()) normalized.push_back(' ');
    blank = false;
    normalized.push_back(c);
  }
  return normalized;
}

// The grade an event type gives its product, or nullopt for events that judge nothing.
std::optional<double> GradeOf(std::string_view type) {
  if (type == "click") return 1.0;
  if (type == "add_to_cart") return 2.0;
  if (type == "purchase") return 3.0;
  return std::nullopt;
}

// ---- session reader ----

class SessionCollector {
 public:
  explicit SessionCollector(const std::string& path) : path_(path) {}

  absl::Status Add(const nlohmann::json& event, size_t line) {
    SOUK_ASSIGN_OR_RETURN(const std::string type, StringField(event, "type", line));
    if (type == "search") return AddSearch(event, line);
    const std::optional<double> grade = GradeOf(type);
    if (!grade.has_value()) return absl::OkStatus();
    SOUK_ASSIGN_OR_RETURN(const std::string request, StringField(event, "request_id", line));
    SOUK_ASSIGN_OR_RETURN(const std::string product, StringField(event, "product_id", line));
    const auto it = request_query_.find(request);
    if (it == request_query_.end()) return absl::OkStatus();  // its search is not in the log
    double& judged = queries_[it->second].judgments[product];
    judged = std::max(judged, *grade);
    return absl::OkStatus();
  }

  // Queries with at least one judgment, numbered q1, q2, ... in order of first appearance.
  std::vector<eval::JudgedQuery> Finish() {
    std::vector<eval::JudgedQuery> judged;
    for (eval::JudgedQuery& query : queries_) {
      if (query.judgments.empty()) continue;
      query.id = StrCat("q", judged.size() + 1);
      judged.push_back(std::move(query));
    }
    return judged;
  }

 private:
  absl::Status AddSearch(const nlohmann::json& event, size_t line) {
    SOUK_ASSIGN_OR_RETURN(const std::string request, StringField(event, "request_id", line));
    SOUK_ASSIGN_OR_RETURN(const std::string query, StringField(event, "query", line));
    std::string text = NormalizeQuery(query);
    if (text.empty()) return absl::OkStatus();
    const auto [it, inserted] = text_index_.try_emplace(text, queries_.size());
    if (inserted) queries_.push_back({"", std::move(text), {}});
    request_query_[request] = it->second;
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> StringField(const nlohmann::json& event, const char* key,
                                          size_t line) const {
    const auto it = event.find(key);
    if (it == event.end() || !it->is_string()) {
      return LineError(path_, line, StrCat("expected a string \"", key, "\""));
    }
    return it->get<std::string>();
  }

  const std::string& path_;
  std::vector<eval::JudgedQuery> queries_;
  absl::flat_hash_map<std::string, size_t> text_index_;     // normalized text -> queries_ index
  absl::flat_hash_map<std::string, size_t> request_query_;  // request id -> queries_ index
};

// ---- split ----

// SplitMix64's finalizer (Steele et al. 2014): spreads every input bit over the output.
uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// FNV-1a over the id's bytes, seeded and finalized with Mix64: the same on every machine and
// standard library, unlike std::hash.
uint64_t QueryHash(uint64_t seed, std::string_view id) {
  uint64_t hash = 0xCBF29CE484222325ULL ^ Mix64(seed);
  for (const char c : id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ULL;
  }
  return Mix64(hash);
}

}  // namespace

absl::StatusOr<std::vector<eval::JudgedQuery>> ReadSearchSessions(const std::string& events_path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(events_path));
  SessionCollector collector(events_path);
  LineCursor cursor(contents);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (TrimBlanks(line).empty()) continue;
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object()) {
      return LineError(events_path, cursor.line_number(), "not a JSON object");
    }
    SOUK_RETURN_IF_ERROR(collector.Add(event, cursor.line_number()));
  }
  return collector.Finish();
}

absl::Status CheckProductsKnown(const std::vector<eval::JudgedQuery>& queries,
                                const catalog::Catalog& catalog, const std::string& source) {
  size_t unknown = 0;
  const eval::JudgedQuery* first_query = nullptr;
  std::string first_product;
  for (const eval::JudgedQuery& query : queries) {
    for (const auto& [product, grade] : query.judgments) {
      if (catalog.Find(product).has_value()) continue;
      ++unknown;
      // The hash map's order varies; the smallest id of the first query keeps messages stable.
      if (first_query == nullptr || (first_query == &query && product < first_product)) {
        first_query = &query;
        first_product = product;
      }
    }
  }
  if (unknown == 0) return absl::OkStatus();
  return absl::InvalidArgumentError(StrCat(source, ": query ", QuoteForError(first_query->id),
                                           " judges product ", QuoteForError(first_product),
                                           ", which the catalog lacks (", unknown,
                                           " judgment(s) name unknown products)"));
}

QuerySplit SplitQueries(const std::vector<eval::JudgedQuery>& queries, double heldout_fraction,
                        uint64_t seed) {
  QuerySplit split;
  for (const eval::JudgedQuery& query : queries) {
    // The top 53 bits as a double in [0, 1).
    const double draw = static_cast<double>(QueryHash(seed, query.id) >> 11) * 0x1.0p-53;
    (draw < heldout_fraction ? split.heldout : split.train).push_back(query);
  }
  return split;
}

absl::StatusOr<std::vector<eval::JudgedQuery>> ReadJudgedQueries(
    const std::vector<std::string>& qrels, const std::vector<std::string>& sessions,
    const catalog::Catalog& catalog) {
  std::vector<eval::JudgedQuery> all;
  auto add = [&](std::vector<eval::JudgedQuery> queries, const std::string& source,
                 const std::string& id_prefix) -> absl::Status {
    SOUK_RETURN_IF_ERROR(CheckProductsKnown(queries, catalog, source));
    for (eval::JudgedQuery& q : queries) {
      q.id = StrCat(id_prefix, q.id);
      all.push_back(std::move(q));
    }
    return absl::OkStatus();
  };
  for (size_t i = 0; i < qrels.size(); ++i) {
    SOUK_ASSIGN_OR_RETURN(auto queries, eval::ReadQrelsTsv(qrels[i]));
    SOUK_RETURN_IF_ERROR(add(std::move(queries), qrels[i], i == 0 ? "" : StrCat("f", i, ":")));
  }
  for (size_t i = 0; i < sessions.size(); ++i) {
    SOUK_ASSIGN_OR_RETURN(auto queries, ReadSearchSessions(sessions[i]));
    SOUK_RETURN_IF_ERROR(add(std::move(queries), sessions[i], StrCat("s", i, ":")));
  }
  if (all.empty()) return absl::FailedPreconditionError("no judged queries (--qrels, --sessions)");
  return all;
}

}  // namespace souk::train
