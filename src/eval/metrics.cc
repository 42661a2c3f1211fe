#include "souk/eval/metrics.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"

namespace souk::eval {
namespace {

double Gain(double grade, const MetricOptions& options) {
  const double gain = std::max(0.0, grade - options.gain_offset);
  return options.exponential_gain ? std::exp2(gain) - 1.0 : gain;
}

// Discount of the document at 0-based position `index`: 1 / log2(rank + 1) with rank = index + 1
// (Jarvelin & Kekalainen, TOIS 2002, in the form trec_eval's ndcg_cut uses).
double Discount(size_t index) { return 1.0 / std::log2(static_cast<double>(index) + 2.0); }

// Calls fn(index, grade) for each judged document in the top k, in rank order. A document
// listed twice counts only at its first position: trec_eval refuses such runs, and counting it
// again would let NDCG and recall exceed 1.
template <typename Fn>
void ForEachJudgedInTopK(const std::vector<std::string>& ranking, const Judgments& judged, size_t k,
                         Fn fn) {
  absl::flat_hash_set<const std::string*> seen;  // keys of `judged`, whose addresses are stable
  const size_t n = std::min(k, ranking.size());
  for (size_t i = 0; i < n; ++i) {
    const auto it = judged.find(ranking[i]);
    if (it == judged.end() || !seen.insert(&it->first).second) continue;
    fn(i, it->second);
  }
}

}  // namespace

double NdcgAtK(const std::vector<std::string>& ranking, const Judgments& judged, size_t k,
               const MetricOptions& options) {
  std::vector<double> ideal;
  ideal.reserve(judged.size());
  for (const auto& [doc, grade] : judged) ideal.push_back(Gain(grade, options));
  const size_t cut = std::min(k, ideal.size());
  std::partial_sort(ideal.begin(), ideal.begin() + static_cast<std::ptrdiff_t>(cut), ideal.end(),
                    std::greater<>());
  double ideal_dcg = 0;
  for (size_t i = 0; i < cut; ++i) ideal_dcg += ideal[i] * Discount(i);
  if (ideal_dcg <= 0) return 0;

  double dcg = 0;
  ForEachJudgedInTopK(ranking, judged, k, [&](size_t index, double grade) {
    dcg += Gain(grade, options) * Discount(index);
  });
  return dcg / ideal_dcg;
}

bool IsRelevant(double grade, const MetricOptions& options) {
  return grade >= options.relevant_min_grade;
}

double RecallAtK(const std::vector<std::string>& ranking, const Judgments& judged, size_t k,
                 const MetricOptions& options) {
  size_t total = 0;
  for (const auto& [doc, grade] : judged) total += IsRelevant(grade, options) ? 1 : 0;
  if (total == 0) return 0;
  size_t found = 0;
  ForEachJudgedInTopK(ranking, judged, k,
                      [&](size_t, double grade) { found += IsRelevant(grade, options) ? 1 : 0; });
  return static_cast<double>(found) / static_cast<double>(total);
}

double ReciprocalRankAtK(const std::vector<std::string>& ranking, const Judgments& judged, size_t k,
                         const MetricOptions& options) {
  const size_t n = std::min(k, ranking.size());
  for (size_t i = 0; i < n; ++i) {
    const auto it = judged.find(ranking[i]);
    if (it != judged.end() && IsRelevant(it->second, options)) {
      return 1.0 / static_cast<double>(i + 1);
    }
  }
  return 0;
}

}  // namespace souk::eval
