#include "souk/api/server_options.h"

#include <climits>

namespace souk::api {

absl::Status TlsOptions::Validate() const {
  if (cert_file.empty() != key_file.empty()) {
    return absl::InvalidArgumentError(
        "server.tls: cert_file and key_file go together (set both, or neither for plaintext)");
  }
  if (!client_ca_file.empty() && cert_file.empty()) {
    return absl::InvalidArgumentError(
        "server.tls.client_ca_file: mutual TLS needs the server's cert_file and key_file too");
  }
  return absl::OkStatus();
}

absl::Status ServerOptions::Validate() const {
  if (address.empty() || address.find(':') == std::string::npos) {
    return absl::InvalidArgumentError("server.address: expected host:port");
  }
  if (max_message_bytes < 1024 || max_message_bytes > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError("server.max_message_bytes: must be in 1024..2147483647");
  }
  if (shutdown_grace_ms < 0) {
    return absl::InvalidArgumentError("server.shutdown_grace_ms: must be >= 0");
  }
  if (workers > 1024) return absl::InvalidArgumentError("server.workers: must be in 0..1024");
  if (max_queue < 1 || max_queue > 1000000) {
    return absl::InvalidArgumentError("server.max_queue: must be in 1..1000000");
  }
  if (max_queue_wait_ms < 0) {
    return absl::InvalidArgumentError("server.max_queue_wait_ms: must be >= 0");
  }
  if (default_deadline_ms < 0) {
    return absl::InvalidArgumentError("server.default_deadline_ms: must be >= 0");
  }
  if (console.enabled && metrics_address.empty()) {
    return absl::InvalidArgumentError(
        "server.console.enabled: the console is served on the HTTP port of "
        "server.metrics_address; set that too");
  }
  if (console.enabled && console.static_dir.empty()) {
    return absl::InvalidArgumentError("server.console.static_dir: empty (e.g. web/console)");
  }
  if (absl::Status s = tls.Validate(); !s.ok()) return s;
  return auth.Validate();
}

}  // namespace souk::api
