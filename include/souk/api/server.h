// Server: the gRPC server that hosts Souk's services, the standard health service and
// reflection.
//
// Health reports SERVING as soon as Start() returns (the engine already holds a loaded
// snapshot). Shutdown() reports NOT_SERVING, stops accepting calls and gives in-flight calls
// shutdown_grace_ms to finish. Thread-safety: Shutdown() may be called from any thread, more
// than once; only the first call acts.
#pragma once

#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "souk/api/call_policy.h"
#include "souk/api/request_queue.h"
#include "souk/api/server_options.h"
#include "souk/engine/engine_options.h"
#include "souk/engine/feedback_engine.h"
#include "souk/engine/recommend_engine.h"
#include "souk/engine/search_engine.h"
#include "souk/engine/suggest_engine.h"

namespace grpc {
class Server;
}  // namespace grpc

namespace souk::api {

class SearchServiceImpl;
class CatalogServiceImpl;
class AdminServiceImpl;
class RecommendServiceImpl;
class FeedbackServiceImpl;
class MetricsExporter;
class RpcMetrics;
namespace internal {
class ConsoleFiles;
class HttpServer;
struct HttpRequest;
struct HttpResponse;
class JsonGateway;
}  // namespace internal

/// What the services call; all four are required.
struct Engines {
  engine::SearchEngine* search = nullptr;
  engine::RecommendEngine* recommend = nullptr;
  engine::FeedbackEngine* feedback = nullptr;
  const engine::SuggestEngine* suggest = nullptr;
};

class Server {
 public:
  /// Binds `options.address` and starts serving. The engines must outlive the server;
  /// `snapshot_options` is what Reload loads with.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options, const Engines& engines,
      const engine::SnapshotOptions& snapshot_options);
  ~Server();

  /// The bound port (useful with port 0).
  int port() const { return port_; }
  /// The HTTP port (GET /metrics, and the console with server.console.enabled); 0 without
  /// server.metrics_address.
  int metrics_port() const;
  /// Stops accepting calls, lets in-flight calls finish for up to shutdown_grace_ms, then
  /// cancels the rest.
  void Shutdown();
  /// Blocks until the server has shut down.
  void Wait();

 private:
  Server() = default;
  /// Starts http_ on metrics_address once server_ runs (the console calls into it).
  absl::Status StartHttp(const Engines& engines);
  internal::HttpResponse AnswerHttp(const internal::HttpRequest& request) const;
  internal::HttpResponse AnswerConsole(const internal::HttpRequest& request) const;

  ServerOptions options_;
  std::unique_ptr<RpcMetrics> rpc_metrics_;  ///< Counts every call; read by metrics_.
  CallPolicy policy_;  ///< Shared by the services below; fixed once Start() returns.
  /// Where query calls wait for a worker. Outlives the gRPC server, which waits at shutdown
  /// for the calls queued here.
  std::unique_ptr<RequestQueue> queue_;
  int port_ = 0;
  std::once_flag shutdown_once_;
  std::unique_ptr<SearchServiceImpl> search_;
  std::unique_ptr<CatalogServiceImpl> catalog_;
  std::unique_ptr<AdminServiceImpl> admin_;
  std::unique_ptr<RecommendServiceImpl> recommend_;
  std::unique_ptr<FeedbackServiceImpl> feedback_;
  std::unique_ptr<MetricsExporter> metrics_;  ///< With server.metrics_address.
  std::unique_ptr<grpc::Server> server_;
  /// With server.console.enabled: its files, and its calls into server_ (in-process).
  std::unique_ptr<internal::ConsoleFiles> console_files_;
  std::unique_ptr<internal::JsonGateway> gateway_;
  /// The HTTP port of metrics_address; answers with the members above, so it stops first.
  std::unique_ptr<internal::HttpServer> http_;
};

}  // namespace souk::api
