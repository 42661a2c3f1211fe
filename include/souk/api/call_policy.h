// What every RPC goes through before its handler runs: the request size limit and the caller's
// API key and role (auth.h).
//
// gRPC C++ server interceptors can observe a call but cannot end it before its handler runs, so
// each handler asks the policy first (RunUnary in raw_request.h does it for the unary handlers).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "souk/api/auth.h"

namespace souk::api {

struct CallPolicy {
  size_t max_request_bytes = 4 << 20;
  Authenticator authenticator;  ///< Off (allows everything) unless keys are configured.

  /// OK, or UNAUTHENTICATED / PERMISSION_DENIED naming what was wrong (never the key).
  absl::Status Admit(const grpc::ServerContextBase& context, Role role) const;
};

}  // namespace souk::api
