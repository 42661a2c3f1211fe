// Hit: one scored document of a result list.
//
// Result lists are ordered best first: higher score, then smaller DocId, so that equal scores
// give the same order on every run and in every retrieval strategy. A plain value type.
#pragma once

#include "souk/catalog/product.h"

namespace souk::lexical {

struct Hit {
  catalog::DocId doc;
  float score = 0;
  bool operator==(const Hit&) const = default;
};

/// True when `a` ranks before `b`: higher score, or equal score and smaller DocId.
inline bool RanksBefore(const Hit& a, const Hit& b) {
  return a.score > b.score || (a.score == b.score && a.doc < b.doc);
}

}  // namespace souk::lexical
