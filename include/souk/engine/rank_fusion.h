// Reciprocal rank fusion (Cormack, Clarke & Buettcher, SIGIR 2009): merging ranked lists whose
// scores are not comparable (BM25 and cosine) by rank alone. Each list adds 1 / (k + rank) to a
// document's score, rank counted from 1; a document in both lists gains from both.
//
// Thread-safety: a pure function.
#pragma once

#include <vector>

#include "souk/catalog/product.h"

namespace souk::engine {

struct FusedDoc {
  catalog::DocId doc;
  double score = 0;
};

/// Every document of `lists` (each best first, without repeats), best fused score first; equal
/// scores in DocId order. `k` > 0 damps the weight of the very first ranks.
std::vector<FusedDoc> FuseReciprocalRank(const std::vector<std::vector<catalog::DocId>>& lists,
                                         double k);

}  // namespace souk::engine
