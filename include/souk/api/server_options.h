// Options of the gRPC server (transport, access and limits; what it serves is configured per
// component).
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "souk/api/auth.h"

namespace souk::api {

/// TLS for the gRPC port. Without cert_file the port speaks plaintext (keep it on loopback or
/// behind a TLS-terminating proxy).
struct TlsOptions {
  std::string cert_file;  ///< PEM certificate chain of the server.
  std::string key_file;   ///< PEM private key of cert_file.
  /// PEM CA certificates: when set, mutual TLS (every client must present a certificate signed
  /// by one of them).
  std::string client_ca_file;

  bool enabled() const { return !cert_file.empty(); }
  absl::Status Validate() const;
};

/// The web console (docs/console.md): a page on the HTTP port of metrics_address that searches,
/// recommends and shows A/B metrics through the server's own read-only RPCs. Off by default: it
/// has no TLS of its own, and the page shows explanations meant for the shop's staff.
struct ConsoleOptions {
  bool enabled = false;  ///< Serve GET /console/ and POST /api/... (needs metrics_address).
  /// The console's files (the repository's web/console), relative to the working directory
  /// unless absolute; read once at start-up.
  std::string static_dir = "web/console";
};

struct ServerOptions {
  /// host:port to listen on; port 0 picks a free port (tests). Loopback by default.
  std::string address = "127.0.0.1:50051";
  /// Largest request (a larger one is INVALID_ARGUMENT naming this limit) or response.
  size_t max_message_bytes = 4 << 20;
  int shutdown_grace_ms = 5000;  ///< On SIGTERM, in-flight calls get this long to finish.
  bool reflection = true;        ///< Serve grpc.reflection.v1alpha (grpcurl, debugging).
  /// host:port of the Prometheus endpoint (GET /metrics); empty: none.
  std::string metrics_address;
  TlsOptions tls;
  AuthOptions auth;
  ConsoleOptions console;
  /// Threads that run Search, Recommend and SimilarItems; 0: one per core.
  size_t workers = 0;
  /// Those calls waiting for a worker, at most; one more is RESOURCE_EXHAUSTED at once.
  size_t max_queue = 16;
  /// A call that waited longer for a worker is RESOURCE_EXHAUSTED unrun; 0: no bound.
  int max_queue_wait_ms = 0;
  /// The deadline of a call whose client set none; 0: none.
  int default_deadline_ms = 0;
  /// One info line per finished call (rpc, code, ms, caller, request id, hashed user id).
  bool access_log = false;

  absl::Status Validate() const;
};

}  // namespace souk::api
