// CategoryTree: the category paths of a catalog as a tree numbered in preorder, so that a
// category's subtree is one contiguous id range [node, subtree_end(node)) and "is product d in
// category C or below" is two comparisons.
//
// Node 0 is the root (the empty path, also the node of uncategorized products); children are
// numbered in name order, so the numbering depends only on the set of paths. Immutable after
// Build; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "souk/catalog/product.h"

namespace souk::lexical::internal {

class CategoryTree {
 public:
  static constexpr uint32_t kRoot = 0;

  /// The tree of every product's category path; `doc_nodes[d]` receives product d's node.
  static CategoryTree Build(const std::vector<catalog::Product>& products,
                            std::vector<uint32_t>* doc_nodes);

  /// The node of `path` (root first); kRoot for the empty path; nullopt when unknown.
  std::optional<uint32_t> Find(const std::vector<std::string>& path) const;

  size_t size() const { return names_.size(); }
  const std::string& name(uint32_t node) const { return names_[node]; }
  uint32_t depth(uint32_t node) const { return depths_[node]; }
  /// One past the last node of `node`'s subtree.
  uint32_t subtree_end(uint32_t node) const { return ends_[node]; }
  /// The ancestor of `node` at `depth` (node itself at its own depth); depth <= depth(node).
  uint32_t AncestorAtDepth(uint32_t node, uint32_t depth) const;
  size_t MemoryBytes() const;

 private:
  std::vector<std::string> names_;
  std::vector<uint32_t> parents_;
  std::vector<uint32_t> depths_;
  std::vector<uint32_t> ends_;
  absl::flat_hash_map<std::pair<uint32_t, std::string>, uint32_t> children_;
};

}  // namespace souk::lexical::internal
