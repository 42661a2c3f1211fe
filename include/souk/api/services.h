// The gRPC services Souk serves. Each handler parses its own request (raw_request.h), calls the
// engine and maps the result; the engine does the work.
//
// Thread-safety: handlers run concurrently on gRPC's threads; the services hold no mutable state
// except AdminService's reload lock and FeedbackService's queue of writes.
#pragma once

#include <chrono>
#include <mutex>
#include <thread>

#include "souk/api/call_policy.h"
#include "souk/api/request_queue.h"
#include "souk/base/work_queue.h"
#include "souk/engine/engine_options.h"
#include "souk/engine/feedback_engine.h"
#include "souk/engine/recommend_engine.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/suggest_engine.h"
#include "souk/v1/admin.grpc.pb.h"
#include "souk/v1/catalog.grpc.pb.h"
#include "souk/v1/feedback.grpc.pb.h"
#include "souk/v1/recommend.grpc.pb.h"
#include "souk/v1/search.grpc.pb.h"

namespace souk::api {

/// Search waits for a worker (the request queue); Suggest, a lookup of a few microseconds,
/// answers on gRPC's thread.
class SearchServiceImpl final
    : public v1::SearchService::WithRawCallbackMethod_Search<
          v1::SearchService::WithRawCallbackMethod_Suggest<v1::SearchService::Service>> {
 public:
  SearchServiceImpl(engine::SearchEngine* engine, const engine::SuggestEngine* suggest,
                    const CallPolicy* policy, RequestQueue* queue)
      : engine_(engine), suggest_(suggest), policy_(policy), queue_(queue) {}
  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Suggest(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;

 private:
  engine::SearchEngine* engine_;
  const engine::SuggestEngine* suggest_;
  const CallPolicy* policy_;
  RequestQueue* queue_;  ///< Where the calls wait for a worker.
};

/// GetProduct reads the serving snapshot's catalog; Upsert/Delete are not built yet.
class CatalogServiceImpl final
    : public v1::CatalogService::WithRawCallbackMethod_GetProduct<v1::CatalogService::Service> {
 public:
  CatalogServiceImpl(engine::SearchEngine* engine, const CallPolicy* policy)
      : engine_(engine), policy_(policy) {}
  grpc::ServerUnaryReactor* GetProduct(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::Status UpsertProducts(grpc::ServerContext*, const v1::UpsertProductsRequest*,
                              v1::UpsertProductsResponse*) override;
  grpc::Status DeleteProducts(grpc::ServerContext*, const v1::DeleteProductsRequest*,
                              v1::DeleteProductsResponse*) override;

 private:
  engine::SearchEngine* engine_;
  const CallPolicy* policy_;
};

/// Reload loads the new snapshot on a thread of its own (gRPC's callback threads must not block)
/// while searches go on with the old one; a second Reload while one runs is ABORTED.
class AdminServiceImpl final
    : public v1::AdminService::WithRawCallbackMethod_Reload<
          v1::AdminService::WithRawCallbackMethod_Stats<
              v1::AdminService::WithRawCallbackMethod_SetRules<
                  v1::AdminService::WithRawCallbackMethod_GetRules<v1::AdminService::Service>>>> {
 public:
  AdminServiceImpl(engine::SearchEngine* engine, const engine::FeedbackEngine* feedback,
                   engine::SnapshotOptions snapshot_options, const CallPolicy* policy)
      : engine_(engine),
        feedback_(feedback),
        snapshot_options_(std::move(snapshot_options)),
        policy_(policy) {}
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
  absl::Status FeedbackStats(const v1::StatsRequest& request, v1::FeedbackStats* out) const;

  engine::SearchEngine* engine_;
  const engine::FeedbackEngine* feedback_;
  engine::SnapshotOptions snapshot_options_;
  const CallPolicy* policy_;
  std::mutex reload_mutex_;  ///< Guards the two fields below; searches never take it.
  bool reloading_ = false;
  std::thread reload_thread_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

class RecommendServiceImpl final
    : public v1::RecommendService::WithRawCallbackMethod_Recommend<
          v1::RecommendService::WithRawCallbackMethod_SimilarItems<v1::RecommendService::Service>> {
 public:
  RecommendServiceImpl(engine::RecommendEngine* engine, const CallPolicy* policy,
                       RequestQueue* queue)
      : engine_(engine), policy_(policy), queue_(queue) {}
  grpc::ServerUnaryReactor* Recommend(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SimilarItems(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;

 private:
  engine::RecommendEngine* engine_;
  const CallPolicy* policy_;
  RequestQueue* queue_;  ///< Where the calls wait for a worker.
};

/// LogEvents waits for a disk sync, which gRPC's callback threads must not: each call is
/// parsed on gRPC's thread and logged on a writer thread of the service's own. When
/// kMaxPendingWrites calls already wait, a call is UNAVAILABLE ("retry later"), so a flood of
/// events cannot grow memory without bound.
class FeedbackServiceImpl final
    : public v1::FeedbackService::WithRawCallbackMethod_LogEvents<v1::FeedbackService::Service> {
 public:
  static constexpr size_t kWriterThreads = 2;
  static constexpr size_t kMaxPendingWrites = 256;

  FeedbackServiceImpl(engine::FeedbackEngine* engine, const CallPolicy* policy)
      : engine_(engine), policy_(policy), writers_(kWriterThreads, kMaxPendingWrites) {}
  grpc::ServerUnaryReactor* LogEvents(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;

 private:
  absl::Status Log(const v1::LogEventsRequest& request, v1::LogEventsResponse* response);

  engine::FeedbackEngine* engine_;
  const CallPolicy* policy_;
  WorkQueue writers_;  ///< Last member: its destructor finishes the accepted calls first.
};

}  // namespace souk::api
