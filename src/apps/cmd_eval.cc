// souk eval: TREC run + judgments -> NDCG@k, Recall@k, MRR@k, optionally next to a seeded
// random ranking of the same catalog (the floor any ranker must clear).

#include <cstdio>
#include <iostream>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "cmd_util.h"
#include "commands.h"
#include "souk/catalog/product_reader.h"
#include "souk/eval/metrics.h"
#include "souk/eval/qrels.h"

namespace souk::apps {

namespace {
constexpr char kUsage[] = R"(usage: souk eval --qrels QRELS.tsv --run RUN [--k 10] [--recall-k 100]
                 [--gain-offset G] [--relevant-grade R] [--random-catalog FILE [--seed S]]

QRELS.tsv: header, then query_id<TAB>query<TAB>product_id<TAB>grade. Every judged query counts;
a query missing from the run scores 0. Gain is max(0, grade - G) (default G 0), unjudged
documents gain 0; Recall counts documents with grade >= R (default 1) and skips queries that
have none. With --random-catalog, a seeded random ranking of that catalog is scored too.
)";

struct Scores {
  double ndcg = 0, recall = 0, mrr = 0;
  size_t queries = 0, recall_queries = 0;
};

using Rankings = absl::flat_hash_map<std::string, std::vector<std::string>>;

Scores Score(const std::vector<eval::JudgedQuery>& queries, const Rankings& run, size_t k,
             size_t recall_k, const eval::MetricOptions& options) {
  Scores s;
  const std::vector<std::string> empty;
  for (const eval::JudgedQuery& q : queries) {
    auto it = run.find(q.id);
    const std::vector<std::string>& ranking = it == run.end() ? empty : it->second;
    s.ndcg += eval::NdcgAtK(ranking, q.judgments, k, options);
    s.mrr += eval::ReciprocalRankAtK(ranking, q.judgments, k, options);
    ++s.queries;
    bool has_relevant = false;
    for (const auto& [doc, grade] : q.judgments) has_relevant |= eval::IsRelevant(grade, options);
    if (has_relevant) {
      s.recall += eval::RecallAtK(ranking, q.judgments, recall_k, options);
      ++s.recall_queries;
    }
  }
  if (s.queries > 0) s.ndcg /= s.queries, s.mrr /= s.queries;
  if (s.recall_queries > 0) s.recall /= s.recall_queries;
  return s;
}

absl::StatusOr<Rankings> RandomRun(const std::string& catalog_path,
                                   const std::vector<eval::JudgedQuery>& queries, size_t depth,
                                   uint64_t seed) {
  catalog::ReadOptions options;
  auto products = catalog::ReadProducts(catalog_path, options);
  if (!products.ok()) return products.status();
  std::vector<std::string> ids;
  for (const catalog::Product& p : *products) ids.push_back(p.id);
  std::mt19937_64 rng(seed);
  Rankings run;
  for (const eval::JudgedQuery& q : queries) {
    // Partial Fisher-Yates: the first `depth` entries are a uniform random ranking prefix.
    std::vector<std::string>& ranking = run[q.id];
    for (size_t i = 0; i < std::min(depth, ids.size()); ++i) {
      std::swap(ids[i], ids[i + rng() % (ids.size() - i)]);
      ranking.push_back(ids[i]);
    }
  }
  return run;
}

void Print(const char* name, const Scores& s, size_t k, size_t recall_k) {
  std::printf(
      "%-10s  NDCG@%zu %.4f  Recall@%zu %.4f  MRR@%zu %.4f  (%zu queries, %zu with relevant)\n",
      name, k, s.ndcg, recall_k, s.recall, k, s.mrr, s.queries, s.recall_queries);
}

}  // namespace

int RunEval(int argc, char** argv) {
  auto flags = Flags::Parse(argc, argv, 2,
                            {.with_value = {"qrels", "run", "k", "recall-k", "gain-offset",
                                            "relevant-grade", "random-catalog", "seed"},
                             .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk eval", flags.status());
  if (flags->Has("help") || !flags->Require({"qrels", "run"}).ok()) {
    return Usage(kUsage, flags->Has("help"));
  }
  auto k = flags->GetInt("k", 10);
  auto recall_k = flags->GetInt("recall-k", 100);
  auto seed = flags->GetInt("seed", 1);
  for (const auto* v : {&k, &recall_k, &seed}) {
    if (!v->ok()) return Fail("souk eval", v->status());
  }
  if (*k < 1 || *recall_k < 1) {
    return Fail("souk eval", absl::InvalidArgumentError("--k and --recall-k must be >= 1"));
  }
  auto gain_offset = flags->GetDouble("gain-offset", 0);
  auto relevant_grade = flags->GetDouble("relevant-grade", 1);
  if (!gain_offset.ok()) return Fail("souk eval", gain_offset.status());
  if (!relevant_grade.ok()) return Fail("souk eval", relevant_grade.status());
  eval::MetricOptions options;
  options.gain_offset = *gain_offset;
  options.relevant_min_grade = *relevant_grade;
  auto queries = eval::ReadQrelsTsv(flags->Get("qrels"));
  if (!queries.ok()) return Fail("souk eval", queries.status());
  auto run_entries = eval::ReadTrecRun(flags->Get("run"));
  if (!run_entries.ok()) return Fail("souk eval", run_entries.status());
  Rankings run(run_entries->begin(), run_entries->end());

  Print("run", Score(*queries, run, *k, *recall_k, options), *k, *recall_k);
  if (flags->Has("random-catalog")) {
    auto random = RandomRun(flags->Get("random-catalog"), *queries, std::max<size_t>(*k, *recall_k),
                            static_cast<uint64_t>(*seed));
    if (!random.ok()) return Fail("souk eval", random.status());
    Print("random", Score(*queries, *random, *k, *recall_k, options), *k, *recall_k);
  }
  return 0;
}

}  // namespace souk::apps
