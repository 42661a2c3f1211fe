// souk admin: operations on a running soukd over AdminService: reload the snapshot (once, or
// many times in a row to exercise hot reload under load), and read its stats as JSON.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "cmd_util.h"
#include "commands.h"
#include "google/protobuf/util/json_util.h"
#include "server_connection.h"
#include "souk/api/status_mapping.h"
#include "souk/base/str_cat.h"
#include "souk/v1/admin.grpc.pb.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] =
    R"(usage: souk admin reload [--server HOST:PORT] [--index-dir DIR] [--times N]
                         [--interval-ms MS] [--timeout-ms MS]
       souk admin stats [--server HOST:PORT] [--window-hours H] [--window-end-ms MS]

reload  AdminService.Reload: loads the snapshot again (the configured index directory, or
        --index-dir) and swaps it in; --times N reloads N times, --interval-ms apart, and
        prints each one's time. Exit 1 if any reload failed.
stats   AdminService.Stats as JSON: the snapshot, and the business metrics per A/B variant
        over the window (--window-hours, default 24, ending --window-end-ms, default now).
--server defaults to 127.0.0.1:50051.
)";

using Stub = v1::AdminService::Stub;

int Reload(Stub& stub, const Flags& flags) {
  auto times = flags.GetInt("times", 1);
  auto interval_ms = flags.GetInt("interval-ms", 0);
  auto timeout_ms = flags.GetInt("timeout-ms", 600000);
  for (const auto* value : {&times, &interval_ms, &timeout_ms}) {
    if (!value->ok()) return Fail("souk admin reload", value->status());
  }
  if (*times < 1 || *times > 100000 || *interval_ms < 0 || *timeout_ms < 1) {
    std::cerr << "souk admin reload: --times must be 1..100000, --interval-ms >= 0, "
                 "--timeout-ms >= 1\n";
    return 2;
  }
  v1::ReloadRequest request;
  request.set_index_dir(flags.Get("index-dir"));
  int failed = 0;
  for (int64_t i = 0; i < *times; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(*interval_ms));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(*timeout_ms));
    v1::ReloadResponse response;
    const auto start = std::chrono::steady_clock::now();
    const grpc::Status status = stub.Reload(&context, request, &response);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (status.ok()) {
      std::cout << "reload " << i + 1 << ": " << response.snapshot_version() << " in " << ms
                << " ms\n";
    } else {
      ++failed;
      std::cout << "reload " << i + 1 << ": " << api::StatusCodeName(status.error_code()) << ": "
                << status.error_message() << "\n";
    }
  }
  std::cout << "reloads: " << *times - failed << " ok, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

int Stats(Stub& stub, const Flags& flags) {
  auto hours = flags.GetInt("window-hours", 24);
  auto end_ms = flags.GetInt("window-end-ms", 0);
  if (!hours.ok()) return Fail("souk admin stats", hours.status());
  if (!end_ms.ok()) return Fail("souk admin stats", end_ms.status());
  v1::StatsRequest request;
  request.set_window_hours(static_cast<uint32_t>(std::max<int64_t>(0, *hours)));
  request.set_window_end_unix_ms(*end_ms);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::StatsResponse response;
  const grpc::Status status = stub.Stats(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "souk admin stats: " << api::StatusCodeName(status.error_code()) << ": "
              << status.error_message() << "\n";
    return 1;
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;  // zero rates too
  (void)google::protobuf::util::MessageToJsonString(response, &json, options);
  std::cout << json;
  return 0;
}

}  // namespace

int RunAdmin(int argc, char** argv) {
  auto flags = Flags::Parse(argc, argv, 2,
                            {.with_value = Union({ServerConnectionFlags(),
                                                  {"index-dir", "times", "interval-ms",
                                                   "timeout-ms", "window-hours", "window-end-ms"}}),
                             .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk admin", flags.status());
  if (flags->Has("help") || flags->positional().size() != 1) {
    return Usage(StrCat(kUsage, kServerConnectionUsage), flags->Has("help"));
  }
  auto connection = ServerConnection::FromFlags(*flags);
  if (!connection.ok()) return Fail("souk admin", connection.status());
  auto stub = v1::AdminService::NewStub(connection->Connect());
  const std::string& action = flags->positional()[0];
  if (action == "reload") return Reload(*stub, *flags);
  if (action == "stats") return Stats(*stub, *flags);
  std::cerr << "souk admin: unknown action '" << action << "' (reload or stats)\n" << kUsage;
  return 2;
}

}  // namespace souk::apps
