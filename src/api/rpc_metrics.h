// RpcMetrics (private to api/): what the serving path counts per call, for the Prometheus endpoint
// (metrics_exporter.h), kept in prometheus-cpp's registry:
//
//   souk_rpc_requests_total{rpc,code}            calls finished, by RPC and gRPC status code
//   souk_rpc_latency_seconds{rpc,code}           their latency, from the handler's start
//   souk_search_stage_seconds{stage}             analyze, lexical, encode, ann, rank (stages
//                                                that ran)
//   souk_request_queue_wait_seconds              time queued calls waited for a worker
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "grpcpp/support/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"
#include "souk/engine/search_engine.h"

namespace souk::api {

class RpcMetrics {
 public:
  RpcMetrics();

  /// `rpc` must outlive this object (the services pass Rpc::name, a string literal).
  void ObserveCall(std::string_view rpc, grpc::StatusCode code, double seconds);
  void ObserveStages(const engine::StageTimes& times);
  void ObserveQueueWait(double seconds);

  std::vector<prometheus::MetricFamily> Collect() const;

 private:
  struct Series {
    prometheus::Counter* requests;
    prometheus::Histogram* latency;
  };
  // prometheus-cpp's Family::Add builds a new metric on every call before it finds the old
  // one: each (rpc, code) pair is added once and kept here.
  Series SeriesOf(std::string_view rpc, grpc::StatusCode code);

  std::shared_ptr<prometheus::Registry> registry_;
  std::mutex series_mutex_;
  /// Keyed by the RPC's name, which is a string literal (Rpc::name) and so outlives the map.
  std::map<std::pair<std::string_view, int>, Series> series_;  ///< Guarded by the mutex.
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Histogram* stages_[5];
  prometheus::Histogram* queue_wait_;
};

}  // namespace souk::api
