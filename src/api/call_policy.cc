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

}  // namespace souk::api
