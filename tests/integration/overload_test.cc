// Overload sheds work: a burst far beyond the server's queue is answered at once, each call
// either served or RESOURCE_EXHAUSTED, and the server stays healthy for the next caller.
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rpc_fixture.h"

namespace souk {
namespace {

using ::testing::HasSubstr;

class OverloadRpcTest : public testing::RpcServerTest {
 protected:
  void ConfigureServer(api::ServerOptions* options) override {
    options->workers = 1;
    options->max_queue = 1;
  }
};

TEST_F(OverloadRpcTest, ABurstBeyondTheQueueIsRefusedAndTheServerStaysHealthy) {
  constexpr int kBurst = 400;
  struct Call {
    grpc::ClientContext context;
    v1::SearchRequest request;
    v1::SearchResponse response;
  };
  std::vector<std::unique_ptr<Call>> calls;
  std::mutex mu;
  std::condition_variable all_done;
  int done = 0;
  std::map<grpc::StatusCode, int> codes;
  std::string refusal;
  for (int i = 0; i < kBurst; ++i) {
    calls.push_back(std::make_unique<Call>());
    Call& call = *calls.back();
    call.context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    call.request = Request("cordless drill", 10);
    call.request.set_debug(true);  // features and explanations: more work per call
    call.request.set_include_facets(true);
  }
  for (auto& c : calls) {
    search_->async()->Search(&c->context, &c->request, &c->response, [&](grpc::Status s) {
      std::lock_guard<std::mutex> lock(mu);
      ++codes[s.error_code()];
      if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) refusal = s.error_message();
      if (++done == kBurst) all_done.notify_one();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(all_done.wait_for(lock, std::chrono::seconds(60), [&] { return done == kBurst; }));
  }
  // Served or refused, nothing else (no timeouts, no internal errors).
  EXPECT_EQ(codes[grpc::StatusCode::OK] + codes[grpc::StatusCode::RESOURCE_EXHAUSTED], kBurst);
  EXPECT_GT(codes[grpc::StatusCode::OK], 0);
  EXPECT_GT(codes[grpc::StatusCode::RESOURCE_EXHAUSTED], 0) << "one worker and a queue of one "
                                                               "took a burst of 400 calls";
  EXPECT_THAT(refusal, HasSubstr("server overloaded"));
  std::string health;
  ASSERT_TRUE(CheckHealth(&health).ok());
  EXPECT_EQ(health, std::string("\x08\x01", 2));
  v1::SearchResponse response;
  EXPECT_TRUE(Search(Request("cordless drill"), &response).ok());
}

}  // namespace
}  // namespace souk
