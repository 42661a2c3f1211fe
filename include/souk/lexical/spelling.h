// SpellingCorrector: query terms the index does not know, replaced by the index term a typo most
// likely came from ("toliet" -> "toilet"), or split into two index terms ("deckpaint" -> "deck"
// "paint"); and two neighbouring query terms (as analyzed, before corrections) that make an index
// term together get it added, unless the query holds it already ("sheet rock" -> + "sheetrock"); a
// known term only a few products hold gets its far more common neighbour one edit away added
// ("flourescent" -> + "fluorescent"). A quarter of the Home Depot queries hold a word the index
// lacks (docs/search.md, "Spelling").
//
// Options (SpellingOptions, lexical_options.h; config section lexical.spelling). Candidates are
// the index's terms of ASCII letters found in at least `min_df` products; a query
// term is looked at only when the index lacks it and it is ASCII letters, `min_length` or longer
// (model numbers, units and CJK words are never "corrected"). Among the terms within the allowed
// edits (optimal string alignment: insertions, deletions, substitutions and adjacent
// transpositions; one edit up to 7 letters, two from `two_edits_min_length`), the nearest wins,
// then the most frequent, then the smallest in byte order. Without one, the split into two
// candidates of at least `split_min_part` letters whose rarer half is most frequent. Lookups use
// a table of each candidate's deletions (Garbe's symmetric delete, SymSpell), so a query costs
// microseconds whatever the vocabulary.
//
// Thread-safety: immutable after Build; Correct may run concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "souk/lexical/inverted_index.h"
#include "souk/lexical/lexical_options.h"

namespace souk::lexical {

/// One replaced query term, or two joined.
struct Correction {
  std::string from;
  std::vector<std::string> to;  ///< One term, or the two halves of a split.
};

class SpellingCorrector {
 public:
  /// The candidates of `index`'s dictionary. Precondition: options.Validate() is ok.
  static std::unique_ptr<SpellingCorrector> Build(const InvertedIndex& index,
                                                  const SpellingOptions& options);
  ~SpellingCorrector();

  /// `terms` (analyzed) with each unknown one corrected as above, in place and order (a rare
  /// known one followed by its common variant), then the joined neighbours appended; the
  /// corrections made go to `corrections` when not null (a join as from "a b", to {"ab"}; an
  /// added variant as from the rare term to the variant).
  std::vector<std::string> Correct(const std::vector<std::string>& terms,
                                   std::vector<Correction>* corrections = nullptr) const;

  size_t num_candidates() const;
  size_t MemoryBytes() const;

 private:
  struct Data;
  explicit SpellingCorrector(std::unique_ptr<Data> data);
  std::unique_ptr<Data> data_;
};

}  // namespace souk::lexical
