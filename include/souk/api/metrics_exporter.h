// MetricsExporter: Prometheus metrics over HTTP (GET /metrics on server.metrics_address), what
// ops already scrape. Computed at each scrape from the engines (nothing is counted twice), plus
// the calls' counters and histograms (rpc_metrics.h) and the request queue's counters
// (docs/operations.md lists every family):
//
//   souk_events_logged                         events in the feedback log
//   souk_snapshot_loaded_timestamp_seconds     when the serving snapshot was loaded
//   souk_<outcome>_total{variant}              searches, impressions, clicks, add_to_carts,
//                                              purchases, units, revenue, sessions,
//                                              converted_sessions, since the log began
//   souk_<rate>{variant,window="24h"}          click_through, add_to_cart, conversion,
//                                              repeat_purchase, returning_users,
//                                              revenue_per_search over the last 24 hours,
//   souk_<rate>_low / _high{variant,window}    and the bounds of their 95% intervals
//
// The text comes from prometheus-cpp's serializer; the server's HTTP port (server.metrics_address)
// answers GET /metrics with it.
//
// Thread-safety: Scrape() may be called from any thread; the engines are thread-safe.
#pragma once

#include <string>

#include "souk/engine/feedback_engine.h"
#include "souk/engine/search_engine.h"

namespace souk::api {

class RpcMetrics;
class RequestQueue;

/// What the exporter reads besides the engines; each may be null (not exported).
struct ServingSources {
  const RpcMetrics* rpc = nullptr;
  const RequestQueue* queue = nullptr;
};

class MetricsExporter {
 public:
  /// The engines and sources must outlive the exporter.
  MetricsExporter(const engine::SearchEngine* search, const engine::FeedbackEngine* feedback,
                  const ServingSources& sources = {})
      : search_(search), feedback_(feedback), sources_(sources) {}

  /// The exposition text of the metrics now (what GET /metrics answers).
  std::string Scrape() const;

 private:
  const engine::SearchEngine* search_;
  const engine::FeedbackEngine* feedback_;
  const ServingSources sources_;
};

}  // namespace souk::api
