// The gRPC services Souk serves. Each handler parses its own request (raw_request.h), calls the
// engine and maps the result; the engine does the work.
//
// Thread-safety: handlers run concurrently on gRPC's threads; the services hold no mutable state
// except AdminService's reload lock.
#pragma once

#include <chrono>
#include <mutex>
#include <thread>

#include "souk/engine/engine_options.h"
#include "souk/engine/recommend_engine.h"
#include "souk/engine/search_engine.h"
#include "souk/v1/admin.grpc.pb.h"
#include "souk/v1/catalog.grpc.pb.h"
#include "souk/v1/feedback.grpc.pb.h"
#include "souk/v1/recommend.grpc.pb.h"
#include "souk/v1/search.grpc.pb.h"

namespace souk::api {

class SearchServiceImpl final
    : public v1::SearchService::WithRawCallbackMethod_Search<v1::SearchService::Service> {
 public:
  explicit SearchServiceImpl(engine::SearchEngine* engine) : engine_(engine) {}
  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;

 private:
  engine::SearchEngine* engine_;
};

/// GetProduct reads the serving snapshot's catalog; Upsert/Delete are not built yet.
class CatalogServiceImpl final
    : public v1::CatalogService::WithRawCallbackMethod_GetProduct<v1::CatalogService::Service> {
 public:
  explicit CatalogServiceImpl(engine::SearchEngine* engine) : engine_(engine) {}
  grpc::ServerUnaryReactor* GetProduct(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::Status UpsertProducts(grpc::ServerContext*, const v1::UpsertProductsRequest*,
                              v1::UpsertProductsResponse*) override;
  grpc::Status DeleteProducts(grpc::ServerContext*, const v1::DeleteProductsRequest*,
                              v1::DeleteProductsResponse*) override;

 private:
  engine::SearchEngine* engine_;
};

/// Reload loads the new snapshot on a thread of its own (gRPC's callback threads must not block)
/// while searches go on with the old one; a second Reload while one runs is ABORTED.
class AdminServiceImpl final
    : public v1::AdminService::WithRawCallbackMethod_Reload<
          v1::AdminService::WithRawCallbackMethod_Stats<
              v1::AdminService::WithRawCallbackMethod_SetRules<
                  v1::AdminService::WithRawCallbackMethod_GetRules<v1::AdminService::Service>>>> {
 public:
  AdminServiceImpl(engine::SearchEngine* engine, engine::SnapshotOptions snapshot_options)
      : engine_(engine), snapshot_options_(std::move(snapshot_options)) {}
  ~AdminServiceImpl() override { WaitForReload(); }
  /// Blocks until a running reload has finished.
  void WaitForReload();
  grpc::ServerUnaryReactor* Reload(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Stats(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SetRules(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetRules(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;

 private:
  absl::Status LoadAndSwap(const v1::ReloadRequest& request, v1::ReloadResponse* response);

  engine::SearchEngine* engine_;
  engine::SnapshotOptions snapshot_options_;
  std::mutex reload_mutex_;  ///< Guards the two fields below; searches never take it.
  bool reloading_ = false;
  std::thread reload_thread_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

class RecommendServiceImpl final
    : public v1::RecommendService::WithRawCallbackMethod_Recommend<
          v1::RecommendService::WithRawCallbackMethod_SimilarItems<v1::RecommendService::Service>> {
 public:
  explicit RecommendServiceImpl(engine::RecommendEngine* engine) : engine_(engine) {}
  grpc::ServerUnaryReactor* Recommend(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SimilarItems(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;

 private:
  engine::RecommendEngine* engine_;
};

/// LogEvents: UNIMPLEMENTED until the durable event log lands.
class FeedbackServiceImpl final : public v1::FeedbackService::Service {
 public:
  grpc::Status LogEvents(grpc::ServerContext*, const v1::LogEventsRequest*,
                         v1::LogEventsResponse*) override;
};

}  // namespace souk::api
