#include "souk/suggest/completion_index.h"

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>

#include "absl/container/flat_hash_set.h"
#include "souk/base/utf8.h"
#include "souk/text/fold.h"

namespace souk::suggest {
namespace {

// One label per character: the bytes of its UTF-8 sequence packed into an integer (a byte that
// is not well-formed UTF-8 is a character of its own; FoldText leaves none).
std::vector<uint32_t> Labels(std::string_view text) {
  std::vector<uint32_t> labels;
  for (size_t i = 0; i < text.size();) {
    const size_t length = std::max<size_t>(1, Utf8SequenceLength(text, i));
    uint32_t label = 0;
    for (size_t k = 0; k < length; ++k) label = label << 8 | static_cast<uint8_t>(text[i + k]);
    labels.push_back(label);
    i += length;
  }
  return labels;
}

// The trie while it is built: children by label, in label order.
struct BuildNode {
  std::map<uint32_t, std::unique_ptr<BuildNode>> children;
  int64_t phrase = -1;
};

}  // namespace

CompletionIndex CompletionIndex::Build(const std::vector<Phrase>& phrases) {
  CompletionIndex index;
  std::unordered_map<std::string, size_t> ids;
  for (const Phrase& phrase : phrases) {
    if (!(phrase.weight > 0)) continue;
    std::string folded = text::FoldText(phrase.text);
    if (folded.empty() || folded.size() > kMaxPhraseBytes) continue;
    const auto [it, added] = ids.emplace(folded, index.texts_.size());
    if (added) {
      index.texts_.push_back(std::move(folded));
      index.weights_.push_back(0);
    }
    index.weights_[it->second] += phrase.weight;
  }

  BuildNode root;
  for (size_t id = 0; id < index.texts_.size(); ++id) {
    BuildNode* node = &root;
    for (uint32_t label : Labels(index.texts_[id])) {
      std::unique_ptr<BuildNode>& child = node->children[label];
      if (!child) child = std::make_unique<BuildNode>();
      node = child.get();
    }
    node->phrase = static_cast<int64_t>(id);
  }

  // Breadth first, so that each node's children sit side by side.
  std::vector<BuildNode*> order = {&root};
  index.labels_.push_back(0);
  for (size_t i = 0; i < order.size(); ++i) {
    for (auto& [label, child] : order[i]->children) {
      order.push_back(child.get());
      index.labels_.push_back(label);
    }
  }
  index.nodes_.resize(order.size());
  for (size_t i = 0, next = 1; i < order.size(); ++i) {
    index.nodes_[i].first_child = static_cast<uint32_t>(next);
    index.nodes_[i].child_count = static_cast<uint32_t>(order[i]->children.size());
    next += order[i]->children.size();
  }

  // Each node's best phrases from its own and its children's, leaves first.
  const auto heavier = [&index](uint32_t a, uint32_t b) {
    return index.weights_[a] != index.weights_[b] ? index.weights_[a] > index.weights_[b]
                                                  : index.texts_[a] < index.texts_[b];
  };
  std::vector<std::vector<uint32_t>> best(order.size());
  for (size_t i = order.size(); i-- > 0;) {
    std::vector<uint32_t>& mine = best[i];
    if (order[i]->phrase >= 0) mine.push_back(static_cast<uint32_t>(order[i]->phrase));
    const Node& node = index.nodes_[i];
    for (uint32_t c = node.first_child; c < node.first_child + node.child_count; ++c) {
      mine.insert(mine.end(), best[c].begin(), best[c].end());
    }
    std::sort(mine.begin(), mine.end(), heavier);
    if (mine.size() > kMaxCompletions) mine.resize(kMaxCompletions);
  }
  for (size_t i = 0; i < order.size(); ++i) {
    index.nodes_[i].first_best = static_cast<uint32_t>(index.best_.size());
    index.nodes_[i].best_count = static_cast<uint32_t>(best[i].size());
    index.best_.insert(index.best_.end(), best[i].begin(), best[i].end());
  }
  return index;
}

int64_t CompletionIndex::Child(int64_t node, uint32_t label) const {
  const Node& n = nodes_[static_cast<size_t>(node)];
  const auto begin = labels_.begin() + n.first_child;
  const auto end = begin + n.child_count;
  const auto it = std::lower_bound(begin, end, label);
  return it != end && *it == label ? it - labels_.begin() : -1;
}

int64_t CompletionIndex::Walk(int64_t node, const std::vector<uint32_t>& labels,
                              size_t from) const {
  for (size_t i = from; i < labels.size() && node >= 0; ++i) node = Child(node, labels[i]);
  return node;
}

std::vector<int64_t> CompletionIndex::OneEditAway(const std::vector<uint32_t>& labels) const {
  std::vector<int64_t> found;
  const auto add = [&found](int64_t node) {
    if (node >= 0) found.push_back(node);
  };
  int64_t node = 0;  // after labels[0, i) read exactly
  for (size_t i = 0; i < labels.size() && node >= 0; ++i) {
    add(Walk(node, labels, i + 1));  // labels[i] typed by mistake
    const Node& n = nodes_[static_cast<size_t>(node)];
    for (uint32_t c = n.first_child; c < n.first_child + n.child_count; ++c) {
      if (labels_[c] != labels[i]) add(Walk(c, labels, i + 1));  // labels[i] typed wrong
      add(Walk(c, labels, i));                                   // a character left out
    }
    if (i + 1 < labels.size() && labels[i] != labels[i + 1]) {  // two neighbours swapped
      const int64_t swapped = Walk(Child(node, labels[i + 1]), {labels[i]}, 0);
      if (swapped >= 0) add(Walk(swapped, labels, i + 2));
    }
    node = Child(node, labels[i]);
  }
  return found;
}

std::vector<Completion> CompletionIndex::Complete(std::string_view prefix, size_t k) const {
  k = std::min(k, kMaxCompletions);
  std::vector<Completion> out;
  if (k == 0 || nodes_.empty()) return out;
  const std::string folded = text::FoldText(prefix);
  if (folded.size() > kMaxPhraseBytes) return out;  // longer than any phrase
  const std::vector<uint32_t> labels = Labels(folded);
  absl::flat_hash_set<uint32_t> taken;
  const auto take = [&](int64_t node, bool corrected) {
    const Node& n = nodes_[static_cast<size_t>(node)];
    for (uint32_t b = n.first_best; b < n.first_best + n.best_count; ++b) {
      if (taken.insert(best_[b]).second) {
        out.push_back({texts_[best_[b]], weights_[best_[b]], corrected});
      }
    }
  };
  const int64_t exact = Walk(0, labels, 0);
  if (exact >= 0) take(exact, false);
  if (out.size() < k && labels.size() >= kMinTypoPrefix) {
    const size_t exact_count = out.size();
    for (int64_t node : OneEditAway(labels)) take(node, true);
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(exact_count), out.end(),
                     [](const Completion& a, const Completion& b) { return a.weight > b.weight; });
  }
  if (out.size() > k) out.resize(k);
  return out;
}

}  // namespace souk::suggest
