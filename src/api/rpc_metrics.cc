#include "rpc_metrics.h"

#include <string>

#include "souk/api/status_mapping.h"

namespace souk::api {
namespace {

// 100 us to ~26 s, doubling: sub-millisecond BM25 calls and multi-second reloads alike.
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  prometheus::Histogram::BucketBoundaries buckets;
  for (double b = 1e-4; b < 30; b *= 2) buckets.push_back(b);
  return buckets;
}

constexpr const char* kStages[] = {"analyze", "lexical", "encode", "ann", "rank"};

}  // namespace

RpcMetrics::RpcMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  requests_ = &prometheus::BuildCounter()
                   .Name("souk_rpc_requests_total")
                   .Help("gRPC calls finished, by RPC and status code")
                   .Register(*registry_);
  latency_ = &prometheus::BuildHistogram()
                  .Name("souk_rpc_latency_seconds")
                  .Help("Latency of gRPC calls from the handler's start, by RPC and status code")
                  .Register(*registry_);
  auto& stages = prometheus::BuildHistogram()
                     .Name("souk_search_stage_seconds")
                     .Help("Time of each Search stage that ran")
                     .Register(*registry_);
  for (size_t i = 0; i < std::size(kStages); ++i) {
    stages_[i] = &stages.Add({{"stage", kStages[i]}}, LatencyBuckets());
  }
  queue_wait_ = &prometheus::BuildHistogram()
                     .Name("souk_request_queue_wait_seconds")
                     .Help("Time queued calls waited for a worker (server.workers)")
                     .Register(*registry_)
                     .Add({}, LatencyBuckets());
}

RpcMetrics::Series RpcMetrics::SeriesOf(std::string_view rpc, grpc::StatusCode code) {
  std::lock_guard<std::mutex> lock(series_mutex_);
  const auto key = std::make_pair(rpc, static_cast<int>(code));
  auto it = series_.find(key);
  if (it != series_.end()) return it->second;
  const prometheus::Labels labels = {{"rpc", std::string(rpc)}, {"code", StatusCodeName(code)}};
  const Series series{&requests_->Add(labels), &latency_->Add(labels, LatencyBuckets())};
  series_.emplace(key, series);
  return series;
}

void RpcMetrics::ObserveCall(std::string_view rpc, grpc::StatusCode code, double seconds) {
  const Series series = SeriesOf(rpc, code);
  series.requests->Increment();
  series.latency->Observe(seconds);
}

void RpcMetrics::ObserveStages(const engine::StageTimes& t) {
  const int64_t us[] = {t.analyze_us, t.lexical_us, t.encode_us, t.ann_us, t.rank_us};
  for (size_t i = 0; i < std::size(us); ++i) {
    // The first two always run; the others only with an encoder, a ranker or rules.
    if (i < 2 || us[i] > 0) stages_[i]->Observe(static_cast<double>(us[i]) * 1e-6);
  }
}

void RpcMetrics::ObserveQueueWait(double seconds) { queue_wait_->Observe(seconds); }

std::vector<prometheus::MetricFamily> RpcMetrics::Collect() const { return registry_->Collect(); }

}  // namespace souk::api
