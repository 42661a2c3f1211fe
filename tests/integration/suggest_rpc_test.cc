// SearchService.Suggest end to end: catalog phrases, queries logged through LogEvents by
// several shoppers, Chinese and English prefixes, a typo, and bad requests named.

#include <grpcpp/client_context.h>

#include "rpc_fixture.h"
#include "souk/base/clock.h"
#include "souk/v1/feedback.grpc.pb.h"

namespace souk {
namespace {

using ::testing::HasSubstr;

class SuggestRpcTest : public ::souk::testing::RpcServerTest {
 protected:
  grpc::Status Suggest(const std::string& prefix, uint32_t limit, v1::SuggestResponse* response,
                       const std::string& user = "u1") {
    v1::SuggestRequest request;
    request.set_prefix(prefix);
    request.set_user_id(user);
    request.set_limit(limit);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return search_->Suggest(&context, request, response);
  }

  std::vector<std::string> Texts(const std::string& prefix, const std::string& user = "u1") {
    v1::SuggestResponse response;
    const grpc::Status status = Suggest(prefix, 0, &response, user);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> out;
    for (const v1::Suggestion& s : response.suggestions()) out.push_back(s.text());
    return out;
  }

  void LogSearch(const std::string& id, const std::string& user, const std::string& query) {
    v1::LogEventsRequest request;
    v1::Event* e = request.add_events();
    e->set_event_id(id);
    e->set_timestamp_ms(NowUnixMillis() - 1000);
    e->set_user_id(user);
    e->mutable_search()->set_request_id("r-" + id);
    e->mutable_search()->set_query(query);
    v1::LogEventsResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    ASSERT_TRUE(
        v1::FeedbackService::NewStub(channel_)->LogEvents(&context, request, &response).ok());
    ASSERT_EQ(response.accepted(), 1);
  }
};

TEST_F(SuggestRpcTest, CompletesCatalogPhrasesInEnglishAndChinese) {
  EXPECT_EQ(Texts("MAK"), (std::vector<std::string>{"makita"}));
  EXPECT_EQ(Texts("小"), (std::vector<std::string>{"小米"}));
  v1::SuggestResponse response;
  ASSERT_TRUE(Suggest("", 2, &response).ok());
  EXPECT_EQ(response.suggestions_size(), 2);  // the heaviest phrases
}

TEST_F(SuggestRpcTest, SuggestsWhatSeveralShoppersSearched) {
  LogSearch("e1", "alice", "Cordless Drill");
  LogSearch("e2", "bob", "cordless drill");
  LogSearch("e3", "alice", "cordless drill for alice only");
  suggest_->Refresh();  // else within suggest.refresh_s
  v1::SuggestResponse response;
  ASSERT_TRUE(Suggest("cord", 10, &response).ok());
  ASSERT_EQ(response.suggestions_size(), 1);
  EXPECT_EQ(response.suggestions(0).text(), "cordless drill");
  EXPECT_NEAR(response.suggestions(0).score(), 2, 0.01);
  EXPECT_FALSE(response.suggestions(0).corrected());
  ASSERT_TRUE(Suggest("cordlexx", 10, &response).ok());  // two typos: nothing
  EXPECT_EQ(response.suggestions_size(), 0);
  ASSERT_TRUE(Suggest("cordles", 10, &response).ok());
  ASSERT_EQ(response.suggestions_size(), 1);
  ASSERT_TRUE(Suggest("corldess", 10, &response).ok());  // one swap
  ASSERT_EQ(response.suggestions_size(), 1);
  EXPECT_TRUE(response.suggestions(0).corrected());
}

TEST_F(SuggestRpcTest, AShopperWhoBoughtABrandSeesItFirst) {
  LogSearch("e1", "alice", "drill dewalt");
  LogSearch("e2", "bob", "drill dewalt");
  LogSearch("e3", "carol", "drill dewalt");
  LogSearch("e4", "alice", "drill makita");
  LogSearch("e5", "bob", "drill makita");
  v1::LogEventsRequest request;
  v1::Event* e = request.add_events();
  e->set_event_id("bought");
  e->set_timestamp_ms(NowUnixMillis() - 1000);
  e->set_user_id("fan");
  e->mutable_purchase()->set_product_id("p1");  // a Makita drill
  e->mutable_purchase()->set_quantity(1);
  e->mutable_purchase()->set_unit_price(99);
  v1::LogEventsResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(v1::FeedbackService::NewStub(channel_)->LogEvents(&context, request, &response).ok());
  ASSERT_EQ(response.accepted(), 1);
  suggest_->Refresh();
  EXPECT_EQ(Texts("drill"), (std::vector<std::string>{"drill dewalt", "drill makita"}));
  EXPECT_EQ(Texts("drill", "fan"), (std::vector<std::string>{"drill makita", "drill dewalt"}));
}

TEST_F(SuggestRpcTest, BadRequestsAreInvalidArgumentsNamingTheField) {
  v1::SuggestResponse response;
  grpc::Status status = Suggest(std::string(1000, 'a'), 5, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("prefix"));
  status = Suggest("a", 11, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("limit"));
}

}  // namespace
}  // namespace souk
