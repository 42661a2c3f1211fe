// The gRPC path end to end: a real server on 127.0.0.1:0, called through the generated stubs.

#include <grpcpp/completion_queue.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>

#include "rpc_fixture.h"
#include "souk/v1/admin.grpc.pb.h"
#include "souk/v1/catalog.grpc.pb.h"
#include "souk/v1/feedback.grpc.pb.h"
#include "souk/v1/recommend.grpc.pb.h"
#include "souk/v1/search.grpc.pb.h"

namespace souk {
namespace {

using ::souk::testing::TempDir;
using ::testing::HasSubstr;

using SearchRpcTest = ::souk::testing::RpcServerTest;

TEST_F(SearchRpcTest, SearchReturnsRankedProducts) {
  v1::SearchRequest request = Request("cordless drill");
  request.set_include_products(true);
  v1::SearchResponse response;
  grpc::Status status = Search(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GE(response.results_size(), 2);
  std::set<std::string> top2 = {response.results(0).product_id(), response.results(1).product_id()};
  EXPECT_EQ(top2, (std::set<std::string>{"p1", "p5"}));
  EXPECT_GT(response.results(0).score(), 0);
  EXPECT_GE(response.results(0).score(), response.results(1).score());
  EXPECT_FALSE(response.request_id().empty());
  EXPECT_THAT(response.results(0).product().title(), HasSubstr("Cordless Drill"));
}

TEST_F(SearchRpcTest, FiltersAndFacetsTravel) {
  v1::SearchRequest request = Request("drill");
  request.mutable_filters()->add_brands("Makita");
  request.mutable_filters()->mutable_price()->set_max(50);
  request.set_include_facets(true);
  v1::SearchResponse response;
  ASSERT_TRUE(Search(request, &response).ok());
  ASSERT_EQ(response.results_size(), 1);
  EXPECT_EQ(response.results(0).product_id(), "p6");
  EXPECT_EQ(response.total_matches(), 1u);
}

TEST_F(SearchRpcTest, DebugExplanationsTravel) {
  v1::SearchRequest request = Request("cordless drill");
  v1::SearchResponse plain;
  ASSERT_TRUE(Search(request, &plain).ok());
  EXPECT_FALSE(plain.results(0).has_explanation());
  request.set_debug(true);
  v1::SearchResponse response;
  ASSERT_TRUE(Search(request, &response).ok());
  ASSERT_EQ(response.results_size(), plain.results_size());
  for (const v1::SearchResult& r : response.results()) {
    ASSERT_TRUE(r.has_explanation());
    EXPECT_FLOAT_EQ(r.explanation().bm25(), r.score());  // BM25F alone: no encoder, no ranker
    EXPECT_GE(r.explanation().bm25_rank(), 1u);
    EXPECT_FALSE(r.explanation().has_cosine());
    EXPECT_FALSE(r.explanation().has_ranker_score());
  }
}

TEST_F(SearchRpcTest, BadInputIsInvalidArgumentNamingTheField) {
  struct Case {
    v1::SearchRequest request;
    std::string field;
  };
  v1::SearchRequest unknown_brand = Request("drill");
  unknown_brand.mutable_filters()->add_brands("Acme");
  v1::SearchRequest unknown_category = Request("drill");
  unknown_category.mutable_filters()->set_category("Nowhere");
  const std::vector<Case> cases = {
      {Request(""), "query"},
      {Request("drill", 0), "page_size"},
      {Request("drill", 1001), "page_size"},
      {Request(std::string(1 << 20, 'x')), "query"},
      {Request("dri\xc3\x28ll"), "query: not valid UTF-8"},
      {unknown_brand, "brand"},
      {unknown_category, "category"},
  };
  for (const Case& c : cases) {
    v1::SearchResponse response;
    grpc::Status status = Search(c.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
  }
}

TEST_F(SearchRpcTest, HealthIsServing) {
  std::string response;
  const grpc::Status status = CheckHealth(&response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response, std::string("\x08\x01", 2));  // status (field 1) = SERVING (1)
}

TEST_F(SearchRpcTest, ReflectionListsTheServices) {
  // grpc.reflection.v1alpha: a ServerReflectionRequest with list_services (field 7) = "".
  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  auto step = [&cq](intptr_t expected) {
    void* tag = nullptr;
    bool ok = false;
    return cq.Next(&tag, &ok) && ok && reinterpret_cast<intptr_t>(tag) == expected;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(step(1));
  grpc::Slice list_services(std::string("\x3a\x00", 2));
  grpc::ByteBuffer request(&list_services, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(step(2));
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  ASSERT_TRUE(step(3));
  call->WritesDone(reinterpret_cast<void*>(4));
  ASSERT_TRUE(step(4));
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  ASSERT_TRUE(step(5));
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& sl : slices) bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
  for (const char* service :
       {"souk.v1.SearchService", "souk.v1.RecommendService", "souk.v1.FeedbackService",
        "souk.v1.CatalogService", "souk.v1.AdminService", "grpc.health.v1.Health"}) {
    EXPECT_NE(bytes.find(service), std::string::npos) << service;
  }
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) {
  }
}

TEST_F(SearchRpcTest, CatalogAndAdminAnswer) {
  auto catalog = v1::CatalogService::NewStub(channel_);
  grpc::ClientContext c1;
  v1::GetProductRequest get;
  get.set_product_id("p3");
  v1::GetProductResponse product;
  ASSERT_TRUE(catalog->GetProduct(&c1, get, &product).ok());
  EXPECT_EQ(product.product().brand(), "小米");
  grpc::ClientContext c2;
  get.set_product_id("nope");
  EXPECT_EQ(catalog->GetProduct(&c2, get, &product).error_code(), grpc::StatusCode::NOT_FOUND);

  auto admin = v1::AdminService::NewStub(channel_);
  grpc::ClientContext c3;
  v1::StatsResponse stats;
  ASSERT_TRUE(admin->Stats(&c3, v1::StatsRequest(), &stats).ok());
  EXPECT_EQ(stats.lexical().products(), 6u);
  EXPECT_FALSE(stats.snapshot_version().empty());
}

TEST_F(SearchRpcTest, SetRulesPinsAndBuriesAndGetRulesReadsThemBack) {
  auto admin = v1::AdminService::NewStub(channel_);
  v1::SetRulesRequest set;
  v1::PinRule* pin = set.mutable_rules()->add_pins();
  pin->set_id("hose-promo");
  pin->set_query("Cordless Drill");
  pin->set_product_id("p4");
  pin->set_position(1);
  v1::BoostRule* bury = set.mutable_rules()->add_boosts();
  bury->set_id("makita-down");
  bury->mutable_when()->set_field("brand");
  bury->mutable_when()->set_value("Makita");
  bury->set_weight(-5);
  grpc::ClientContext c1;
  v1::SetRulesResponse done;
  ASSERT_TRUE(admin->SetRules(&c1, set, &done).ok());

  v1::SearchRequest request = Request("cordless drill");
  request.set_debug(true);
  v1::SearchResponse response;
  ASSERT_TRUE(Search(request, &response).ok());
  ASSERT_GE(response.results_size(), 3);
  EXPECT_EQ(response.results(0).product_id(), "p4");
  EXPECT_EQ(response.results(0).explanation().rules(0), "hose-promo");
  EXPECT_EQ(response.results(1).product_id(), "p5");  // the Makita drill is buried
  EXPECT_EQ(response.results(response.results_size() - 1).explanation().rules(0), "makita-down");

  grpc::ClientContext c2;
  v1::GetRulesResponse got;
  ASSERT_TRUE(admin->GetRules(&c2, v1::GetRulesRequest(), &got).ok());
  ASSERT_EQ(got.rules().pins_size(), 1);
  EXPECT_EQ(got.rules().pins(0).query(), "cordless drill");  // as it is matched
  EXPECT_EQ(got.rules().boosts(0).weight(), -5);

  grpc::ClientContext c3;
  set.mutable_rules()->mutable_pins(0)->set_position(0);
  grpc::Status bad = admin->SetRules(&c3, set, &done);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("hose-promo"));
  ASSERT_TRUE(Search(request, &response).ok());
  EXPECT_EQ(response.results(0).product_id(), "p4");  // the old rules stay
}

TEST_F(SearchRpcTest, ReloadSwapsInANewIndex) {
  auto products = engine::testing::SmallCatalog();
  products.resize(2);
  engine::SnapshotOptions second = engine::testing::OptionsFor(tmp_.File("index2"));
  ASSERT_OK(engine::WriteIndexDirectory(products, second));
  auto admin = v1::AdminService::NewStub(channel_);
  grpc::ClientContext context;
  v1::ReloadRequest request;
  request.set_index_dir(second.index_dir);
  v1::ReloadResponse response;
  ASSERT_TRUE(admin->Reload(&context, request, &response).ok());
  v1::SearchResponse search;
  ASSERT_TRUE(Search(Request("drill"), &search).ok());
  EXPECT_EQ(search.results_size(), 2);

  grpc::ClientContext bad;
  request.set_index_dir(tmp_.File("missing"));
  EXPECT_EQ(admin->Reload(&bad, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Search(Request("drill"), &search).ok());  // still serving
}

// The shop has no interactions here: the page fills from the catalog; engine_test covers the
// generators.
TEST_F(SearchRpcTest, RecommendAndSimilarItemsAnswerOverGrpc) {
  auto recommend = v1::RecommendService::NewStub(channel_);
  v1::RecommendRequest request;
  request.set_user_id("new-visitor");
  request.set_page_size(3);
  request.set_include_products(true);
  v1::RecommendResponse response;
  grpc::ClientContext c1;
  ASSERT_TRUE(recommend->Recommend(&c1, request, &response).ok());
  ASSERT_EQ(response.items_size(), 3);
  EXPECT_EQ(response.items(0).product().id(), response.items(0).product_id());
  EXPECT_EQ(response.items(0).source(), "catalog");
  EXPECT_FALSE(response.request_id().empty());

  request.mutable_filters()->add_brands("Makita");
  grpc::ClientContext c6;
  ASSERT_TRUE(recommend->Recommend(&c6, request, &response).ok());
  ASSERT_GT(response.items_size(), 0);
  for (const v1::Recommendation& r : response.items()) EXPECT_EQ(r.product().brand(), "Makita");

  request.set_page_size(0);
  grpc::ClientContext c2;
  grpc::Status bad = recommend->Recommend(&c2, request, &response);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("page_size"));

  v1::SimilarItemsRequest similar;
  similar.set_product_id("p1");
  similar.set_page_size(2);
  v1::SimilarItemsResponse similar_response;
  grpc::ClientContext c3;
  ASSERT_TRUE(recommend->SimilarItems(&c3, similar, &similar_response).ok());
  ASSERT_EQ(similar_response.items_size(), 2);
  EXPECT_NE(similar_response.items(0).product_id(), "p1");
  similar.set_product_id("nope");
  grpc::ClientContext c4;
  EXPECT_EQ(recommend->SimilarItems(&c4, similar, &similar_response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  similar.clear_product_id();
  grpc::ClientContext c5;
  EXPECT_EQ(recommend->SimilarItems(&c5, similar, &similar_response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace souk
