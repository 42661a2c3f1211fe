// Options of the gRPC server (transport only; what it serves is configured per component).
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"

namespace souk::api {

struct ServerOptions {
  /// host:port to listen on; port 0 picks a free port (tests). Loopback by default.
  std::string address = "127.0.0.1:50051";
  /// Largest request (a larger one is INVALID_ARGUMENT naming this limit) or response.
  size_t max_message_bytes = 4 << 20;
  int shutdown_grace_ms = 5000;  ///< On SIGTERM, in-flight calls get this long to finish.
  bool reflection = true;        ///< Serve grpc.reflection.v1alpha (grpcurl, debugging).
  /// host:port of the Prometheus endpoint (GET /metrics); empty: none.
  std::string metrics_address;

  absl::Status Validate() const;
};

}  // namespace souk::api
