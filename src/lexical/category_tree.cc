#include <algorithm>

#include "category_tree_internal.h"
#include "souk/base/check.h"

namespace souk::lexical::internal {
namespace {

// The tree as first discovered, before preorder numbering.
struct RawTree {
  std::vector<std::string> names{""};
  std::vector<std::vector<uint32_t>> children{{}};
  absl::flat_hash_map<std::pair<uint32_t, std::string>, uint32_t> ids;

  uint32_t Add(const std::vector<std::string>& path) {
    uint32_t node = CategoryTree::kRoot;
    for (const std::string& level : path) {
      auto [it, inserted] = ids.try_emplace({node, level}, static_cast<uint32_t>(names.size()));
      if (inserted) {
        names.push_back(level);
        children.emplace_back();
        children[node].push_back(it->second);
      }
      node = it->second;
    }
    return node;
  }
};

}  // namespace

CategoryTree CategoryTree::Build(const std::vector<catalog::Product>& products,
                                 std::vector<uint32_t>* doc_nodes) {
  RawTree raw;
  doc_nodes->clear();
  doc_nodes->reserve(products.size());
  for (const catalog::Product& p : products) doc_nodes->push_back(raw.Add(p.category_path));

  // Preorder numbering with children in name order. Iterative: paths may be deep.
  const size_t n = raw.names.size();
  CategoryTree tree;
  tree.names_.resize(n);
  tree.parents_.assign(n, kRoot);
  tree.depths_.assign(n, 0);
  tree.ends_.assign(n, 0);
  std::vector<uint32_t> new_id(n, 0);
  struct Frame {
    uint32_t raw_node;
    uint32_t parent;  // new id
    uint32_t depth;
    bool done;  // second visit: the subtree is numbered, record its end
  };
  std::vector<Frame> stack{{kRoot, kRoot, 0, false}};
  uint32_t next = 0;
  while (!stack.empty()) {
    const Frame frame = stack.back();
    stack.pop_back();
    if (frame.done) {
      tree.ends_[new_id[frame.raw_node]] = next;
      continue;
    }
    const uint32_t id = next++;
    new_id[frame.raw_node] = id;
    tree.names_[id] = raw.names[frame.raw_node];
    tree.parents_[id] = frame.parent;
    tree.depths_[id] = frame.depth;
    stack.push_back({frame.raw_node, frame.parent, frame.depth, true});
    std::vector<uint32_t>& kids = raw.children[frame.raw_node];
    // Pushed in reverse name order so that they pop in name order.
    std::sort(kids.begin(), kids.end(),
              [&](uint32_t a, uint32_t b) { return raw.names[a] > raw.names[b]; });
    for (uint32_t kid : kids) stack.push_back({kid, id, frame.depth + 1, false});
  }
  SOUK_CHECK(next == n);
  for (uint32_t& node : *doc_nodes) node = new_id[node];
  tree.children_.reserve(n);
  for (uint32_t id = 1; id < n; ++id) tree.children_[{tree.parents_[id], tree.names_[id]}] = id;
  return tree;
}

std::optional<uint32_t> CategoryTree::Find(const std::vector<std::string>& path) const {
  uint32_t node = kRoot;
  for (const std::string& level : path) {
    auto it = children_.find(std::make_pair(node, level));
    if (it == children_.end()) return std::nullopt;
    node = it->second;
  }
  return node;
}

uint32_t CategoryTree::AncestorAtDepth(uint32_t node, uint32_t depth) const {
  SOUK_DCHECK(depth <= depths_[node]);
  while (depths_[node] > depth) node = parents_[node];
  return node;
}

size_t CategoryTree::MemoryBytes() const {
  size_t bytes = (parents_.capacity() + depths_.capacity() + ends_.capacity()) * sizeof(uint32_t) +
                 names_.capacity() * sizeof(std::string) +
                 children_.capacity() * (sizeof(std::pair<uint32_t, std::string>) + 4);
  for (const std::string& name : names_) bytes += 2 * name.capacity();  // in names_ and children_
  return bytes;
}

}  // namespace souk::lexical::internal
