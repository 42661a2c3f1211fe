#include "souk/api/server.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <thread>

#include "console_files.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/channel_arguments.h"
#include "http_server.h"
#include "json_gateway.h"
#include "rpc_metrics.h"
#include "souk/api/metrics_exporter.h"
#include "souk/api/services.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::api {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, std::string_view key) {
  absl::StatusOr<std::string> pem = ReadFileToString(path);
  if (!pem.ok()) return Annotate(pem.status(), StrCat("server.tls.", key));
  return pem;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const TlsOptions& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  SOUK_ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(tls.cert_file, "cert_file"));
  SOUK_ASSIGN_OR_RETURN(pair.private_key, ReadPem(tls.key_file, "key_file"));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!tls.client_ca_file.empty()) {
    SOUK_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem(tls.client_ca_file, "client_ca_file"));
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

// A random salt for the user-id hashes of the access log: the same user hashes alike within
// one process, and a log cannot be matched against a list of ids.
absl::Status DrawSalt(std::array<uint8_t, 16>* salt) {
  SOUK_ASSIGN_OR_RETURN(const std::string random, GenerateApiKey());
  const Sha256Digest digest = Sha256(random);
  std::copy_n(digest.begin(), salt->size(), salt->begin());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, const Engines& engines,
    const engine::SnapshotOptions& snapshot_options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  if (engines.search == nullptr || engines.recommend == nullptr || engines.feedback == nullptr ||
      engines.suggest == nullptr) {
    return absl::InvalidArgumentError(
        "the server needs the search, recommend, feedback and suggest engines");
  }
  SOUK_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                        Credentials(options.tls));
  std::unique_ptr<Server> server(new Server());
  server->options_ = options;
  server->policy_.max_request_bytes = options.max_message_bytes;
  SOUK_ASSIGN_OR_RETURN(server->policy_.authenticator, Authenticator::Create(options.auth));
  server->policy_.default_deadline = std::chrono::milliseconds(options.default_deadline_ms);
  server->rpc_metrics_ = std::make_unique<RpcMetrics>();
  server->policy_.metrics = server->rpc_metrics_.get();
  server->policy_.access_log = options.access_log;
  SOUK_RETURN_IF_ERROR(DrawSalt(&server->policy_.user_salt));
  const CallPolicy* policy = &server->policy_;
  const size_t workers = options.workers > 0
                             ? options.workers
                             : std::max<size_t>(1, std::thread::hardware_concurrency());
  server->queue_ = std::make_unique<RequestQueue>(
      workers, options.max_queue, std::chrono::milliseconds(options.max_queue_wait_ms));
  server->search_ = std::make_unique<SearchServiceImpl>(engines.search, engines.suggest, policy,
                                                        server->queue_.get());
  server->catalog_ = std::make_unique<CatalogServiceImpl>(engines.search, policy);
  server->admin_ = std::make_unique<AdminServiceImpl>(engines.search, engines.feedback,
                                                      snapshot_options, policy);
  server->recommend_ =
      std::make_unique<RecommendServiceImpl>(engines.recommend, policy, server->queue_.get());
  server->feedback_ = std::make_unique<FeedbackServiceImpl>(engines.feedback, policy);

  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.address, credentials, &server->port_);
  // Requests up to four times the limit are read so that ParseRequest can refuse them with
  // INVALID_ARGUMENT naming the limit; beyond that gRPC cuts them off (RESOURCE_EXHAUSTED).
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(std::min<size_t>(4 * options.max_message_bytes, INT_MAX)));
  builder.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  builder.RegisterService(server->search_.get());
  builder.RegisterService(server->catalog_.get());
  builder.RegisterService(server->admin_.get());
  builder.RegisterService(server->recommend_.get());
  builder.RegisterService(server->feedback_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(StrCat("server.address: could not listen on ", options.address));
  }
  SOUK_RETURN_IF_ERROR(server->StartHttp(engines));
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  SOUK_LOG_INFO("api", "listening on port ", server->port_,
                options.tls.enabled()
                    ? (options.tls.client_ca_file.empty() ? " (TLS)" : " (mutual TLS)")
                    : " (plaintext)",
                server->policy_.authenticator.enabled() ? ", API keys required" : "");
  return server;
}

absl::Status Server::StartHttp(const Engines& engines) {
  if (options_.metrics_address.empty()) return absl::OkStatus();
  metrics_ = std::make_unique<MetricsExporter>(
      engines.search, engines.feedback,
      ServingSources{.rpc = rpc_metrics_.get(), .queue = queue_.get()});
  if (options_.console.enabled) {
    SOUK_ASSIGN_OR_RETURN(console_files_,
                          internal::ConsoleFiles::Load(options_.console.static_dir));
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(static_cast<int>(options_.max_message_bytes));
    gateway_ = std::make_unique<internal::JsonGateway>(server_->InProcessChannel(arguments));
  }
  SOUK_ASSIGN_OR_RETURN(
      http_, internal::HttpServer::Start(options_.metrics_address, [this](const auto& request) {
        return AnswerHttp(request);
      }));
  SOUK_LOG_INFO("api", "Prometheus metrics on port ", http_->port(),
                options_.console.enabled ? StrCat(", console at http://",
                                                  options_.metrics_address.substr(
                                                      0, options_.metrics_address.rfind(':')),
                                                  ":", http_->port(), "/console/")
                                         : "");
  return absl::OkStatus();
}

internal::HttpResponse Server::AnswerHttp(const internal::HttpRequest& request) const {
  if (request.path == "/metrics") {
    if (request.method != "GET") return {.status = 405, .body = "GET /metrics\n"};
    return {.content_type = "text/plain; version=0.0.4; charset=utf-8", .body = metrics_->Scrape()};
  }
  if (gateway_ != nullptr) return AnswerConsole(request);
  return {.status = 404, .body = "only /metrics is served\n"};
}

// The console's pages (GET /console/...) and calls (POST /api/<service>/<method>).
internal::HttpResponse Server::AnswerConsole(const internal::HttpRequest& request) const {
  constexpr std::string_view kApi = "/api/", kConsole = "/console/";
  if (request.path.starts_with(kApi)) {
    return gateway_->Call(std::string_view(request.path).substr(kApi.size()), request);
  }
  if (request.path == "/" || request.path == "/console") {
    return {.status = 302, .body = "/console/\n", .headers = {{"Location", "/console/"}}};
  }
  std::string name = request.path.starts_with(kConsole) ? request.path.substr(kConsole.size()) : "";
  if (request.path == kConsole) name = "index.html";
  const internal::StaticFile* file = console_files_->Find(name);
  if (file == nullptr) return {.status = 404, .body = "not found: /metrics, /console/, /api/\n"};
  if (request.method != "GET") return {.status = 405, .body = "GET the console's files\n"};
  return {.content_type = file->content_type,
          .body = file->body,
          .headers = {{"Cache-Control", "no-cache"}}};
}

Server::~Server() {
  http_.reset();  // its thread calls into the members below
  if (server_ != nullptr) {
    Shutdown();
    Wait();
  }
}

void Server::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::milliseconds(options_.shutdown_grace_ms));
    admin_->WaitForReload();
  });
}

void Server::Wait() { server_->Wait(); }

int Server::metrics_port() const { return http_ == nullptr ? 0 : http_->port(); }

}  // namespace souk::api
