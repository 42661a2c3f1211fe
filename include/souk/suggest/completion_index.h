// CompletionIndex: the best completions of what a shopper has typed so far, among weighted
// phrases (logged queries, catalog phrases), for the search box's suggestions.
//
// Phrases and prefixes are matched character by character (Unicode code points, so a Chinese
// character is one step like a Latin letter) after text::FoldText: NFKC, case folding, blanks
// collapsed. A prefix of at least kMinTypoPrefix characters also finds phrases one edit away
// (a character missing, extra, wrong, or two neighbours swapped); those come after every exact
// completion. Lookups walk a trie whose every node keeps its kMaxCompletions best phrases, so
// an exact prefix costs its length, and one edit its length times the branching on its path.
//
// Thread-safety: immutable after Build; Complete() may run on many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace souk::suggest {

struct Phrase {
  std::string text;   ///< as typed or written; folded by Build
  double weight = 0;  ///< higher first; phrases at or below 0 are dropped
};

struct Completion {
  std::string text;  ///< the folded phrase
  double weight = 0;
  bool corrected = false;  ///< found one edit away from the prefix
  bool operator==(const Completion&) const = default;
};

class CompletionIndex {
 public:
  static constexpr size_t kMaxCompletions = 10;
  static constexpr size_t kMinTypoPrefix = 4;     ///< characters
  static constexpr size_t kMaxPhraseBytes = 200;  ///< longer phrases are dropped

  /// Phrases folded to the same text merge, their weights summed.
  static CompletionIndex Build(const std::vector<Phrase>& phrases);

  /// Up to `k` (at most kMaxCompletions) completions of `prefix` (folded here): exact ones by
  /// weight, then corrected ones by weight. An empty prefix gets the heaviest phrases.
  std::vector<Completion> Complete(std::string_view prefix, size_t k = kMaxCompletions) const;

  size_t size() const { return texts_.size(); }

 private:
  struct Node {
    uint32_t first_child = 0;  // children are nodes[first_child, first_child + child_count)
    uint32_t child_count = 0;
    uint32_t first_best = 0;  // best_[first_best, first_best + best_count): phrase ids
    uint32_t best_count = 0;
  };

  // The node reached from `node` by reading `labels` from `from` on, or -1.
  int64_t Walk(int64_t node, const std::vector<uint32_t>& labels, size_t from) const;
  int64_t Child(int64_t node, uint32_t label) const;
  // Nodes whose phrases are one edit away from `labels`.
  std::vector<int64_t> OneEditAway(const std::vector<uint32_t>& labels) const;

  std::vector<Node> nodes_;       // nodes_[0] is the root; each node's children contiguous
  std::vector<uint32_t> labels_;  // labels_[i]: the character leading into nodes_[i]
  std::vector<uint32_t> best_;
  std::vector<std::string> texts_;  // by phrase id
  std::vector<double> weights_;
};

}  // namespace souk::suggest
