// A real server on 127.0.0.1:0 over the small test catalog, with an event log in a temporary
// directory: the fixture of the gRPC end-to-end tests.
#pragma once

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../unit/engine/engine_fixture.h"
#include "souk/api/server.h"
#include "souk/engine/feedback_engine.h"
#include "souk/engine/index_directory.h"
#include "souk/engine/snapshot.h"
#include "souk/engine/suggest_engine.h"
#include "souk/v1/search.grpc.pb.h"
#include "support/http_client.h"
#include "support/test_support.h"

namespace souk::testing {

class RpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = engine::testing::OptionsFor(tmp_.File("index"));
    ASSERT_OK(engine::WriteIndexDirectory(engine::testing::SmallCatalog(), options_));
    auto snapshot = engine::Snapshot::Load(options_);
    ASSERT_OK(snapshot);
    auto engine = engine::SearchEngine::Create(engine::SearchOptions{}, *snapshot, &aggregates_);
    ASSERT_OK(engine);
    engine_ = std::move(*engine);
    api::ServerOptions server_options;
    server_options.address = "127.0.0.1:0";
    server_options.metrics_address = "127.0.0.1:0";
    ConfigureServer(&server_options);
    engine::FeedbackOptions feedback_options;
    feedback_options.log.path = tmp_.File("events");
    feedback_options.log.sync = false;  // the process-crash test (soukd_process_test) syncs
    ConfigureFeedback(&feedback_options);
    auto feedback = engine::FeedbackEngine::Create(feedback_options, engine_.get(),
                                                   (*snapshot)->split(), &aggregates_);
    ASSERT_OK(feedback);
    feedback_ = std::move(*feedback);
    auto recommend =
        engine::RecommendEngine::Create(engine::RecommendOptions{}, engine_.get(), &aggregates_);
    ASSERT_OK(recommend);
    recommend_ = std::move(*recommend);
    auto suggest =
        engine::SuggestEngine::Create(engine::SuggestOptions{}, engine_.get(), &aggregates_);
    ASSERT_OK(suggest);
    suggest_ = std::move(*suggest);
    suggest_->Refresh();  // rather than wait for the first background build
    auto server = api::Server::Start(server_options,
                                     {.search = engine_.get(),
                                      .recommend = recommend_.get(),
                                      .feedback = feedback_.get(),
                                      .suggest = suggest_.get()},
                                     options_);
    ASSERT_OK(server);
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    search_ = v1::SearchService::NewStub(channel_);
  }

  /// Subclasses change the server's options here (keys, TLS, limits).
  virtual void ConfigureServer(api::ServerOptions*) {}
  /// And the feedback engine's (a sentiment model).
  virtual void ConfigureFeedback(engine::FeedbackOptions*) {}

  grpc::Status Search(const v1::SearchRequest& request, v1::SearchResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return search_->Search(&context, request, response);
  }

  /// grpc.health.v1.Health/Check with an empty request, without credentials; `*response` gets
  /// the HealthCheckResponse's bytes.
  grpc::Status CheckHealth(std::string* response) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), reply;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &reply,
                   [&](grpc::Status s) {
                     std::lock_guard<std::mutex> lock(mu);
                     status = s;
                     done = true;
                     cv.notify_one();
                   });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    std::vector<grpc::Slice> slices;
    if (status.ok() && reply.Dump(&slices).ok()) {
      for (const auto& s : slices)
        response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    return status;
  }

  static v1::SearchRequest Request(const std::string& query, int page_size = 10) {
    v1::SearchRequest r;
    r.set_query(query);
    r.set_page_size(page_size);
    return r;
  }

  TempDir tmp_;
  engine::SnapshotOptions options_;
  events::Aggregates aggregates_{events::AggregateOptions{}};  // outlives the engines
  std::unique_ptr<engine::SearchEngine> engine_;
  std::unique_ptr<engine::FeedbackEngine> feedback_;
  std::unique_ptr<engine::RecommendEngine> recommend_;
  std::unique_ptr<engine::SuggestEngine> suggest_;
  std::unique_ptr<api::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SearchService::Stub> search_;
};

}  // namespace souk::testing
