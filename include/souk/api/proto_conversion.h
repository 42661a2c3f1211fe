// Conversions between the wire messages (souk.v1) and the domain types. Pure functions.
#pragma once

#include "absl/status/statusor.h"
#include "souk/catalog/product.h"
#include "souk/engine/feedback_engine.h"
#include "souk/engine/recommend_engine.h"
#include "souk/engine/search_engine.h"
#include "souk/events/business_metrics.h"
#include "souk/rank/rules.h"
#include "souk/v1/admin.pb.h"
#include "souk/v1/catalog.pb.h"
#include "souk/v1/feedback.pb.h"
#include "souk/v1/recommend.pb.h"
#include "souk/v1/search.pb.h"

namespace souk::api {

void ToProto(const catalog::Product& product, v1::Product* out);
catalog::Product FromProto(const v1::Product& product);

engine::SearchQuery FromProto(const v1::SearchRequest& request);
void ToProto(const engine::SearchPage& page, bool include_products, v1::SearchResponse* out);
engine::RecommendRequest FromProto(const v1::RecommendRequest& request);
/// Recommend and SimilarItems answer alike.
void ToProto(const engine::RecommendPage& page, bool include_products,
             google::protobuf::RepeatedPtrField<v1::Recommendation>* out);

/// Rules travel as they are; RuleSet::Create judges them.
rank::RulesConfig FromProto(const v1::Rules& rules);
void ToProto(const rank::RulesConfig& rules, v1::Rules* out);

/// INVALID_ARGUMENT "kind: ..." for an event without a type; every other check is
/// events::ValidateEvent's.
absl::StatusOr<events::Event> FromProto(const v1::Event& event);
/// FromProto's inverse (clients that log events: souk simulate).
void ToProto(const events::Event& event, v1::Event* out);
void ToProto(const engine::LogEventsResult& result, v1::LogEventsResponse* out);
void ToProto(const events::VariantReport& report, v1::VariantStats* out);

}  // namespace souk::api
