// Bm25fScorer: turns raw per-field term frequencies and field lengths into BM25F impacts.
//
// BM25F (Robertson, Zaragoza & Taylor, CIKM 2004; formula in lexical_options.h) splits into a
// document part, the saturated pseudo-frequency ("impact"), and a term part, the idf. The index
// stores impact per posting and idf per term, so that a query only multiplies and adds:
//   score(q, d) = sum_{t in q} qtf(t) * idf(t) * impact(t, d)
// The impact grows with tf~ and stays below k1 + 1 (saturation), which bounds each term's
// contribution: MaxScore pruning relies on the per-term maximum of these impacts.
//
// Immutable after construction; thread-safe. Holds no references.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

#include "souk/lexical/lexical_options.h"

namespace souk::lexical {

class Bm25fScorer {
 public:
  /// `avg_lengths[f]`: mean length (in terms) of field f over all documents; 0 when the field is
  /// empty everywhere. `options` must be valid (LexicalOptions::Validate).
  Bm25fScorer(const LexicalOptions& options, const std::array<double, kNumFields>& avg_lengths)
      : options_(options), avg_lengths_(avg_lengths) {}

  /// What one occurrence in field `field` of a document whose field has `length` terms adds to
  /// tf~: w_f / (1 - b_f + b_f * len_f / avglen_f). 0 when the field is empty (no occurrence).
  double FieldFactor(Field field, uint32_t length) const {
    const size_t f = static_cast<size_t>(field);
    if (length == 0 || avg_lengths_[f] <= 0) return 0.0;
    const FieldOptions& o = options_.fields[f];
    return o.weight / (1.0 - o.b + o.b * length / avg_lengths_[f]);
  }

  /// Saturated impact of a pseudo-frequency tf~: tf~ (k1 + 1) / (k1 + tf~), in [0, k1 + 1).
  float Impact(double pseudo_tf) const {
    const double k1 = options_.k1;
    return static_cast<float>(pseudo_tf * (k1 + 1.0) / (k1 + pseudo_tf));
  }

  /// idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)): the Lucene variant of the Robertson/Sparck
  /// Jones weight, always positive (Robertson & Zaragoza 2009, section 3.1).
  static float Idf(uint64_t num_docs, uint64_t df) {
    const double n = static_cast<double>(num_docs);
    const double d = static_cast<double>(df);
    return static_cast<float>(std::log(1.0 + (n - d + 0.5) / (d + 0.5)));
  }

 private:
  LexicalOptions options_;
  std::array<double, kNumFields> avg_lengths_;
};

}  // namespace souk::lexical
