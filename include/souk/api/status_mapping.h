// The one mapping from absl::Status (Souk's errors) to grpc::Status (the wire).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace souk::api {

/// Same code (the two enums share their numbering) and message.
grpc::Status ToGrpcStatus(const absl::Status& status);
/// The code's google.rpc.Code name ("INVALID_ARGUMENT"); "UNKNOWN" for a code outside it.
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace souk::api
