#include "souk/api/call_policy.h"

#include <string_view>

#include "rpc_metrics.h"
#include "souk/base/logging.h"

namespace souk::api {
namespace {

std::string_view Metadata(const grpc::ServerContextBase& context, std::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  return it == metadata.end() ? std::string_view()
                              : std::string_view(it->second.data(), it->second.size());
}

double Seconds(CallPolicy::Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

absl::Status CallPolicy::Admit(const grpc::ServerContextBase& context, Role role,
                               std::string* caller) const {
  if (!authenticator.enabled()) return absl::OkStatus();
  return authenticator.Authorize(Metadata(context, "authorization"), Metadata(context, "x-api-key"),
                                 role, caller);
}

CallPolicy::Clock::time_point CallPolicy::Deadline(const grpc::ServerContextBase& context) const {
  const auto steady_now = Clock::now();
  const auto system_now = std::chrono::system_clock::now();
  // A call without a deadline reports one centuries away: anything beyond a day is "none".
  const auto left = context.deadline() - system_now;
  if (left < std::chrono::hours(24)) {
    return steady_now + std::chrono::duration_cast<Clock::duration>(left);
  }
  if (default_deadline.count() > 0) return steady_now + default_deadline;
  return Clock::time_point::max();
}

void CallPolicy::Finished(const Rpc& rpc, const absl::Status& status, Clock::time_point started,
                          const CallSummary& summary) const {
  const Clock::duration took = Clock::now() - started;
  if (metrics != nullptr) {
    // absl::StatusCode and grpc::StatusCode share their numbering.
    metrics->ObserveCall(rpc.name, static_cast<grpc::StatusCode>(status.code()), Seconds(took));
  }
  if (!access_log || !logging::Enabled(logging::Level::kInfo)) return;
  logging::WriteFields(
      logging::Level::kInfo, "access", rpc.name,
      {{"code", absl::StatusCodeToString(status.code())},
       {"ms", StrCat(std::chrono::duration<double, std::milli>(took).count())},
       {"caller", summary.caller},
       {"request_id", summary.request_id},
       {"user", summary.user_id.empty() ? std::string() : HashUserId(summary.user_id)},
       {"error", status.ok() ? std::string() : std::string(status.message())}});
}

void CallPolicy::QueueWaited(Clock::duration waited) const {
  if (metrics != nullptr) metrics->ObserveQueueWait(Seconds(waited));
}

void CallPolicy::SearchStages(const engine::StageTimes& times) const {
  if (metrics != nullptr) metrics->ObserveStages(times);
}

std::string CallPolicy::HashUserId(std::string_view user_id) const {
  std::string salted(reinterpret_cast<const char*>(user_salt.data()), user_salt.size());
  salted.append(user_id);
  return ToHex(Sha256(salted)).substr(0, 16);
}

}  // namespace souk::api
