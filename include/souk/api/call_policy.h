// What every RPC goes through before its handler runs: the request size limit, the caller's API
// key and role (auth.h), and the call's deadline.
//
// gRPC C++ server interceptors can observe a call but cannot end it before its handler runs, so
// each handler asks the policy first (RunUnary in raw_request.h does it for the unary handlers).
#pragma once

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "souk/api/auth.h"

namespace souk::api {

struct CallPolicy {
  size_t max_request_bytes = 4 << 20;
  Authenticator authenticator;  ///< Off (allows everything) unless keys are configured.
  /// The deadline of a call whose client set none; 0: none.
  std::chrono::milliseconds default_deadline{0};

  /// OK, or UNAUTHENTICATED / PERMISSION_DENIED naming what was wrong (never the key).
  absl::Status Admit(const grpc::ServerContextBase& context, Role role) const;
  /// The call's deadline on the steady clock: the client's, else default_deadline from now,
  /// else time_point::max().
  std::chrono::steady_clock::time_point Deadline(const grpc::ServerContextBase& context) const;
};

}  // namespace souk::api
