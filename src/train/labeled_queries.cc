#include "souk/train/labeled_queries.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "souk/base/quote.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::train {
namespace {

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
  SOUK_ASSIGN_OR_RETURN(const std::vector<LoggedSearch> searches, ReadSearchLog(events_path));
  return JudgeByQueryText(searches);
}

std::vector<eval::JudgedQuery> JudgeByQueryText(const std::vector<LoggedSearch>& searches) {
  std::vector<eval::JudgedQuery> queries;
  absl::flat_hash_map<std::string_view, size_t> text_index;  // query text -> queries index
  for (const LoggedSearch& search : searches) {
    const auto [it, inserted] = text_index.try_emplace(search.query, queries.size());
    if (inserted) queries.push_back({"", search.query, {}});
    for (const LoggedOutcome& outcome : search.outcomes) {
      double& judged = queries[it->second].judgments[outcome.product];
      judged = std::max(judged, static_cast<double>(outcome.grade));
    }
  }
  std::vector<eval::JudgedQuery> judged;
  for (eval::JudgedQuery& query : queries) {
    if (query.judgments.empty()) continue;
    query.id = StrCat("q", judged.size() + 1);
    judged.push_back(std::move(query));
  }
  return judged;
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

bool IsHeldOut(std::string_view id, double heldout_fraction, uint64_t seed) {
  // The top 53 bits as a double in [0, 1).
  const double draw = static_cast<double>(QueryHash(seed, id) >> 11) * 0x1.0p-53;
  return draw < heldout_fraction;
}

QuerySplit SplitQueries(const std::vector<eval::JudgedQuery>& queries, double heldout_fraction,
                        uint64_t seed) {
  QuerySplit split;
  for (const eval::JudgedQuery& query : queries) {
    (IsHeldOut(query.id, heldout_fraction, seed) ? split.heldout : split.train).push_back(query);
  }
  return split;
}

std::string QrelsQueryIdPrefix(size_t file) { return file == 0 ? "" : StrCat("f", file, ":"); }

std::string SessionsQueryIdPrefix(size_t file) { return StrCat("s", file, ":"); }

absl::Status AddJudgedQueries(std::vector<eval::JudgedQuery> queries,
                              const catalog::Catalog& catalog, const std::string& source,
                              const std::string& id_prefix, std::vector<eval::JudgedQuery>* all) {
  SOUK_RETURN_IF_ERROR(CheckProductsKnown(queries, catalog, source));
  for (eval::JudgedQuery& q : queries) {
    q.id = StrCat(id_prefix, q.id);
    all->push_back(std::move(q));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<eval::JudgedQuery>> ReadJudgedQueries(
    const std::vector<std::string>& qrels, const std::vector<std::string>& sessions,
    const catalog::Catalog& catalog) {
  std::vector<eval::JudgedQuery> all;
  for (size_t i = 0; i < qrels.size(); ++i) {
    SOUK_ASSIGN_OR_RETURN(auto queries, eval::ReadQrelsTsv(qrels[i]));
    SOUK_RETURN_IF_ERROR(
        AddJudgedQueries(std::move(queries), catalog, qrels[i], QrelsQueryIdPrefix(i), &all));
  }
  for (size_t i = 0; i < sessions.size(); ++i) {
    SOUK_ASSIGN_OR_RETURN(auto queries, ReadSearchSessions(sessions[i]));
    SOUK_RETURN_IF_ERROR(
        AddJudgedQueries(std::move(queries), catalog, sessions[i], SessionsQueryIdPrefix(i), &all));
  }
  if (all.empty()) return absl::FailedPreconditionError("no judged queries (--qrels, --sessions)");
  return all;
}

}  // namespace souk::train
