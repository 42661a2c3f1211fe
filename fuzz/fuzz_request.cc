// Requests as they come off the wire: bytes parsed under a size limit into a request message
// (a string that is not UTF-8 named by its field), converted to the domain's request, and
// judged by the validators behind the RPCs: events, products, merchandising rules, and a
// search's words and filters against a lexical index. Every refusal is INVALID_ARGUMENT.
// The first byte picks the message: SearchRequest, RecommendRequest, LogEventsRequest,
// SetRulesRequest or UpsertProductsRequest.
//
// SearchEngine::Search itself is not linked: the engine links libtorch, whose headers clang
// cannot compile in C++20 mode; its own checks (page size, page token, query length) are unit
// tests' and the search RPC tests'.
#include <grpc/grpc.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_shop.h"
#include "fuzz_support.h"
#include "google/protobuf/stubs/logging.h"
#include "grpcpp/support/byte_buffer.h"
#include "souk/api/proto_conversion.h"
#include "souk/api/raw_request.h"
#include "souk/catalog/catalog.h"
#include "souk/catalog/product_reader.h"
#include "souk/events/event_validation.h"
#include "souk/lexical/inverted_index.h"
#include "souk/rank/rules.h"
#include "souk/text/analyzer.h"

namespace {

using souk::fuzz::Fail;

enum Kind : uint8_t { kSearch, kRecommend, kLogEvents, kSetRules, kUpsertProducts, kKinds };
constexpr size_t kMaxRequestBytes = 2048;  // small, so that the limit is reached too
constexpr int64_t kNowMs = 1767225600000;  // 2026-01-01: a fixed clock, a reproducible run

using souk::fuzz::TheShop;

void CheckRefusal(const absl::Status& status, const char* what) {
  if (!status.ok() && status.code() != absl::StatusCode::kInvalidArgument) {
    Fail(std::string(what) + " refused with other than INVALID_ARGUMENT: " + status.ToString());
  }
}

// The filters and words of a search, as the engine compiles them, against the shop's index.
void JudgeSearch(const souk::v1::SearchRequest& request) {
  const souk::engine::SearchQuery q = souk::api::FromProto(request);
  const souk::fuzz::Shop& shop = TheShop();
  auto path = souk::catalog::ParseCategoryPath(q.category);
  CheckRefusal(path.status(), "a category");
  if (!path.ok()) return;
  souk::lexical::Filter filter{.category_path = *std::move(path),
                               .brands = q.brands,
                               .min_price = q.min_price,
                               .max_price = q.max_price,
                               .in_stock_only = q.in_stock_only};
  auto compiled = shop.index->CompileFilter(filter);
  CheckRefusal(compiled.status(), "a filter");
  if (!compiled.ok()) return;
  const size_t k = static_cast<size_t>(std::clamp<int64_t>(q.page_size, 1, 1000));
  const auto result =
      shop.index->Search(shop.analyzer->Analyze(q.query), &*compiled, {.k = k, .facets = q.facets});
  if (result.hits.size() > k) Fail("more hits than asked for");
  for (const auto& hit : result.hits) {
    if (!compiled->Contains(hit.doc)) Fail("a hit the filter excludes");
  }
}

void JudgeEvents(const souk::v1::LogEventsRequest& request) {
  const souk::events::EventLimits limits;
  const auto known = [](std::string_view id) { return TheShop().catalog->Find(id).has_value(); };
  for (const souk::v1::Event& wire : request.events()) {
    auto event = souk::api::FromProto(wire);
    CheckRefusal(event.status(), "an event");
    if (event.ok())
      CheckRefusal(souk::events::ValidateEvent(*event, limits, kNowMs, known), "an event");
  }
}

void JudgeRecommend(const souk::v1::RecommendRequest& request) {
  (void)souk::api::FromProto(request);  // no torch-free validator behind it
}

void JudgeRules(const souk::v1::SetRulesRequest& request) {
  auto rules = souk::rank::RuleSet::Create(souk::api::FromProto(request.rules()));
  CheckRefusal(rules.status(), "rules");
  if (!rules.ok()) return;
  // What GetRules answers must be accepted again as it is.
  souk::v1::Rules back;
  souk::api::ToProto((*rules)->config(), &back);
  if (!souk::rank::RuleSet::Create(souk::api::FromProto(back)).ok()) {
    Fail("rules read back are refused");
  }
}

void JudgeProducts(const souk::v1::UpsertProductsRequest& request) {
  for (const souk::v1::Product& wire : request.products()) {
    const souk::catalog::Product product = souk::api::FromProto(wire);
    const absl::Status valid = souk::catalog::ValidateProduct(product);
    CheckRefusal(valid, "a product");
    if (valid.ok() && !souk::catalog::Catalog::Create({product}).ok()) {
      Fail("a valid product the catalog refuses");
    }
  }
}

template <typename Message>
bool Parse(const uint8_t* data, size_t size, Message* message) {
  grpc::Slice slice(data, size);
  const grpc::ByteBuffer buffer(&slice, 1);
  const absl::Status parsed = souk::api::ParseRequest(buffer, kMaxRequestBytes, message);
  CheckRefusal(parsed, "a request");
  return parsed.ok();
}

// Parses `data` as a Message and, when it parses, judges it.
template <typename Message>
void ParseAndJudge(const uint8_t* data, size_t size, void (*judge)(const Message&)) {
  Message request;
  if (Parse(data, size, &request)) judge(request);
}

std::string Seed(Kind kind, const google::protobuf::Message& message) {
  return std::string(1, static_cast<char>(kind)) + message.SerializeAsString();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  souk::fuzz::QuietLogs();
  google::protobuf::SetLogHandler(nullptr);  // its complaint about each non-UTF-8 string
  grpc_init();
  TheShop();
  souk::v1::SearchRequest search;
  search.set_query("cordless drill");
  search.set_page_size(5);
  search.set_include_facets(true);
  search.mutable_filters()->set_category("Tools > Power");
  search.mutable_filters()->add_brands("DeWalt");
  search.mutable_filters()->mutable_price()->set_min(5);
  souk::v1::RecommendRequest recommend;
  recommend.set_user_id("u1");
  recommend.add_recent_product_ids("p1");
  souk::v1::LogEventsRequest events;
  auto* click = events.add_events();
  click->set_event_id("e1");
  click->set_timestamp_ms(kNowMs - 1000);
  click->set_user_id("u1");
  click->mutable_click()->set_product_id("p1");
  souk::v1::SetRulesRequest rules;
  auto* pin = rules.mutable_rules()->add_pins();
  pin->set_id("pin1");
  pin->set_query("drill");
  pin->set_product_id("p3");
  pin->set_position(1);
  souk::v1::UpsertProductsRequest products;
  auto* product = products.add_products();
  product->set_id("p9");
  product->set_title("Cordless screwdriver");
  product->add_category_path("Tools");
  souk::fuzz::WriteSeeds(
      *argc, *argv,
      {Seed(kSearch, search), Seed(kRecommend, recommend), Seed(kLogEvents, events),
       Seed(kSetRules, rules), Seed(kUpsertProducts, products)});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t* body = data + 1;
  const size_t body_size = size - 1;
  switch (data[0] % kKinds) {
    case kSearch:
      ParseAndJudge<souk::v1::SearchRequest>(body, body_size, JudgeSearch);
      break;
    case kRecommend:
      ParseAndJudge<souk::v1::RecommendRequest>(body, body_size, JudgeRecommend);
      break;
    case kLogEvents:
      ParseAndJudge<souk::v1::LogEventsRequest>(body, body_size, JudgeEvents);
      break;
    case kSetRules:
      ParseAndJudge<souk::v1::SetRulesRequest>(body, body_size, JudgeRules);
      break;
    default:
      ParseAndJudge<souk::v1::UpsertProductsRequest>(body, body_size, JudgeProducts);
      break;
  }
  return 0;
}
