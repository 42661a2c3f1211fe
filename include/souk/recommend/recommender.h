// Recommender: what serving learns from users' histories, loaded once per snapshot: the stored
// histories, co-visitation, popularity and trending counts from an interactions file, the
// sequential model when one is configured, and bought-together from a baskets file. It answers in
// its own item indices (the model's items first, then the ones only the file names); engine/ maps
// them to catalog products and merges them with content-similar items.
//
// Thread-safety: immutable after Load; every method may run concurrently.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/model/seqrec_model.h"
#include "souk/recommend/interactions.h"
#include "souk/recommend/item_to_item.h"

namespace souk::recommend {

/// The items.txt of the sequential model in `dir`, checked against the model's `num_items`
/// (FAILED_PRECONDITION naming the file when they disagree).
absl::StatusOr<ItemVocabulary> ReadSeqRecItems(const std::string& dir, int64_t num_items);

struct RecommenderOptions {
  /// `user item` lines, each user's in time order (docs/formats/interactions.md): the users'
  /// histories and what co-visitation and popularity count. Empty: no recommender.
  std::string interactions;
  /// A `souk train seqrec` directory; empty: co-visitation alone.
  std::string seqrec_model;
  /// `basket item` lines (the interactions layout, a basket id for the user: an order, a cart)
  /// for frequently-bought-together; empty: none.
  std::string baskets;
  BoughtTogetherOptions bought_together;
  std::string device = "cpu";  ///< Where the sequential model runs (model/device.h).
  /// libtorch intra-op threads (process-wide, as encoder.threads): 1 suits serving, where
  /// concurrent requests already use the cores; 0 leaves the setting alone.
  int threads = 1;
  CoVisitationOptions covisitation;
  /// Trending: popularity among the file's last this many interactions (the newest, when the
  /// file is in time order overall).
  size_t trending_interactions = 20000;

  bool enabled() const { return !interactions.empty(); }
  absl::Status Validate() const;
};

class Recommender {
 public:
  /// Errors name the file at fault.
  static absl::StatusOr<std::unique_ptr<const Recommender>> Load(const RecommenderOptions& options);
  ~Recommender();

  const ItemVocabulary& items() const { return items_; }
  bool has_sequential_model() const { return model_ != nullptr; }

  /// The interactions file's history of `user`, oldest first; empty for an unknown user.
  std::span<const ItemIndex> History(std::string_view user) const;
  /// The sequential model's first `k` next items after `history` (items it does not know are
  /// left out of what it reads); empty without a model.
  absl::StatusOr<std::vector<ScoredItem>> Sequential(std::span<const ItemIndex> history,
                                                     size_t k) const;
  /// Co-visitation's first `k` next items after `history`, without popularity filling up.
  std::vector<ScoredItem> CoVisited(std::span<const ItemIndex> history, size_t k) const;
  /// The items seen near `item` in histories, strongest first.
  std::span<const ScoredItem> Neighbors(ItemIndex item) const;
  /// The k items bought most with `items` (a cart, a product), none of them; empty without
  /// baskets.
  std::vector<ScoredItem> BoughtWith(std::span<const ItemIndex> items, size_t k) const;
  /// Items by interactions among the newest `trending_interactions`, most first.
  const Popularity& trending() const { return trending_; }

 private:
  Recommender() = default;

  ItemVocabulary items_;
  size_t model_items_ = 0;  ///< Indices 1..model_items_ are the model's.
  std::unique_ptr<model::SeqRecModel> model_;
  absl::flat_hash_map<std::string, std::vector<ItemIndex>> histories_;
  CoVisitation covisitation_;
  BoughtTogether bought_together_;
  Popularity trending_;
};

}  // namespace souk::recommend
