#include "souk/train/query_rewrites.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_join.h"

namespace souk::train {
namespace {

// A query as the analyzer sees it, and how often each typed form of it was searched.
struct Query {
  std::vector<std::string> terms;
  std::map<std::string, size_t> typed;  // ordered: ties go to the smaller form
};

// Queries keyed by their analyzed terms joined by spaces.
class QueryTable {
 public:
  explicit QueryTable(const text::Analyzer& analyzer) : analyzer_(analyzer) {}

  // The key of `typed`, or "" when it has no terms.
  std::string Add(const std::string& typed) {
    std::vector<std::string> terms = analyzer_.Analyze(typed);
    std::string key = absl::StrJoin(terms, " ");
    if (key.empty()) return key;
    Query& query = queries_[key];
    if (query.terms.empty()) query.terms = std::move(terms);
    ++query.typed[typed];
    return key;
  }

  const Query& at(const std::string& key) const { return queries_.at(key); }

  // The form typed most often.
  std::string Typed(const std::string& key) const {
    const auto& typed = at(key).typed;
    return std::max_element(typed.begin(), typed.end(),
                            [](const auto& a, const auto& b) { return a.second < b.second; })
        ->first;
  }

 private:
  const text::Analyzer& analyzer_;
  absl::flat_hash_map<std::string, Query> queries_;
};

int BestGrade(const LoggedSearch& search) {
  int grade = 0;
  for (const LoggedOutcome& outcome : search.outcomes) grade = std::max(grade, outcome.grade);
  return grade;
}

// The searches of each user, in log order.
absl::flat_hash_map<std::string, std::vector<const LoggedSearch*>> ByUser(
    const std::vector<LoggedSearch>& log) {
  absl::flat_hash_map<std::string, std::vector<const LoggedSearch*>> users;
  for (const LoggedSearch& search : log) {
    if (!search.user_id.empty()) users[search.user_id].push_back(&search);
  }
  return users;
}

bool NewSession(const LoggedSearch& previous, const LoggedSearch& next, int64_t gap_s) {
  if (!previous.session_id.empty() || !next.session_id.empty()) {
    return previous.session_id != next.session_id;
  }
  return next.ts - previous.ts > gap_s;
}

bool AddsATerm(const Query& from, const Query& to) {
  return std::any_of(to.terms.begin(), to.terms.end(), [&](const std::string& term) {
    return std::find(from.terms.begin(), from.terms.end(), term) == from.terms.end();
  });
}

}  // namespace

std::vector<lexical::LearnedRewrite> LearnQueryRewrites(const std::vector<LoggedSearch>& log,
                                                        const text::Analyzer& analyzer,
                                                        const RewriteLearningOptions& options) {
  QueryTable queries(analyzer);
  // (from key, to key) -> the shoppers who made that rewrite.
  absl::flat_hash_map<std::pair<std::string, std::string>, absl::flat_hash_set<std::string>> pairs;
  for (const auto& [user, searches] : ByUser(log)) {
    std::vector<std::string> failed;  // keys of this session's searches since the last cart
    for (size_t i = 0; i < searches.size(); ++i) {
      if (i > 0 && NewSession(*searches[i - 1], *searches[i], options.session_gap_s)) {
        failed.clear();
      }
      const std::string key = queries.Add(searches[i]->query);
      const int grade = BestGrade(*searches[i]);
      if (key.empty()) continue;
      if (grade == 3) {
        for (const std::string& from : failed) {
          if (from != key) pairs[{from, key}].insert(user);
        }
      }
      if (grade >= 2) {
        failed.clear();
      } else {
        failed.push_back(key);
      }
    }
  }
  // For each from key: the to key with the most shoppers.
  std::map<std::string, std::pair<std::string, size_t>> best;
  for (const auto& [pair, users] : pairs) {
    const auto& [from, to] = pair;
    if (users.size() < options.min_users || !AddsATerm(queries.at(from), queries.at(to))) continue;
    auto [it, added] = best.try_emplace(from, to, users.size());
    auto& [best_to, best_users] = it->second;
    if (!added && (users.size() > best_users || (users.size() == best_users && to < best_to))) {
      best_to = to;
      best_users = users.size();
    }
  }
  std::vector<lexical::LearnedRewrite> rewrites;
  for (const auto& [from, to] : best) {
    rewrites.push_back({queries.Typed(from), queries.Typed(to.first), to.second});
  }
  std::stable_sort(rewrites.begin(), rewrites.end(), [](const auto& a, const auto& b) {
    return std::tie(b.users, a.from) < std::tie(a.users, b.from);
  });
  return rewrites;
}

}  // namespace souk::train
