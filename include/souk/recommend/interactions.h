// Interactions: users' item histories in time order, as the sequential recommender and the
// item-to-item generators learn from them and as offline evaluation feeds them.
//
// File format (docs/formats/interactions.md): one `user item` pair per line, separated by
// blanks (spaces or tabs), each user's lines in time order (users may interleave); empty lines
// are skipped. The layout of the BERT4Rec repository's `beauty.txt`.
//
// Items get dense ids 1..num_items (0 is padding for the models) in an ItemVocabulary: in order
// of first appearance when reading training data, or a model's own vocabulary when reading
// histories to recommend for (items it does not know are then skipped and counted).
//
// Thread-safety: immutable values after reading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace souk::recommend {

using ItemIndex = uint32_t;  ///< 1..num_items; 0 is padding.

/// External item ids <-> dense indices 1..size().
class ItemVocabulary {
 public:
  /// The index of `item`, adding it when new.
  ItemIndex Add(std::string_view item);
  /// The index of `item`, or 0 when unknown.
  ItemIndex Find(std::string_view item) const;
  /// The external id of `index` (1..size(); checked).
  const std::string& Name(ItemIndex index) const;
  size_t size() const { return names_.size(); }

  /// One external id per line, index 1 first (the `items.txt` of a model directory).
  std::string ToText() const;
  /// Parses ToText()'s output; INVALID_ARGUMENT naming `source` and the line for an empty or
  /// repeated id.
  static absl::StatusOr<ItemVocabulary> FromText(std::string_view text, std::string_view source);

 private:
  absl::flat_hash_map<std::string, ItemIndex> index_;
  std::vector<std::string> names_;  ///< names_[i - 1] is item i.
};

struct UserHistory {
  std::string user;
  std::vector<ItemIndex> items;  ///< Oldest first.
};

struct Interactions {
  ItemVocabulary items;
  std::vector<UserHistory> users;        ///< In order of first appearance.
  std::vector<ItemIndex> in_file_order;  ///< Every known item read, line by line.
  size_t lines = 0;                      ///< Interactions read.
  size_t unknown_items = 0;              ///< Skipped: not in a fixed vocabulary.

  size_t num_interactions() const { return lines - unknown_items; }
};

/// Reads a file of the format above, building the vocabulary. INVALID_ARGUMENT naming the file
/// and line for a line without exactly two fields; FAILED_PRECONDITION for a file without any.
absl::StatusOr<Interactions> ReadInteractions(const std::string& path);
/// What reading with a given vocabulary does with an item it lacks.
enum class UnknownItems {
  kSkip,  ///< Skipped and counted; a user whose items are all unknown keeps an empty history.
  kAdd,   ///< Added after the vocabulary's own (indices size()+1...), as in training data.
};

/// The same starting from `vocabulary` (a model's items).
absl::StatusOr<Interactions> ReadInteractions(const std::string& path,
                                              const ItemVocabulary& vocabulary,
                                              UnknownItems unknown = UnknownItems::kSkip);

}  // namespace souk::recommend
