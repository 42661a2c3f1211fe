#include "souk/api/server.h"

#include <chrono>

#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "souk/api/services.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

namespace souk::api {

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, engine::SearchEngine* engine,
    engine::RecommendEngine* recommend_engine, const engine::SnapshotOptions& snapshot_options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  std::unique_ptr<Server> server(new Server());
  server->options_ = options;
  server->search_ = std::make_unique<SearchServiceImpl>(engine);
  server->catalog_ = std::make_unique<CatalogServiceImpl>(engine);
  server->admin_ = std::make_unique<AdminServiceImpl>(engine, snapshot_options);
  server->recommend_ = std::make_unique<RecommendServiceImpl>(recommend_engine);
  server->feedback_ = std::make_unique<FeedbackServiceImpl>();

  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // TLS and authentication arrive with the production-server work; loopback by default.
  builder.AddListeningPort(options.address, grpc::InsecureServerCredentials(), &server->port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
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
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  SOUK_LOG_INFO("api", "listening on port ", server->port_);
  return server;
}

Server::~Server() {
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

}  // namespace souk::api
