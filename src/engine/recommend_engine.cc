#include "souk/engine/recommend_engine.h"

#include <algorithm>
#include <span>

#include "absl/container/flat_hash_set.h"
#include "recommend_page_internal.h"
#include "request_filter_internal.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"
#include "souk/catalog/product_reader.h"

namespace souk::engine {
namespace {

using catalog::DocId;
using internal::Candidate;
using internal::PageBuilder;
using internal::SourceBit;
using internal::SourceList;
using recommend::ItemIndex;
using enum internal::SourceBit;

// The catalog products of recommender items, the first `k` found, in order.
std::vector<DocId> ToDocs(const Snapshot& snap, std::span<const recommend::ScoredItem> items,
                          size_t k) {
  std::vector<DocId> docs;
  for (const recommend::ScoredItem& s : items) {
    if (docs.size() == k) break;
    if (const std::optional<DocId> doc = snap.ItemDoc(s.item)) docs.push_back(*doc);
  }
  return docs;
}

// The `k` products whose vectors are nearest `anchor`'s, itself left out; none without vectors.
absl::StatusOr<std::vector<DocId>> ContentNeighbors(const Snapshot& snap, DocId anchor, size_t k) {
  const vector::VectorIndex* vectors = snap.vectors();
  if (vectors == nullptr) return std::vector<DocId>();
  absl::StatusOr<std::vector<float>> row = vectors->Row(anchor.value());
  if (absl::IsNotFound(row.status())) return std::vector<DocId>();
  if (!row.ok()) return row.status();
  SOUK_ASSIGN_OR_RETURN(const auto found, vectors->Search(*row, k + 1));
  std::vector<DocId> docs;
  for (const vector::Neighbor& n : found[0]) {
    if (n.id != anchor.value() && docs.size() < k) docs.push_back(DocId(n.id));
  }
  return docs;
}

bool HasPrefix(const std::vector<std::string>& path, const std::vector<std::string>& prefix) {
  return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

// What the user has seen: products (oldest first) and the recommender's items of them; of
// those, the request's own (recent products, the page's product): a cart's contents.
struct History {
  std::vector<DocId> docs;
  std::vector<ItemIndex> items;
  std::vector<ItemIndex> current;
  absl::flat_hash_set<uint32_t> seen;
};

// The history, oldest first: the recommender's stored interactions, the live actions the event
// log has seen since (clicks, carts, purchases, reviews), the request's recent products and
// the page's product.
History ReadHistory(const Snapshot& snap, const events::Aggregates* live,
                    const RecommendRequest& request) {
  History h;
  if (const recommend::Recommender* r = snap.recommender()) {
    for (const ItemIndex item : r->History(request.user_id)) {
      h.items.push_back(item);
      if (const std::optional<DocId> doc = snap.ItemDoc(item)) h.docs.push_back(*doc);
    }
  }
  const auto add_product = [&](const std::string& id, bool current) {
    const std::optional<DocId> doc = snap.catalog().Find(id);
    if (!doc) return;  // a product gone from the catalog: nothing to learn from
    h.docs.push_back(*doc);
    if (const ItemIndex item = snap.DocItem(*doc)) {
      h.items.push_back(item);
      if (current) h.current.push_back(item);
    }
  };
  if (live != nullptr && !request.user_id.empty()) {
    for (const events::UserAction& action : live->RecentActions(request.user_id)) {
      add_product(action.product_id, /*current=*/false);
    }
  }
  for (const std::string& id : request.recent_product_ids) add_product(id, /*current=*/true);
  if (request.context == PageContext::kProduct) {
    add_product(request.context_product_id, /*current=*/true);
  }
  for (const DocId doc : h.docs) h.seen.insert(doc.value());
  return h;
}

// Fills `page` with trending products under `category` (empty: any), then with the catalog's
// products in order (all a shop without interactions has).
void FillWithTrending(const Snapshot& snap, const std::vector<std::string>& category,
                      PageBuilder* page) {
  const auto offer = [&](DocId doc, SourceBit source) {
    if (HasPrefix(snap.catalog().product(doc).category_path, category)) {
      page->Offer({doc, 0, source});
    }
  };
  if (const recommend::Recommender* r = snap.recommender()) {
    for (const recommend::ScoredItem& s : r->trending().ranked()) {
      if (page->full()) return;
      if (const std::optional<DocId> doc = snap.ItemDoc(s.item)) offer(*doc, kTrending);
    }
  }
  for (uint32_t d = 0; d < snap.catalog().size() && !page->full(); ++d) offer(DocId(d), kCatalog);
}

// Fills `page` from `category`'s subtree, then its parent's, up to the root category.
void FillUpFrom(const Snapshot& snap, const std::vector<std::string>& category, PageBuilder* page) {
  for (size_t depth = category.size(); depth >= 1 && !page->full(); --depth) {
    FillWithTrending(
        snap, {category.begin(), category.begin() + static_cast<std::ptrdiff_t>(depth)}, page);
  }
}

absl::Status CheckPageSize(int64_t page_size, size_t max) {
  if (page_size < 1 || static_cast<size_t>(page_size) > max) {
    return absl::InvalidArgumentError(StrCat("page_size: ", page_size, " is outside 1..", max));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RecommendEngine>> RecommendEngine::Create(
    const RecommendOptions& options, const SearchEngine* search,
    const events::Aggregates* live_activity) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  if (search == nullptr)
    return absl::InvalidArgumentError("recommend engine needs a search engine");
  auto engine =
      std::unique_ptr<RecommendEngine>(new RecommendEngine(options, search, live_activity));
  for (const std::string& category : options.repeat_purchase_categories) {
    absl::StatusOr<std::vector<std::string>> path = catalog::ParseCategoryPath(category);
    if (!path.ok()) return Annotate(path.status(), "recommend.repeat_purchase_categories");
    engine->repeat_purchase_paths_.push_back(*std::move(path));
  }
  return engine;
}

RecommendEngine::RecommendEngine(const RecommendOptions& options, const SearchEngine* search,
                                 const events::Aggregates* live_activity)
    : options_(options), search_(search), live_activity_(live_activity) {}

namespace {

// The generators' lists for `history`: the sequential model and co-visitation after it, what
// is bought with the cart or the page's product, and content neighbours of the newest product
// on a product page or when the others found none.
absl::StatusOr<std::vector<SourceList>> Generate(const Snapshot& snap, const History& history,
                                                 PageContext context, size_t k) {
  std::vector<SourceList> lists;
  const bool product_page = context == PageContext::kProduct;
  if (const recommend::Recommender* r = snap.recommender(); r && !history.items.empty()) {
    SOUK_ASSIGN_OR_RETURN(const auto sequential, r->Sequential(history.items, k));
    lists.push_back({ToDocs(snap, sequential, k), kSequential});
    lists.push_back({ToDocs(snap, r->CoVisited(history.items, k), k), kCoVisitation});
    if (product_page || context == PageContext::kCart) {
      lists.push_back({ToDocs(snap, r->BoughtWith(history.current, k), k), kBoughtTogether});
    }
  }
  const bool found_none =
      std::all_of(lists.begin(), lists.end(), [](const SourceList& l) { return l.docs.empty(); });
  if (!history.docs.empty() && (product_page || found_none)) {
    SOUK_ASSIGN_OR_RETURN(std::vector<DocId> content,
                          ContentNeighbors(snap, history.docs.back(), k));
    lists.push_back({std::move(content), kContent});
  }
  return lists;
}

}  // namespace

absl::StatusOr<RecommendPage> RecommendEngine::Recommend(const RecommendRequest& request) const {
  SOUK_RETURN_IF_ERROR(CheckPageSize(request.page_size, options_.max_page_size));
  if (request.recent_product_ids.size() > options_.max_recent_items) {
    return absl::InvalidArgumentError(
        StrCat("recent_product_ids: ", request.recent_product_ids.size(), " ids, at most ",
               options_.max_recent_items, " allowed"));
  }
  if (!IsValidUtf8(request.user_id)) {
    return absl::InvalidArgumentError("user_id: not valid UTF-8");
  }
  const internal::RequestFilter filter_request{.category = request.category,
                                               .brands = &request.brands,
                                               .min_price = request.min_price,
                                               .max_price = request.max_price};
  SOUK_RETURN_IF_ERROR(internal::CheckFilterText(filter_request));
  RecommendPage page;
  page.snapshot = search_->snapshot();
  const Snapshot& snap = *page.snapshot;
  SOUK_ASSIGN_OR_RETURN(const std::optional<lexical::DocFilter> filter,
                        internal::CompileFilter(snap, filter_request));
  const History history = ReadHistory(snap, live_activity_, request);
  const bool product_page = request.context == PageContext::kProduct;
  const std::optional<DocId> page_product =
      product_page ? snap.catalog().Find(request.context_product_id) : std::nullopt;
  const auto allowed = [&](DocId doc) {
    const catalog::Product& product = snap.catalog().product(doc);
    if (!product.InStock() || (filter && !filter->Contains(doc)) || doc == page_product) {
      return false;
    }
    return !history.seen.contains(doc.value()) ||
           std::any_of(repeat_purchase_paths_.begin(), repeat_purchase_paths_.end(),
                       [&](const auto& path) { return HasPrefix(product.category_path, path); });
  };
  PageBuilder builder(snap, static_cast<size_t>(request.page_size), options_.max_per_category,
                      allowed);
  SOUK_ASSIGN_OR_RETURN(const std::vector<SourceList> lists,
                        Generate(snap, history, request.context, options_.candidates));
  for (const Candidate& c : internal::Merge(lists, options_.rrf_k)) builder.Offer(c);
  // Cold start: what is trending where the user is (the newest product's category, then the
  // ones above it), then anywhere.
  if (!history.docs.empty()) {
    FillUpFrom(snap, snap.catalog().product(history.docs.back()).category_path, &builder);
  }
  FillWithTrending(snap, {}, &builder);
  page.items = builder.Finish();
  page.request_id = request_ids_.Next();
  return page;
}

absl::StatusOr<RecommendPage> RecommendEngine::SimilarItems(const std::string& product_id,
                                                            int64_t page_size) const {
  SOUK_RETURN_IF_ERROR(CheckPageSize(page_size, options_.max_page_size));
  RecommendPage page;
  page.snapshot = search_->snapshot();
  const Snapshot& snap = *page.snapshot;
  const std::optional<DocId> doc = snap.catalog().Find(product_id);
  if (!doc) return absl::NotFoundError(StrCat("product_id: no product '", product_id, "'"));
  std::vector<SourceList> lists;
  if (const recommend::Recommender* r = snap.recommender()) {
    lists.push_back(
        {ToDocs(snap, r->Neighbors(snap.DocItem(*doc)), options_.candidates), kCoVisitation});
  }
  SOUK_ASSIGN_OR_RETURN(std::vector<DocId> content,
                        ContentNeighbors(snap, *doc, options_.candidates));
  lists.push_back({std::move(content), kContent});
  PageBuilder builder(snap, static_cast<size_t>(page_size), /*max_per_category=*/0,
                      [&](DocId d) { return d != *doc && snap.catalog().product(d).InStock(); });
  for (const Candidate& c : internal::Merge(lists, options_.rrf_k)) builder.Offer(c);
  FillUpFrom(snap, snap.catalog().product(*doc).category_path, &builder);
  page.items = builder.Finish();
  page.request_id = request_ids_.Next();
  return page;
}

}  // namespace souk::engine
