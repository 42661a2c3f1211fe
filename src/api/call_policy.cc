#include "souk/api/call_policy.h"

#include <string_view>

namespace souk::api {
namespace {

std::string_view Metadata(const grpc::ServerContextBase& context, std::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  return it == metadata.end() ? std::string_view()
                              : std::string_view(it->second.data(), it->second.size());
}

}  // namespace

absl::Status CallPolicy::Admit(const grpc::ServerContextBase& context, Role role) const {
  if (!authenticator.enabled()) return absl::OkStatus();
  return authenticator.Authorize(Metadata(context, "authorization"), Metadata(context, "x-api-key"),
                                 role);
}

std::chrono::steady_clock::time_point CallPolicy::Deadline(
    const grpc::ServerContextBase& context) const {
  const auto steady_now = std::chrono::steady_clock::now();
  const auto system_now = std::chrono::system_clock::now();
  // A call without a deadline reports one centuries away: anything beyond a day is "none".
  const auto left = context.deadline() - system_now;
  if (left < std::chrono::hours(24)) {
    return steady_now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(left);
  }
  if (default_deadline.count() > 0) return steady_now + default_deadline;
  return std::chrono::steady_clock::time_point::max();
}

}  // namespace souk::api
