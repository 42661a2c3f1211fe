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
// The text comes from prometheus-cpp's serializer; the HTTP side is a minimal HTTP/1.0
// responder of our own on one thread (prometheus-cpp's civetweb starts its threads with a fixed
// stack smaller than the thread-local storage libtorch and OpenBLAS bring into the process, and
// fails). Scrapes are seconds apart: one connection at a time, each with a 2 s deadline.
//
// Thread-safety: scrapes run on the exporter's thread; the engines are thread-safe. The
// destructor stops the thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
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
  /// Listens on `address` (IPv4 host:port; port 0 picks one). INVALID_ARGUMENT for a malformed
  /// address, UNAVAILABLE when it cannot listen; both name server.metrics_address. The
  /// engines must outlive the exporter.
  static absl::StatusOr<std::unique_ptr<MetricsExporter>> Start(
      const std::string& address, const engine::SearchEngine* search,
      const engine::FeedbackEngine* feedback, const ServingSources& sources = {});
  ~MetricsExporter();

  int port() const { return port_; }
  /// The exposition text of the metrics now (what GET /metrics answers).
  std::string Scrape() const;

 private:
  MetricsExporter(const engine::SearchEngine* search, const engine::FeedbackEngine* feedback,
                  const ServingSources& sources)
      : search_(search), feedback_(feedback), sources_(sources) {}
  void Serve();
  void Answer(int connection) const;

  const engine::SearchEngine* search_;
  const engine::FeedbackEngine* feedback_;
  const ServingSources sources_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace souk::api
