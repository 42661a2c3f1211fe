#include "souk/lexical/query_rewriter.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::lexical {
namespace {

struct AnalyzedRule {
  std::vector<std::string> from;
  std::vector<std::string> to;
};

// Whether `phrase` occurs in terms[at, end).
bool OccursAt(const std::vector<std::string>& terms, size_t at, size_t end,
              const std::vector<std::string>& phrase) {
  return at + phrase.size() <= end &&
         std::equal(phrase.begin(), phrase.end(), terms.begin() + static_cast<ptrdiff_t>(at));
}

}  // namespace

struct QueryRewriter::Data {
  std::vector<AnalyzedRule> rules;
  // Synonyms by the first term of their phrase; learned rewrites by their whole phrase (terms
  // joined by spaces). Values index `rules`, in the order the rules were given.
  absl::flat_hash_map<std::string, std::vector<size_t>> synonyms_by_first_term;
  absl::flat_hash_map<std::string, std::vector<size_t>> learned_by_query;
  size_t num_synonyms = 0;
  size_t max_added_terms = 0;
};

QueryRewriter::QueryRewriter(std::unique_ptr<Data> data) : data_(std::move(data)) {}
QueryRewriter::~QueryRewriter() = default;

absl::StatusOr<std::unique_ptr<QueryRewriter>> QueryRewriter::Build(
    const std::vector<RewriteRule>& rules, const text::Analyzer& analyzer, size_t max_added_terms) {
  auto data = std::make_unique<Data>();
  data->max_added_terms = max_added_terms;
  for (const RewriteRule& rule : rules) {
    AnalyzedRule analyzed{analyzer.Analyze(rule.from), analyzer.Analyze(rule.to)};
    if (analyzed.from.empty() || analyzed.to.empty()) {
      return absl::InvalidArgumentError(
          StrCat("rewrite \"", rule.from, "\" -> \"", rule.to, "\": a phrase without any term"));
    }
    const size_t id = data->rules.size();
    if (rule.whole_query) {
      data->learned_by_query[absl::StrJoin(analyzed.from, " ")].push_back(id);
    } else {
      data->synonyms_by_first_term[analyzed.from.front()].push_back(id);
      ++data->num_synonyms;
    }
    data->rules.push_back(std::move(analyzed));
  }
  return std::unique_ptr<QueryRewriter>(new QueryRewriter(std::move(data)));
}

absl::StatusOr<std::unique_ptr<QueryRewriter>> QueryRewriter::Load(const RewriteOptions& options,
                                                                   const text::Analyzer& analyzer) {
  std::vector<RewriteRule> rules;
  for (size_t i = 0; i < options.synonyms.size(); ++i) {
    absl::StatusOr<std::vector<RewriteRule>> parsed = ParseSynonymLine(options.synonyms[i]);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          StrCat("rewrites.synonyms[", i, "]: ", parsed.status().message()));
    }
    rules.insert(rules.end(), parsed->begin(), parsed->end());
  }
  if (!options.synonyms_file.empty()) {
    SOUK_ASSIGN_OR_RETURN(std::vector<RewriteRule> parsed, ReadSynonymsFile(options.synonyms_file));
    rules.insert(rules.end(), parsed.begin(), parsed.end());
  }
  if (!options.learned_file.empty()) {
    SOUK_ASSIGN_OR_RETURN(const std::vector<LearnedRewrite> learned,
                          ReadLearnedRewrites(options.learned_file));
    const std::vector<RewriteRule> parsed = AsRules(learned);
    rules.insert(rules.end(), parsed.begin(), parsed.end());
  }
  if (rules.empty()) return std::unique_ptr<QueryRewriter>();
  return Build(rules, analyzer, options.max_added_terms);
}

std::vector<std::string> QueryRewriter::Rewrite(const std::vector<std::string>& typed,
                                                std::vector<std::string> terms) const {
  const size_t before = terms.size();
  const auto add = [&](const AnalyzedRule& rule) {
    for (const std::string& term : rule.to) {
      if (terms.size() - before >= data_->max_added_terms) return;
      if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(term);
    }
  };
  if (!data_->learned_by_query.empty() && !typed.empty()) {
    const auto it = data_->learned_by_query.find(absl::StrJoin(typed, " "));
    if (it != data_->learned_by_query.end()) {
      for (size_t id : it->second) add(data_->rules[id]);
    }
  }
  // Only the query's own terms are matched, not ones added above.
  for (size_t at = 0; at < before; ++at) {
    const auto it = data_->synonyms_by_first_term.find(terms[at]);
    if (it == data_->synonyms_by_first_term.end()) continue;
    for (size_t id : it->second) {
      const AnalyzedRule& rule = data_->rules[id];
      if (OccursAt(terms, at, before, rule.from)) add(rule);
    }
  }
  return terms;
}

size_t QueryRewriter::num_synonym_rules() const { return data_->num_synonyms; }
size_t QueryRewriter::num_learned_rules() const {
  return data_->rules.size() - data_->num_synonyms;
}

}  // namespace souk::lexical
