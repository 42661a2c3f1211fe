#include "souk/api/services.h"

#include <algorithm>
#include <memory>

#include "souk/api/proto_conversion.h"
#include "souk/api/raw_request.h"
#include "souk/base/clock.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/engine/snapshot.h"

namespace souk::api {
namespace {

constexpr Rpc kSearch{"Search", Role::kQuery};
constexpr Rpc kSuggest{"Suggest", Role::kQuery};
constexpr Rpc kGetProduct{"GetProduct", Role::kQuery};
constexpr Rpc kUpsertProducts{"UpsertProducts", Role::kCatalog};
constexpr Rpc kDeleteProducts{"DeleteProducts", Role::kCatalog};
constexpr Rpc kReload{"Reload", Role::kAdmin};
constexpr Rpc kStats{"Stats", Role::kAdmin};
constexpr Rpc kSetRules{"SetRules", Role::kAdmin};
constexpr Rpc kGetRules{"GetRules", Role::kAdmin};
constexpr Rpc kRecommend{"Recommend", Role::kQuery};
constexpr Rpc kSimilarItems{"SimilarItems", Role::kQuery};
constexpr Rpc kLogEvents{"LogEvents", Role::kFeedback};

// A catalog RPC not built yet: refused by the policy like any other, else UNIMPLEMENTED.
grpc::Status Unbuilt(const grpc::ServerContextBase& context, const CallPolicy& policy,
                     const Rpc& rpc) {
  const CallPolicy::Clock::time_point started = CallPolicy::Clock::now();
  CallSummary summary;
  absl::Status status = policy.Admit(context, rpc.role, &summary.caller);
  if (status.ok()) {
    status = absl::UnimplementedError(
        StrCat(rpc.name,
               " is not implemented in this version of Souk: rebuild the index with "
               "`souk index` and call Reload"));
  }
  policy.Finished(rpc, status, started, summary);
  return ToGrpcStatus(status);
}

}  // namespace

grpc::ServerUnaryReactor* SearchServiceImpl::Search(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request,
                                                    grpc::ByteBuffer* response) {
  return RunQueued<v1::SearchRequest, v1::SearchResponse>(
      context, request, response, *policy_, kSearch, *queue_,
      [this](const v1::SearchRequest& in, RequestQueue::Clock::time_point deadline,
             v1::SearchResponse* out) -> absl::Status {
        engine::SearchQuery query = FromProto(in);
        query.deadline = deadline;
        SOUK_ASSIGN_OR_RETURN(engine::SearchPage page, engine_->Search(query));
        policy_->SearchStages(page.times);
        ToProto(page, in.include_products(), out);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SearchServiceImpl::Suggest(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return RunUnary<v1::SuggestRequest, v1::SuggestResponse>(
      context, request, response, *policy_, kSuggest,
      [this](const v1::SuggestRequest& in, v1::SuggestResponse* out) -> absl::Status {
        const size_t limit = in.limit() == 0 ? suggest::CompletionIndex::kMaxCompletions
                                             : static_cast<size_t>(in.limit());
        SOUK_ASSIGN_OR_RETURN(std::vector<suggest::Completion> found,
                              suggest_->Suggest(in.prefix(), limit, in.user_id()));
        for (const suggest::Completion& c : found) {
          v1::Suggestion* s = out->add_suggestions();
          s->set_text(c.text);
          s->set_score(c.weight);
          s->set_corrected(c.corrected);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CatalogServiceImpl::GetProduct(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return RunUnary<v1::GetProductRequest, v1::GetProductResponse>(
      context, request, response, *policy_, kGetProduct,
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

grpc::Status CatalogServiceImpl::UpsertProducts(grpc::ServerContext* context,
                                                const v1::UpsertProductsRequest*,
                                                v1::UpsertProductsResponse*) {
  return Unbuilt(*context, *policy_, kUpsertProducts);
}

grpc::Status CatalogServiceImpl::DeleteProducts(grpc::ServerContext* context,
                                                const v1::DeleteProductsRequest*,
                                                v1::DeleteProductsResponse*) {
  return Unbuilt(*context, *policy_, kDeleteProducts);
}

grpc::ServerUnaryReactor* AdminServiceImpl::Reload(grpc::CallbackServerContext* context,
                                                   const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) {
  const CallPolicy::Clock::time_point started = CallPolicy::Clock::now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  v1::ReloadRequest parsed;
  CallSummary summary;
  if (absl::Status s = AdmitAndParse(*context, *request, *policy_, kReload, &parsed, &summary);
      !s.ok()) {
    FinishCall(reactor, *policy_, kReload, s, started, summary);
    return reactor;
  }
  std::lock_guard<std::mutex> lock(reload_mutex_);
  if (reloading_) {
    FinishCall(reactor, *policy_, kReload,
               absl::AbortedError("a reload is already running; retry later"), started, summary);
    return reactor;
  }
  if (reload_thread_.joinable()) reload_thread_.join();  // the previous one, already done
  reloading_ = true;
  reload_thread_ = std::thread([this, reactor, response, parsed, started, summary] {
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
    FinishCall(reactor, *policy_, kReload, status, started, summary);
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
      context, request, response, *policy_, kStats,
      [this](const v1::StatsRequest& in, v1::StatsResponse* out) -> absl::Status {
        SOUK_RETURN_IF_ERROR(FeedbackStats(in, out->mutable_feedback()));
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

absl::Status AdminServiceImpl::FeedbackStats(const v1::StatsRequest& in,
                                             v1::FeedbackStats* out) const {
  constexpr int64_t kHourMs = 3600LL * 1000;
  constexpr uint32_t kMaxWindowHours = 24 * 366 * 10;
  if (in.window_hours() > kMaxWindowHours) {
    return absl::InvalidArgumentError(
        StrCat("window_hours: ", in.window_hours(), " is over the limit of ", kMaxWindowHours));
  }
  if (in.window_end_unix_ms() < 0) {
    return absl::InvalidArgumentError("window_end_unix_ms: must not be negative");
  }
  const int64_t end = in.window_end_unix_ms() == 0 ? NowUnixMillis() : in.window_end_unix_ms();
  const int64_t start = end - (in.window_hours() == 0 ? 24 : in.window_hours()) * kHourMs;
  out->set_events_logged(feedback_->logged());
  out->set_window_start_unix_ms(start);
  out->set_window_end_unix_ms(end);
  for (const events::VariantReport& report : feedback_->metrics().Report(start, end)) {
    ToProto(report, out->add_variants());
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AdminServiceImpl::SetRules(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return RunUnary<v1::SetRulesRequest, v1::SetRulesResponse>(
      context, request, response, *policy_, kSetRules,
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
      context, request, response, *policy_, kGetRules,
      [this](const v1::GetRulesRequest&, v1::GetRulesResponse* out) -> absl::Status {
        ToProto(engine_->rules(), out->mutable_rules());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RecommendServiceImpl::Recommend(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return RunQueued<v1::RecommendRequest, v1::RecommendResponse>(
      context, request, response, *policy_, kRecommend, *queue_,
      [this](const v1::RecommendRequest& in, RequestQueue::Clock::time_point,
             v1::RecommendResponse* out) -> absl::Status {
        SOUK_ASSIGN_OR_RETURN(const engine::RecommendPage page, engine_->Recommend(FromProto(in)));
        ToProto(page, in.include_products(), out->mutable_items());
        out->set_request_id(page.request_id);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RecommendServiceImpl::SimilarItems(grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request,
                                                             grpc::ByteBuffer* response) {
  return RunQueued<v1::SimilarItemsRequest, v1::SimilarItemsResponse>(
      context, request, response, *policy_, kSimilarItems, *queue_,
      [this](const v1::SimilarItemsRequest& in, RequestQueue::Clock::time_point,
             v1::SimilarItemsResponse* out) -> absl::Status {
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

grpc::ServerUnaryReactor* FeedbackServiceImpl::LogEvents(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  const CallPolicy::Clock::time_point started = CallPolicy::Clock::now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto parsed = std::make_shared<v1::LogEventsRequest>();
  CallSummary summary;
  if (absl::Status s =
          AdmitAndParse(*context, *request, *policy_, kLogEvents, parsed.get(), &summary);
      !s.ok()) {
    FinishCall(reactor, *policy_, kLogEvents, s, started, summary);
    return reactor;
  }
  const bool queued = writers_.TrySubmit([this, reactor, response, parsed, started, summary] {
    absl::Status status;
    try {
      v1::LogEventsResponse out;
      status = Log(*parsed, &out);
      if (status.ok()) status = SerializeResponse(out, response);
    } catch (const std::exception& e) {
      status = InternalErrorFromException(e);
    }
    FinishCall(reactor, *policy_, kLogEvents, status, started, summary);
  });
  if (!queued) {
    FinishCall(reactor, *policy_, kLogEvents,
               absl::UnavailableError("LogEvents: too many batches waiting to be written; retry "
                                      "later (nothing was stored)"),
               started, summary);
  }
  return reactor;
}

absl::Status FeedbackServiceImpl::Log(const v1::LogEventsRequest& request,
                                      v1::LogEventsResponse* response) {
  SOUK_RETURN_IF_ERROR(engine_->CheckBatch(static_cast<size_t>(request.events_size())));
  std::vector<events::Event> well_formed;
  std::vector<size_t> position;  // index in the request of each event passed on
  std::vector<engine::EventError> refused;
  well_formed.reserve(request.events_size());
  for (int i = 0; i < request.events_size(); ++i) {
    absl::StatusOr<events::Event> event = FromProto(request.events(i));
    if (!event.ok()) {
      refused.push_back({static_cast<size_t>(i), std::string(event.status().message())});
      continue;
    }
    well_formed.push_back(*std::move(event));
    position.push_back(static_cast<size_t>(i));
  }
  engine::LogEventsResult result;
  if (!well_formed.empty()) {
    SOUK_ASSIGN_OR_RETURN(result, engine_->Log(well_formed));
    for (engine::EventError& e : result.errors) e.index = position[e.index];
  }
  result.errors.insert(result.errors.end(), refused.begin(), refused.end());
  std::sort(
      result.errors.begin(), result.errors.end(),
      [](const engine::EventError& a, const engine::EventError& b) { return a.index < b.index; });
  ToProto(result, response);
  return absl::OkStatus();
}

}  // namespace souk::api
