#include "souk/api/services.h"

#include "souk/api/proto_conversion.h"
#include "souk/api/raw_request.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/engine/snapshot.h"

namespace souk::api {
namespace {

grpc::Status NotBuiltYet(std::string_view rpc, std::string_view what) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      StrCat(rpc, " is not implemented in this version of Souk: ", what));
}

}  // namespace

grpc::ServerUnaryReactor* SearchServiceImpl::Search(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request,
                                                    grpc::ByteBuffer* response) {
  return RunUnary<v1::SearchRequest, v1::SearchResponse>(
      context, request, response,
      [this](const v1::SearchRequest& in, v1::SearchResponse* out) -> absl::Status {
        SOUK_ASSIGN_OR_RETURN(engine::SearchPage page, engine_->Search(FromProto(in)));
        ToProto(page, in.include_products(), out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CatalogServiceImpl::GetProduct(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return RunUnary<v1::GetProductRequest, v1::GetProductResponse>(
      context, request, response,
      [this](const v1::GetProductRequest& in, v1::GetProductResponse* out) -> absl::Status {
        if (in.product_id().empty()) {
          return absl::InvalidArgumentError("product_id: must not be empty");
        }
        std::shared_ptr<const engine::Snapshot> snapshot = engine_->snapshot();
        std::optional<catalog::DocId> doc = snapshot->catalog().Find(in.product_id());
        if (!doc)
          return absl::NotFoundError(StrCat("product_id: unknown product '", in.product_id(), "'"));
        ToProto(snapshot->catalog().product(*doc), out->mutable_product());
        return absl::OkStatus();
      });
}

grpc::Status CatalogServiceImpl::UpsertProducts(grpc::ServerContext*,
                                                const v1::UpsertProductsRequest*,
                                                v1::UpsertProductsResponse*) {
  return NotBuiltYet("UpsertProducts", "rebuild the index with `souk index` and call Reload");
}

grpc::Status CatalogServiceImpl::DeleteProducts(grpc::ServerContext*,
                                                const v1::DeleteProductsRequest*,
                                                v1::DeleteProductsResponse*) {
  return NotBuiltYet("DeleteProducts", "rebuild the index with `souk index` and call Reload");
}

grpc::ServerUnaryReactor* AdminServiceImpl::Reload(grpc::CallbackServerContext* context,
                                                   const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  v1::ReloadRequest parsed;
  if (absl::Status s = ParseRequest(*request, &parsed); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  std::lock_guard<std::mutex> lock(reload_mutex_);
  if (reloading_) {
    reactor->Finish(ToGrpcStatus(absl::AbortedError("a reload is already running; retry later")));
    return reactor;
  }
  if (reload_thread_.joinable()) reload_thread_.join();  // the previous one, already done
  reloading_ = true;
  reload_thread_ = std::thread([this, reactor, response, parsed] {
    absl::Status status;
    try {
      v1::ReloadResponse out;
      status = LoadAndSwap(parsed, &out);
      if (status.ok()) status = SerializeResponse(out, response);
    } catch (const std::exception& e) {
      status = InternalErrorFromException(e);
    }
    {
      std::lock_guard<std::mutex> done(reload_mutex_);
      reloading_ = false;
    }
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

void AdminServiceImpl::WaitForReload() {
  std::thread running;
  {
    std::lock_guard<std::mutex> lock(reload_mutex_);
    running = std::move(reload_thread_);
  }
  if (running.joinable()) running.join();
}

absl::Status AdminServiceImpl::LoadAndSwap(const v1::ReloadRequest& request,
                                           v1::ReloadResponse* response) {
  engine::SnapshotOptions options = snapshot_options_;
  if (!request.index_dir().empty()) options.index_dir = request.index_dir();
  absl::StatusOr<std::shared_ptr<const engine::Snapshot>> snapshot =
      engine::Snapshot::Load(options);
  if (!snapshot.ok()) {
    SOUK_LOG_WARN("api",
                  "reload failed, still serving the old snapshot: ", snapshot.status().ToString());
    return Annotate(snapshot.status(), "reload");
  }
  engine_->Swap(*snapshot);
  SOUK_LOG_INFO("api", "now serving snapshot ", (*snapshot)->version());
  response->set_snapshot_version((*snapshot)->version());
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AdminServiceImpl::Stats(grpc::CallbackServerContext* context,
                                                  const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) {
  return RunUnary<v1::StatsRequest, v1::StatsResponse>(
      context, request, response,
      [this](const v1::StatsRequest&, v1::StatsResponse* out) -> absl::Status {
        std::shared_ptr<const engine::Snapshot> snapshot = engine_->snapshot();
        out->set_snapshot_version(snapshot->version());
        out->set_snapshot_loaded_unix_s(snapshot->loaded_unix_s());
        out->mutable_lexical()->set_products(snapshot->catalog().size());
        out->mutable_lexical()->set_terms(snapshot->lexical().num_terms());
        out->mutable_lexical()->set_memory_bytes(snapshot->lexical().MemoryBytes());
        out->set_server_version(SOUK_VERSION);
        out->set_uptime_s(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::steady_clock::now() - started_)
                              .count());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AdminServiceImpl::SetRules(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return RunUnary<v1::SetRulesRequest, v1::SetRulesResponse>(
      context, request, response,
      [this](const v1::SetRulesRequest& in, v1::SetRulesResponse*) -> absl::Status {
        SOUK_RETURN_IF_ERROR(engine_->SetRules(FromProto(in.rules())));
        SOUK_LOG_INFO("api", "rules replaced: ", in.rules().pins_size(), " pins, ",
                      in.rules().boosts_size(), " boosts, ", in.rules().excludes_size(),
                      " excludes");
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetRules(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return RunUnary<v1::GetRulesRequest, v1::GetRulesResponse>(
      context, request, response,
      [this](const v1::GetRulesRequest&, v1::GetRulesResponse* out) -> absl::Status {
        ToProto(engine_->rules(), out->mutable_rules());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RecommendServiceImpl::Recommend(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return RunUnary<v1::RecommendRequest, v1::RecommendResponse>(
      context, request, response,
      [this](const v1::RecommendRequest& in, v1::RecommendResponse* out) -> absl::Status {
        SOUK_ASSIGN_OR_RETURN(const engine::RecommendPage page, engine_->Recommend(FromProto(in)));
        ToProto(page, in.include_products(), out->mutable_items());
        out->set_request_id(page.request_id);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RecommendServiceImpl::SimilarItems(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  return RunUnary<v1::SimilarItemsRequest, v1::SimilarItemsResponse>(
      context, request, response,
      [this](const v1::SimilarItemsRequest& in, v1::SimilarItemsResponse* out) -> absl::Status {
        if (in.product_id().empty()) {
          return absl::InvalidArgumentError("product_id: must not be empty");
        }
        SOUK_ASSIGN_OR_RETURN(const engine::RecommendPage page,
                              engine_->SimilarItems(in.product_id(), in.page_size()));
        ToProto(page, in.include_products(), out->mutable_items());
        out->set_request_id(page.request_id);
        return absl::OkStatus();
      });
}

grpc::Status FeedbackServiceImpl::LogEvents(grpc::ServerContext*, const v1::LogEventsRequest*,
                                            v1::LogEventsResponse*) {
  return NotBuiltYet("LogEvents", "the durable event log is not built yet; no event was stored");
}

}  // namespace souk::api
