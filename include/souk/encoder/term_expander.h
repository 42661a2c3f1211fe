// TermExpander: document expansion with a masked language model. Each product text gets
// `mask_slots` [MASK] tokens appended after its own and the model fills them in: the words it
// guesses are those that accompany such a text in the corpus it was pre-trained on (the
// catalog's titles, for `souk train pretrain --catalog`), such as "cordless" for a drill
// whose title does not say so. Indexed as a field of their own (lexical::Field::kExpansion),
// they let a query find a product by a word its listing lacks (docs/search.md, "Document
// expansion"; the idea of Nogueira et al.'s doc2query, with the catalog's own masked LM in
// place of a query generator).
//
// A word is each vocabulary entry that is a whole word: a SentencePiece piece that starts a
// word (a word-model tokenizer's pieces all do), or a WordPiece token that is not a "##"
// continuation; specials and pieces without a letter are never returned, nor a word the text
// already holds. A word's probability for a text is the highest over its slots; its lift is
// that over its mean probability across all the texts of one Expand call (the catalog, in
// `souk index`). Words the model guesses after any title ("with", "kit", "pack") lift little;
// a text's words are those with probability >= min_probability and lift >= min_lift, most
// probable first, at most `terms` (ChooseExpansionTerms).
//
// Thread-safety: Expand may be called from many threads; forward passes run one at a time.
// The model runs in fp32 on the CPU and in fp16 on CUDA.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/encoder/encoder_options.h"

namespace souk::encoder {

struct ExpandedTerm {
  std::string word;
  float probability = 0;  ///< The highest over the mask slots.
  bool operator==(const ExpandedTerm&) const = default;
};

/// A word one text's slots predicted, before the choice.
struct ExpansionCandidate {
  std::string word;
  float probability = 0;       ///< For this text.
  float mean_probability = 0;  ///< Over all the texts expanded together.
};

/// The words of `candidates` that Expand keeps: probability >= options.min_probability and
/// probability / mean_probability >= options.min_lift, most probable first, at most
/// options.terms.
std::vector<ExpandedTerm> ChooseExpansionTerms(std::vector<ExpansionCandidate> candidates,
                                               const ExpansionOptions& options);

class TermExpander {
 public:
  /// Errors name the directory and what is wrong: an empty model_dir, a model without a
  /// masked-LM head ("cls.predictions.*"), a max_length too short for the mask slots.
  static absl::StatusOr<std::unique_ptr<TermExpander>> Load(const ExpansionOptions& options);
  ~TermExpander();
  TermExpander(const TermExpander&) = delete;
  TermExpander& operator=(const TermExpander&) = delete;

  /// Each text's words, in order of `texts`; a text is cut to max_length - mask_slots - 2
  /// tokens first. Texts are batched batch_size at a time, shortest first; each keeps its
  /// likeliest words (at least 64) as candidates until every text's are known.
  absl::StatusOr<std::vector<std::vector<ExpandedTerm>>> Expand(
      std::span<const std::string> texts) const;

  const std::string& model_dir() const;

 private:
  struct Impl;
  explicit TermExpander(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::encoder
