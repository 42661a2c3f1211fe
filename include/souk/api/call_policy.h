// What every RPC goes through around its handler: before, the request size limit, the caller's
// API key and role (auth.h) and the call's deadline; after, the metrics and the access log.
//
// gRPC C++ server interceptors can observe a call but cannot end it before its handler runs, so
// each handler asks the policy first (RunUnary and RunQueued in raw_request.h do it).
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "souk/api/auth.h"
#include "souk/engine/search_engine.h"

namespace souk::api {

class RpcMetrics;

/// An RPC as the policy sees it: its name (metrics, logs) and the role it needs.
struct Rpc {
  const char* name;
  Role role;
};

/// What the access log says of a call beyond its RPC, status and time.
struct CallSummary {
  std::string caller;      ///< The API key's name; empty without authentication.
  std::string request_id;  ///< The answer's, when it has one.
  std::string user_id;     ///< The request's, when it has one: logged hashed, never in clear.
};

struct CallPolicy {
  using Clock = std::chrono::steady_clock;

  size_t max_request_bytes = 4 << 20;
  Authenticator authenticator;  ///< Off (allows everything) unless keys are configured.
  /// The deadline of a call whose client set none; 0: none.
  std::chrono::milliseconds default_deadline{0};
  RpcMetrics* metrics = nullptr;  ///< Where finished calls are counted; null: nowhere.
  bool access_log = false;        ///< One info line per finished call.
  /// Salt of the user-id hashes in the access log (random per process by default), so that a
  /// log line cannot be matched against a list of known ids.
  std::array<uint8_t, 16> user_salt{};

  /// OK, or UNAUTHENTICATED / PERMISSION_DENIED naming what was wrong (never the key).
  /// `*caller` gets the key's name.
  absl::Status Admit(const grpc::ServerContextBase& context, Role role,
                     std::string* caller = nullptr) const;
  /// The call's deadline on the steady clock: the client's, else default_deadline from now,
  /// else time_point::max().
  Clock::time_point Deadline(const grpc::ServerContextBase& context) const;

  /// Counts a finished call (and logs it with access_log).
  void Finished(const Rpc& rpc, const absl::Status& status, Clock::time_point started,
                const CallSummary& summary) const;
  void QueueWaited(Clock::duration waited) const;
  void SearchStages(const engine::StageTimes& times) const;
  /// The first 16 hex digits of SHA-256(user_salt + user_id).
  std::string HashUserId(std::string_view user_id) const;
};

}  // namespace souk::api
