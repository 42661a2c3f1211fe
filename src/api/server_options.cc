#include "souk/api/server_options.h"

#include <climits>

namespace souk::api {

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
  return absl::OkStatus();
}

}  // namespace souk::api
