// FeedbackService.LogEvents end to end: stored once, refused per event with the field named,
// oversized batches refused whole, and a click reflected in the next Recommend.

#include <grpcpp/client_context.h>

#include "rpc_fixture.h"
#include "souk/api/proto_conversion.h"
#include "souk/base/clock.h"
#include "souk/base/str_cat.h"
#include "souk/v1/admin.grpc.pb.h"
#include "souk/v1/feedback.grpc.pb.h"
#include "souk/v1/recommend.grpc.pb.h"

namespace souk {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class FeedbackRpcTest : public ::souk::testing::RpcServerTest {
 protected:
  grpc::Status LogEvents(const v1::LogEventsRequest& request, v1::LogEventsResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return v1::FeedbackService::NewStub(channel_)->LogEvents(&context, request, response);
  }

  static v1::Event* Add(v1::LogEventsRequest* request, const std::string& id,
                        const std::string& user = "u1") {
    v1::Event* e = request->add_events();
    e->set_event_id(id);
    e->set_timestamp_ms(NowUnixMillis() - 1000);
    e->set_user_id(user);
    e->set_session_id("s1");
    return e;
  }

  std::vector<std::string> Recommended(const std::string& user) {
    v1::RecommendRequest request;
    request.set_user_id(user);
    request.set_page_size(3);
    v1::RecommendResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(
        v1::RecommendService::NewStub(channel_)->Recommend(&context, request, &response).ok());
    std::vector<std::string> ids;
    for (const v1::Recommendation& r : response.items()) ids.push_back(r.product_id());
    return ids;
  }
};

TEST(EventProtoTest, ToProtoAndFromProtoRoundTripEveryType) {
  for (events::EventType type :
       {events::EventType::kSearch, events::EventType::kImpression, events::EventType::kClick,
        events::EventType::kAddToCart, events::EventType::kPurchase, events::EventType::kReview}) {
    events::Event e{.event_id = "e1",
                    .timestamp_ms = 1800000000000,
                    .user_id = "u1",
                    .session_id = "s1",
                    .type = type};
    if (type != events::EventType::kReview) e.request_id = "r1";
    if (type == events::EventType::kSearch) e.query = "drill";
    if (type == events::EventType::kImpression) e.product_ids = {"p1", "p2"};
    if (type >= events::EventType::kClick) e.product_id = "p1";
    if (type >= events::EventType::kClick && type <= events::EventType::kPurchase) e.position = 2;
    if (type == events::EventType::kAddToCart || type == events::EventType::kPurchase)
      e.quantity = 3;
    if (type == events::EventType::kPurchase) e.unit_price = 9.5;
    if (type == events::EventType::kReview) {
      e.rating = 4;
      e.text = "good";
    }
    v1::Event proto;
    api::ToProto(e, &proto);
    absl::StatusOr<events::Event> back = api::FromProto(proto);
    ASSERT_OK(back);
    EXPECT_EQ(*back, e) << events::EventTypeName(type);
  }
}

TEST_F(FeedbackRpcTest, StoresEveryKindOfEventOnce) {
  v1::LogEventsRequest request;
  v1::Event* search = Add(&request, "e1");
  search->mutable_search()->set_request_id("r1");
  search->mutable_search()->set_query("cordless drill");
  v1::Event* shown = Add(&request, "e2");
  shown->mutable_impression()->set_request_id("r1");
  shown->mutable_impression()->add_product_ids("p1");
  shown->mutable_impression()->add_product_ids("p5");
  v1::Event* click = Add(&request, "e3");
  click->mutable_click()->set_request_id("r1");
  click->mutable_click()->set_product_id("p5");
  click->mutable_click()->set_position(2);
  v1::Event* cart = Add(&request, "e4");
  cart->mutable_add_to_cart()->set_product_id("p5");
  cart->mutable_add_to_cart()->set_quantity(1);
  v1::Event* purchase = Add(&request, "e5");
  purchase->mutable_purchase()->set_product_id("p5");
  purchase->mutable_purchase()->set_quantity(2);
  purchase->mutable_purchase()->set_unit_price(149.0);
  purchase->mutable_purchase()->set_request_id("r1");
  purchase->mutable_purchase()->set_position(2);
  v1::Event* review = Add(&request, "e6");
  review->mutable_review()->set_product_id("p5");
  review->mutable_review()->set_rating(5);
  review->mutable_review()->set_text("好用 works well");

  v1::LogEventsResponse response;
  ASSERT_TRUE(LogEvents(request, &response).ok());
  EXPECT_EQ(response.accepted(), 6);
  EXPECT_EQ(response.duplicates(), 0);
  EXPECT_EQ(response.errors_size(), 0);
  EXPECT_EQ(feedback_->logged(), 6u);
  // Counts decay (half-life two weeks): a second later they are a hair under their values.
  const int64_t now = NowUnixMillis();
  EXPECT_NEAR(feedback_->aggregates().Counts("p5", now).purchases, 2.0, 1e-3);
  EXPECT_NEAR(feedback_->aggregates().Counts("p1", now).impressions, 1.0, 1e-3);

  // A retry of the same batch (the client lost the answer) stores nothing new.
  ASSERT_TRUE(LogEvents(request, &response).ok());
  EXPECT_EQ(response.accepted(), 0);
  EXPECT_EQ(response.duplicates(), 6);
  EXPECT_EQ(feedback_->logged(), 6u);
  EXPECT_NEAR(feedback_->aggregates().Counts("p5", now).purchases, 2.0, 1e-3);
}

TEST_F(FeedbackRpcTest, BadEventsAreRefusedOneByOneAndTheRestStored) {
  v1::LogEventsRequest request;
  v1::Event* good = Add(&request, "ok");
  good->mutable_click()->set_request_id("r1");
  good->mutable_click()->set_product_id("p1");
  good->mutable_click()->set_position(1);
  v1::Event* unknown = Add(&request, "b1");
  unknown->mutable_click()->set_request_id("r1");
  unknown->mutable_click()->set_product_id("p404");
  unknown->mutable_click()->set_position(1);
  v1::Event* future = Add(&request, "b2");
  *future->mutable_click() = good->click();
  future->set_timestamp_ms(NowUnixMillis() + 3600 * 1000);
  v1::Event* negative = Add(&request, "b3");
  negative->mutable_purchase()->set_product_id("p1");
  negative->mutable_purchase()->set_quantity(1);
  negative->mutable_purchase()->set_unit_price(-5);
  Add(&request, "b4");  // no kind
  v1::Event* anonymous = Add(&request, "b5", "");
  *anonymous->mutable_click() = good->click();

  v1::LogEventsResponse response;
  ASSERT_TRUE(LogEvents(request, &response).ok());
  EXPECT_EQ(response.accepted(), 1);
  ASSERT_EQ(response.errors_size(), 5);
  const auto error = [&](int i) {
    return std::make_pair(response.errors(i).index(), response.errors(i).message());
  };
  EXPECT_EQ(error(0).first, 1);
  EXPECT_THAT(error(0).second, HasSubstr("product_id: unknown product 'p404'"));
  EXPECT_EQ(error(1).first, 2);
  EXPECT_THAT(error(1).second, HasSubstr("timestamp_ms"));
  EXPECT_EQ(error(2).first, 3);
  EXPECT_THAT(error(2).second, HasSubstr("unit_price: -5"));
  EXPECT_EQ(error(3).first, 4);
  EXPECT_THAT(error(3).second, HasSubstr("kind: no event type"));
  EXPECT_EQ(error(4).first, 5);
  EXPECT_THAT(error(4).second, HasSubstr("user_id: must not be empty"));
  EXPECT_EQ(feedback_->logged(), 1u);
}

TEST_F(FeedbackRpcTest, EmptyAndOversizedBatchesAreRefusedWhole) {
  v1::LogEventsResponse response;
  grpc::Status empty = LogEvents(v1::LogEventsRequest(), &response);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(empty.error_message(), HasSubstr("events: the batch is empty"));

  // About 10 MB: reviews of 8 KB each.
  v1::LogEventsRequest huge;
  for (int i = 0; i < 1250; ++i) {
    v1::Event* e = Add(&huge, StrCat("h", i));
    e->mutable_review()->set_product_id("p1");
    e->mutable_review()->set_rating(4);
    e->mutable_review()->set_text(std::string(8000, 'x'));
  }
  grpc::Status too_big = LogEvents(huge, &response);
  EXPECT_EQ(too_big.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(too_big.error_message(), HasSubstr("server.max_message_bytes"));
  EXPECT_EQ(feedback_->logged(), 0u);
}

TEST_F(FeedbackRpcTest, AClickShowsInTheNextRecommend) {
  const std::vector<std::string> before = Recommended("u9");
  ASSERT_THAT(before, Contains("p4"));  // a new user: the catalog's first in-stock products
  v1::LogEventsRequest request;
  v1::Event* click = Add(&request, "c1", "u9");
  click->mutable_click()->set_request_id("r1");
  click->mutable_click()->set_product_id("p4");  // the garden hose
  click->mutable_click()->set_position(1);
  v1::LogEventsResponse response;
  ASSERT_TRUE(LogEvents(request, &response).ok());
  ASSERT_EQ(response.accepted(), 1);
  const std::vector<std::string> after = Recommended("u9");
  // The clicked product is in the history now, so it is not proposed again.
  EXPECT_THAT(after, Not(Contains("p4")));
  EXPECT_EQ(after.size(), before.size());
}

TEST_F(FeedbackRpcTest, StatsAndPrometheusReportTheBusinessMetrics) {
  v1::LogEventsRequest request;
  v1::Event* search = Add(&request, "e1");
  search->mutable_search()->set_request_id("r1");
  search->mutable_search()->set_query("drill");
  v1::Event* shown = Add(&request, "e2");
  shown->mutable_impression()->set_request_id("r1");
  for (const char* id : {"p1", "p5", "p6", "p2"}) shown->mutable_impression()->add_product_ids(id);
  v1::Event* click = Add(&request, "e3");
  click->mutable_click()->set_request_id("r1");
  click->mutable_click()->set_product_id("p5");
  click->mutable_click()->set_position(2);
  v1::Event* purchase = Add(&request, "e4");
  purchase->mutable_purchase()->set_product_id("p5");
  purchase->mutable_purchase()->set_quantity(1);
  purchase->mutable_purchase()->set_unit_price(149.0);
  v1::LogEventsResponse logged;
  ASSERT_TRUE(LogEvents(request, &logged).ok());
  ASSERT_EQ(logged.accepted(), 4);

  auto admin = v1::AdminService::NewStub(channel_);
  grpc::ClientContext context;
  v1::StatsResponse stats;
  ASSERT_TRUE(admin->Stats(&context, v1::StatsRequest(), &stats).ok());
  EXPECT_EQ(stats.feedback().events_logged(), 4u);
  ASSERT_EQ(stats.feedback().variants_size(), 1);
  const v1::VariantStats& v = stats.feedback().variants(0);
  EXPECT_EQ(v.variant(), "default");
  EXPECT_EQ(v.searches(), 1u);
  EXPECT_EQ(v.impressions(), 4u);
  EXPECT_DOUBLE_EQ(v.click_through().estimate(), 0.25);
  EXPECT_LT(v.click_through().low(), 0.25);
  EXPECT_DOUBLE_EQ(v.conversion().estimate(), 1.0);
  EXPECT_DOUBLE_EQ(v.revenue_per_search(), 149.0);
  // A window that ends before the events holds none of them.
  v1::StatsRequest earlier;
  earlier.set_window_end_unix_ms(NowUnixMillis() - 48LL * 3600 * 1000);
  grpc::ClientContext context2;
  ASSERT_TRUE(admin->Stats(&context2, earlier, &stats).ok());
  EXPECT_EQ(stats.feedback().variants(0).searches(), 0u);

  ASSERT_GT(server_->metrics_port(), 0);
  const std::string scrape = testing::HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_THAT(scrape, HasSubstr("200 OK"));
  EXPECT_THAT(scrape, HasSubstr("souk_searches_total{variant=\"default\"} 1"));
  EXPECT_THAT(scrape, HasSubstr("souk_revenue_total{variant=\"default\"} 149"));
  EXPECT_THAT(scrape, HasSubstr("souk_conversion{variant=\"default\",window=\"24h\"} 1"));
  EXPECT_THAT(scrape, HasSubstr("souk_events_logged 4"));
}

// A server scoring reviews with a (random) sentiment model.
class ReviewSentimentRpcTest : public FeedbackRpcTest {
 protected:
  void ConfigureFeedback(engine::FeedbackOptions* options) override {
    options->sentiment.classifier.model_dir =
        engine::testing::WriteTinySentimentModel(tmp_.File("sentiment"));
  }
};

TEST_F(ReviewSentimentRpcTest, ReviewsAreScoredIntoExplanationsAndMetrics) {
  v1::LogEventsRequest request;
  for (const char* text : {"great drill", "broke fast"}) {
    v1::Event* e = Add(&request, StrCat("review-", request.events_size()));
    e->mutable_review()->set_product_id("p1");
    e->mutable_review()->set_rating(3);
    e->mutable_review()->set_text(text);
  }
  v1::LogEventsResponse response;
  ASSERT_TRUE(LogEvents(request, &response).ok());
  ASSERT_EQ(response.accepted(), 2);
  ASSERT_NE(feedback_->review_scorer(), nullptr);
  feedback_->review_scorer()->WaitUntilIdle();

  v1::SearchRequest search;
  search.set_query("drill");
  search.set_page_size(10);
  search.set_debug(true);
  v1::SearchResponse page;
  const grpc::Status searched = Search(search, &page);
  ASSERT_TRUE(searched.ok()) << searched.error_message();
  bool saw_p1 = false;
  for (const v1::SearchResult& result : page.results()) {
    if (result.product_id() == "p1") {
      saw_p1 = true;
      ASSERT_TRUE(result.explanation().has_review_sentiment());
      // Its two reviews are the shop's only ones: the smoothed mean is their mean.
      const double mean = aggregates_.Sentiment("p1").positive / 2;
      EXPECT_NEAR(result.explanation().review_sentiment(), mean, 1e-5);
    } else {
      EXPECT_FALSE(result.explanation().has_review_sentiment()) << result.product_id();
    }
  }
  EXPECT_TRUE(saw_p1);
  const std::string scrape = testing::HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_THAT(scrape, HasSubstr("souk_reviews_scored_total 2"));
  EXPECT_THAT(scrape, HasSubstr("souk_reviews_unscored_total{reason=\"full\"} 0"));
}

}  // namespace
}  // namespace souk
