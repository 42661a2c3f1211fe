// souk query: calls a running server's Search over gRPC and prints the answer as a table; the
// quickest check that a deployment answers, without other tools.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <iostream>

#include "cmd_util.h"
#include "commands.h"
#include "server_connection.h"
#include "souk/api/proto_conversion.h"
#include "souk/api/status_mapping.h"
#include "souk/base/str_cat.h"
#include "souk/v1/search.grpc.pb.h"

namespace souk::apps {

namespace {

constexpr char kUsage[] =
    R"(usage: souk query [--server HOST:PORT] [--k N] [--brand B ...] [--category "A > B"]
                  [--timeout-ms MS] "a query"

Calls SearchService.Search on a running soukd (default 127.0.0.1:50051) and prints the results.
)";

}  // namespace

int RunQuery(int argc, char** argv) {
  auto flags = Flags::Parse(
      argc, argv, 2,
      {.with_value = Union({ServerConnectionFlags(), {"k", "brand", "category", "timeout-ms"}}),
       .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk query", flags.status());
  if (flags->Has("help") || flags->positional().size() != 1) {
    return Usage(StrCat(kUsage, kServerConnectionUsage), flags->Has("help"));
  }
  auto k = flags->GetInt("k", 10);
  auto timeout_ms = flags->GetInt("timeout-ms", 5000);
  if (!k.ok()) return Fail("souk query", k.status());
  if (!timeout_ms.ok()) return Fail("souk query", timeout_ms.status());

  v1::SearchRequest request;
  request.set_query(flags->positional()[0]);
  request.set_page_size(static_cast<int32_t>(*k));
  request.set_include_products(true);
  for (const std::string& brand : flags->GetAll("brand"))
    request.mutable_filters()->add_brands(brand);
  request.mutable_filters()->set_category(flags->Get("category"));

  auto connection = ServerConnection::FromFlags(*flags);
  if (!connection.ok()) return Fail("souk query", connection.status());
  auto stub = v1::SearchService::NewStub(connection->Connect());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(*timeout_ms));
  v1::SearchResponse response;
  const grpc::Status status = stub->Search(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "souk query: " << api::StatusCodeName(status.error_code()) << ": "
              << status.error_message() << "\n";
    return 1;
  }
  std::vector<catalog::Product> products;
  products.reserve(response.results_size());
  for (const v1::SearchResult& r : response.results())
    products.push_back(api::FromProto(r.product()));
  std::vector<ResultRow> rows;
  for (int i = 0; i < response.results_size(); ++i) {
    rows.push_back({&products[i], response.results(i).score()});
  }
  PrintResultTable(rows);
  std::cout << "request_id " << response.request_id() << "\n";
  return 0;
}

}  // namespace souk::apps
