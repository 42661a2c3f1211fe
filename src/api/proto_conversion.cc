#include "souk/api/proto_conversion.h"

#include <cmath>

namespace souk::api {

void ToProto(const catalog::Product& p, v1::Product* out) {
  out->set_id(p.id);
  out->set_title(p.title);
  out->set_description(p.description);
  out->set_brand(p.brand);
  for (const std::string& c : p.category_path) out->add_category_path(c);
  if (p.price) out->set_price(*p.price);
  if (p.stock) out->set_stock(*p.stock);
  for (const catalog::Attribute& a : p.attributes) {
    v1::Attribute* attr = out->add_attributes();
    attr->set_name(a.name);
    attr->set_value(a.value);
  }
  out->set_created_unix_s(p.created_unix_s);
}

catalog::Product FromProto(const v1::Product& in) {
  catalog::Product p;
  p.id = in.id();
  p.title = in.title();
  p.description = in.description();
  p.brand = in.brand();
  p.category_path.assign(in.category_path().begin(), in.category_path().end());
  if (in.has_price()) p.price = in.price();
  if (in.has_stock()) p.stock = in.stock();
  for (const v1::Attribute& a : in.attributes()) p.attributes.push_back({a.name(), a.value()});
  p.created_unix_s = in.created_unix_s();
  return p;
}

engine::SearchQuery FromProto(const v1::SearchRequest& r) {
  engine::SearchQuery q;
  q.query = r.query();
  q.page_size = r.page_size();
  q.user_id = r.user_id();
  q.category = r.filters().category();
  q.brands.assign(r.filters().brands().begin(), r.filters().brands().end());
  if (r.filters().price().has_min()) q.min_price = r.filters().price().min();
  if (r.filters().price().has_max()) q.max_price = r.filters().price().max();
  q.in_stock_only = r.filters().in_stock_only();
  q.page_token = r.page_token();
  q.facets = r.include_facets();
  q.debug = r.debug();
  return q;
}

namespace {
void ToProto(const std::vector<lexical::FacetValue>& values,
             google::protobuf::RepeatedPtrField<v1::FacetValue>* out) {
  for (const lexical::FacetValue& v : values) {
    v1::FacetValue* fv = out->Add();
    fv->set_value(v.value);
    fv->set_count(v.count);
  }
}

void ToProto(const engine::ResultExplanation& e, v1::Explanation* out) {
  out->set_bm25(e.bm25);
  out->set_bm25_rank(e.bm25_rank);
  if (e.cosine) out->set_cosine(*e.cosine);
  out->set_dense_rank(e.dense_rank);
  out->set_retrieval_score(e.retrieval_score);
  if (e.ranker_score) out->set_ranker_score(*e.ranker_score);
  for (const rank::Contribution& c : e.contributions) {
    v1::FeatureContribution* fc = out->add_contributions();
    fc->set_feature(std::string(c.feature));
    if (!std::isnan(c.value)) fc->set_value(c.value);
    fc->set_contribution(c.contribution);
  }
  for (const std::string& rule : e.rules) out->add_rules(rule);
  if (e.review_sentiment) out->set_review_sentiment(*e.review_sentiment);
}
}  // namespace

void ToProto(const engine::SearchPage& page, bool include_products, v1::SearchResponse* out) {
  for (const engine::ResultItem& item : page.items) {
    v1::SearchResult* r = out->add_results();
    r->set_product_id(item.product->id);
    r->set_score(item.score);
    if (include_products) ToProto(*item.product, r->mutable_product());
    if (item.explanation) ToProto(*item.explanation, r->mutable_explanation());
  }
  out->set_request_id(page.request_id);
  out->set_variant(page.variant);
  out->set_next_page_token(page.next_page_token);
  if (page.total_matches) {
    out->set_total_matches(*page.total_matches);
    ToProto(page.facets.brands, out->mutable_facets()->mutable_brands());
    ToProto(page.facets.categories, out->mutable_facets()->mutable_categories());
  }
}

engine::RecommendRequest FromProto(const v1::RecommendRequest& in) {
  engine::RecommendRequest r;
  r.user_id = in.user_id();
  r.recent_product_ids.assign(in.recent_product_ids().begin(), in.recent_product_ids().end());
  switch (in.context()) {
    case v1::PAGE_CONTEXT_HOME:
      r.context = engine::PageContext::kHome;
      break;
    case v1::PAGE_CONTEXT_PRODUCT:
      r.context = engine::PageContext::kProduct;
      break;
    case v1::PAGE_CONTEXT_CART:
      r.context = engine::PageContext::kCart;
      break;
    default:
      r.context = engine::PageContext::kUnspecified;
  }
  r.context_product_id = in.context_product_id();
  r.page_size = in.page_size();
  r.category = in.filters().category();
  r.brands.assign(in.filters().brands().begin(), in.filters().brands().end());
  if (in.filters().price().has_min()) r.min_price = in.filters().price().min();
  if (in.filters().price().has_max()) r.max_price = in.filters().price().max();
  return r;
}

void ToProto(const engine::RecommendPage& page, bool include_products,
             google::protobuf::RepeatedPtrField<v1::Recommendation>* out) {
  for (const engine::Recommended& item : page.items) {
    v1::Recommendation* r = out->Add();
    r->set_product_id(item.product->id);
    r->set_score(item.score);
    r->set_source(item.source);
    if (include_products) ToProto(*item.product, r->mutable_product());
  }
}

rank::RulesConfig FromProto(const v1::Rules& in) {
  rank::RulesConfig out;
  for (const v1::PinRule& p : in.pins()) {
    out.pins.push_back({p.id(), p.query(), p.product_id(), p.position()});
  }
  for (const v1::BoostRule& b : in.boosts()) {
    out.boosts.push_back({b.id(), b.query(), {b.when().field(), b.when().value()}, b.weight()});
  }
  for (const v1::ExcludeRule& e : in.excludes()) {
    out.excludes.push_back({e.id(), e.query(), {e.when().field(), e.when().value()}});
  }
  out.diversity.max_per_brand = in.diversity().max_per_brand();
  if (in.diversity().window() > 0) out.diversity.window = in.diversity().window();
  return out;
}

void ToProto(const rank::RulesConfig& in, v1::Rules* out) {
  for (const rank::PinRule& p : in.pins) {
    v1::PinRule* pin = out->add_pins();
    pin->set_id(p.id);
    pin->set_query(p.query);
    pin->set_product_id(p.product_id);
    pin->set_position(static_cast<uint32_t>(p.position));
  }
  for (const rank::BoostRule& b : in.boosts) {
    v1::BoostRule* boost = out->add_boosts();
    boost->set_id(b.id);
    boost->set_query(b.query);
    boost->mutable_when()->set_field(b.when.field);
    boost->mutable_when()->set_value(b.when.value);
    boost->set_weight(b.weight);
  }
  for (const rank::ExcludeRule& e : in.excludes) {
    v1::ExcludeRule* exclude = out->add_excludes();
    exclude->set_id(e.id);
    exclude->set_query(e.query);
    exclude->mutable_when()->set_field(e.when.field);
    exclude->mutable_when()->set_value(e.when.value);
  }
  out->mutable_diversity()->set_max_per_brand(static_cast<uint32_t>(in.diversity.max_per_brand));
  out->mutable_diversity()->set_window(static_cast<uint32_t>(in.diversity.window));
}

absl::StatusOr<events::Event> FromProto(const v1::Event& in) {
  events::Event e{.event_id = in.event_id(),
                  .timestamp_ms = in.timestamp_ms(),
                  .user_id = in.user_id(),
                  .session_id = in.session_id()};
  switch (in.kind_case()) {
    case v1::Event::kSearch:
      e.type = events::EventType::kSearch;
      e.request_id = in.search().request_id();
      e.query = in.search().query();
      break;
    case v1::Event::kImpression:
      e.type = events::EventType::kImpression;
      e.request_id = in.impression().request_id();
      e.product_ids.assign(in.impression().product_ids().begin(),
                           in.impression().product_ids().end());
      break;
    case v1::Event::kClick:
      e.type = events::EventType::kClick;
      e.request_id = in.click().request_id();
      e.product_id = in.click().product_id();
      e.position = in.click().position();
      break;
    case v1::Event::kAddToCart:
      e.type = events::EventType::kAddToCart;
      e.request_id = in.add_to_cart().request_id();
      e.product_id = in.add_to_cart().product_id();
      e.position = in.add_to_cart().position();
      e.quantity = in.add_to_cart().quantity();
      break;
    case v1::Event::kPurchase:
      e.type = events::EventType::kPurchase;
      e.request_id = in.purchase().request_id();
      e.product_id = in.purchase().product_id();
      e.position = in.purchase().position();
      e.quantity = in.purchase().quantity();
      e.unit_price = in.purchase().unit_price();
      break;
    case v1::Event::kReview:
      e.type = events::EventType::kReview;
      e.product_id = in.review().product_id();
      e.rating = in.review().rating();
      e.text = in.review().text();
      break;
    case v1::Event::KIND_NOT_SET:
      return absl::InvalidArgumentError(
          "kind: no event type set (search, impression, click, add_to_cart, purchase, review)");
  }
  return e;
}

void ToProto(const events::Event& e, v1::Event* out) {
  out->set_event_id(e.event_id);
  out->set_timestamp_ms(e.timestamp_ms);
  out->set_user_id(e.user_id);
  out->set_session_id(e.session_id);
  switch (e.type) {
    case events::EventType::kSearch:
      out->mutable_search()->set_request_id(e.request_id);
      out->mutable_search()->set_query(e.query);
      break;
    case events::EventType::kImpression:
      out->mutable_impression()->set_request_id(e.request_id);
      for (const std::string& id : e.product_ids) out->mutable_impression()->add_product_ids(id);
      break;
    case events::EventType::kClick:
      out->mutable_click()->set_request_id(e.request_id);
      out->mutable_click()->set_product_id(e.product_id);
      out->mutable_click()->set_position(e.position);
      break;
    case events::EventType::kAddToCart: {
      v1::AddToCart* cart = out->mutable_add_to_cart();
      cart->set_request_id(e.request_id);
      cart->set_product_id(e.product_id);
      cart->set_position(e.position);
      cart->set_quantity(e.quantity);
      break;
    }
    case events::EventType::kPurchase: {
      v1::Purchase* purchase = out->mutable_purchase();
      purchase->set_request_id(e.request_id);
      purchase->set_product_id(e.product_id);
      purchase->set_position(e.position);
      purchase->set_quantity(e.quantity);
      purchase->set_unit_price(e.unit_price);
      break;
    }
    case events::EventType::kReview:
      out->mutable_review()->set_product_id(e.product_id);
      out->mutable_review()->set_rating(e.rating);
      out->mutable_review()->set_text(e.text);
      break;
  }
}

void ToProto(const engine::LogEventsResult& result, v1::LogEventsResponse* out) {
  out->set_accepted(static_cast<int32_t>(result.accepted));
  out->set_duplicates(static_cast<int32_t>(result.duplicates));
  for (const engine::EventError& error : result.errors) {
    v1::EventError* e = out->add_errors();
    e->set_index(static_cast<int32_t>(error.index));
    e->set_message(error.message);
  }
}

namespace {

void ToProto(const Interval& interval, v1::RateInterval* out) {
  out->set_estimate(interval.estimate);
  out->set_low(interval.low);
  out->set_high(interval.high);
}

}  // namespace

void ToProto(const events::VariantReport& r, v1::VariantStats* out) {
  const events::OutcomeCounts& c = r.counts;
  out->set_variant(r.variant);
  out->set_searches(c.searches);
  out->set_impressions(c.impressions);
  out->set_clicks(c.clicks);
  out->set_add_to_carts(c.add_to_carts);
  out->set_purchases(c.purchases);
  out->set_units(c.units);
  out->set_revenue(c.revenue);
  out->set_sessions(c.sessions);
  out->set_carted_sessions(c.carted_sessions);
  out->set_converted_sessions(c.converted_sessions);
  out->set_active_users(c.active_users);
  out->set_returning_users(c.returning_users);
  out->set_purchasing_users(c.purchasing_users);
  out->set_repeat_purchasers(c.repeat_purchasers);
  ToProto(r.click_through, out->mutable_click_through());
  ToProto(r.add_to_cart, out->mutable_add_to_cart());
  ToProto(r.conversion, out->mutable_conversion());
  ToProto(r.repeat_purchase, out->mutable_repeat_purchase());
  ToProto(r.returning_users, out->mutable_returning());
  out->set_revenue_per_search(r.revenue_per_search);
  out->set_purchases_per_impression(r.purchases_per_impression);
}

}  // namespace souk::api
