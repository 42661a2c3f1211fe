// souk health: the standard gRPC health check of a running soukd, for container health checks
// and scripts. Exit 0 when it answers SERVING, 1 otherwise (not serving, unreachable, refused).
#include <chrono>
#include <future>
#include <iostream>
#include <string>
#include <vector>

#include "cmd_util.h"
#include "commands.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "server_connection.h"
#include "souk/api/status_mapping.h"
#include "souk/base/str_cat.h"

namespace souk::apps {
namespace {

constexpr char kUsage[] = R"(usage: souk health [connection flags] [--timeout-ms 2000]

Calls grpc.health.v1.Health/Check on a running soukd and prints SERVING or what went wrong.
Exit 0 when it is serving, 1 otherwise.
)";

// HealthCheckResponse{status: SERVING}: field 1, varint 1.
constexpr char kServing[] = "\x08\x01";

}  // namespace

int RunHealth(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value = Union({ServerConnectionFlags(), {"timeout-ms"}}), .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk health", flags.status());
  if (flags->Has("help") || !flags->positional().empty()) {
    return Usage(StrCat(kUsage, kServerConnectionUsage), flags->Has("help"));
  }
  auto timeout_ms = flags->GetInt("timeout-ms", 2000);
  if (!timeout_ms.ok()) return Fail("souk health", timeout_ms.status());
  auto connection = ServerConnection::FromFlags(*flags);
  if (!connection.ok()) return Fail("souk health", connection.status());
  // The generic stub keeps the health proto out of the build: the request is empty (all
  // services) and the answer is one varint field.
  grpc::GenericStub stub(connection->Connect());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(*timeout_ms));
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) {
    std::cerr << "souk health: " << connection->address() << ": "
              << api::StatusCodeName(status.error_code()) << ": " << status.error_message() << "\n";
    return 1;
  }
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  const bool serving = bytes == std::string(kServing, 2);
  std::cout << (serving ? "SERVING" : "NOT_SERVING") << "\n";
  return serving ? 0 : 1;
}

}  // namespace souk::apps
