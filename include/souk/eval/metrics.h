// Ranking metrics over judged results, as TREC tools compute them.
//
// Conventions (stated because papers differ): gain = grade - gain_offset, clamped at 0 (Home
// Depot grades 1..3 use offset 1); unjudged documents have gain 0; NDCG@k uses the exponential
// gain 2^g - 1 when exponential is set, else linear g, with log2(rank + 1) discount (Jarvelin &
// Kekalainen, TOIS 2002); the ideal ordering is over all judged documents of the query.
// Recall@k counts documents whose grade >= relevant_min_grade. A document listed twice in a
// ranking counts only at its first position. Pure functions: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace souk::eval {

/// Grades of the judged documents of one query: doc id -> grade.
using Judgments = absl::flat_hash_map<std::string, double>;

struct MetricOptions {
  double gain_offset = 0.0;         ///< gain = max(0, grade - gain_offset).
  bool exponential_gain = false;    ///< 2^gain - 1 instead of gain.
  double relevant_min_grade = 1.0;  ///< Grade at which a document counts for Recall.
};

/// Whether a judged document of grade `grade` counts as relevant for Recall and reciprocal rank
/// (grade >= relevant_min_grade). Reports that count relevant documents use it too.
bool IsRelevant(double grade, const MetricOptions& options);

/// `ranking` is the returned doc ids, best first.
double NdcgAtK(const std::vector<std::string>& ranking, const Judgments& judged, size_t k,
               const MetricOptions& options);
/// NaN-free: a query with no relevant documents has recall 0 (callers usually skip it).
double RecallAtK(const std::vector<std::string>& ranking, const Judgments& judged, size_t k,
                 const MetricOptions& options);
/// Reciprocal rank of the first relevant document within the top k, 0 if none.
double ReciprocalRankAtK(const std::vector<std::string>& ranking, const Judgments& judged, size_t k,
                         const MetricOptions& options);

}  // namespace souk::eval
