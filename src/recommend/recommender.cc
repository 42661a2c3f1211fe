#include "souk/recommend/recommender.h"

#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::recommend {
namespace {

// Popularity among the last `n` items of `in_file_order`.
Popularity Trending(const std::vector<ItemIndex>& in_file_order, size_t n, size_t num_items) {
  const size_t first = in_file_order.size() > n ? in_file_order.size() - n : 0;
  std::vector<UserHistory> newest(1);
  newest[0].items.assign(in_file_order.begin() + static_cast<std::ptrdiff_t>(first),
                         in_file_order.end());
  return Popularity::Build(newest, num_items);
}

}  // namespace

absl::StatusOr<ItemVocabulary> ReadSeqRecItems(const std::string& dir, int64_t num_items) {
  const std::string path = StrCat(dir, "/", model::kSeqRecItemsFile);
  SOUK_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  SOUK_ASSIGN_OR_RETURN(ItemVocabulary items, ItemVocabulary::FromText(text, path));
  if (static_cast<int64_t>(items.size()) != num_items) {
    return absl::FailedPreconditionError(
        StrCat(path, ": ", items.size(), " items, the model has ", num_items));
  }
  return items;
}

absl::Status RecommenderOptions::Validate() const {
  if (!enabled() && !seqrec_model.empty()) {
    return absl::InvalidArgumentError(
        "recommend.seqrec_model needs recommend.interactions (the users' histories)");
  }
  if (threads < 0) return absl::InvalidArgumentError("recommend.threads must be >= 0");
  if (trending_interactions < 1) {
    return absl::InvalidArgumentError("recommend.trending_interactions must be >= 1");
  }
  if (absl::Status s = covisitation.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(StrCat("recommend.covisitation: ", s.message()));
  }
  if (absl::Status s = bought_together.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(StrCat("recommend.bought_together: ", s.message()));
  }
  if (!enabled() && !baskets.empty()) {
    return absl::InvalidArgumentError(
        "recommend.baskets needs recommend.interactions (the users' histories)");
  }
  return absl::OkStatus();
}

Recommender::~Recommender() = default;

absl::StatusOr<std::unique_ptr<const Recommender>> Recommender::Load(
    const RecommenderOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  std::unique_ptr<Recommender> r(new Recommender());
  ItemVocabulary model_items;
  if (!options.seqrec_model.empty()) {
    SOUK_ASSIGN_OR_RETURN(
        r->model_, model::SeqRecModel::Load(options.seqrec_model, options.device, options.threads));
    SOUK_ASSIGN_OR_RETURN(model_items,
                          ReadSeqRecItems(options.seqrec_model, r->model_->config().num_items));
    r->model_items_ = model_items.size();
  }
  SOUK_ASSIGN_OR_RETURN(Interactions read,
                        ReadInteractions(options.interactions, model_items, UnknownItems::kAdd));
  if (!options.baskets.empty()) {
    SOUK_ASSIGN_OR_RETURN(Interactions baskets,
                          ReadInteractions(options.baskets, read.items, UnknownItems::kAdd));
    read.items = std::move(baskets.items);  // the items of both files
    r->bought_together_ =
        BoughtTogether::Build(baskets.users, read.items.size(), options.bought_together);
  }
  const size_t num_items = read.items.size();
  r->covisitation_ = CoVisitation::Build(read.users, num_items, options.covisitation);
  r->trending_ = Trending(read.in_file_order, options.trending_interactions, num_items);
  for (UserHistory& u : read.users) r->histories_[u.user] = std::move(u.items);
  r->items_ = std::move(read.items);
  return std::unique_ptr<const Recommender>(std::move(r));
}

std::span<const ItemIndex> Recommender::History(std::string_view user) const {
  const auto it = histories_.find(absl::string_view(user.data(), user.size()));
  if (it == histories_.end()) return {};
  return it->second;
}

absl::StatusOr<std::vector<ScoredItem>> Recommender::Sequential(std::span<const ItemIndex> history,
                                                                size_t k) const {
  if (model_ == nullptr) return std::vector<ScoredItem>();
  std::vector<std::vector<uint32_t>> known(1);
  for (const ItemIndex item : history) {
    if (item <= model_items_) known[0].push_back(item);
  }
  SOUK_ASSIGN_OR_RETURN(const auto top, model_->TopK(known, k));
  std::vector<ScoredItem> out;
  out.reserve(top[0].size());
  // The model excludes the history it read; the items it could not read it never names.
  for (const model::ScoredItem& s : top[0]) out.push_back({s.item, s.score});
  return out;
}

std::vector<ScoredItem> Recommender::CoVisited(std::span<const ItemIndex> history, size_t k) const {
  return covisitation_.CoVisited(history, k);
}

std::span<const ScoredItem> Recommender::Neighbors(ItemIndex item) const {
  if (item == 0 || item > items_.size()) return {};
  return covisitation_.Neighbors(item);
}

std::vector<ScoredItem> Recommender::BoughtWith(std::span<const ItemIndex> items, size_t k) const {
  return bought_together_.WithAll(items, k);
}

}  // namespace souk::recommend
