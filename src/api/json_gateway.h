// JsonGateway (private to api/): the web console's JSON calls. POST /api/<service>/<method> with
// a JSON request body (protobuf's JSON mapping of the method's request message, field names as
// in proto/) is sent as that very gRPC call to the server's own services over an in-process
// channel, so the console goes through the same authentication, limits, queue, metrics and
// engines as any client: there is no second implementation. The answer is the response message
// in JSON, or {"code": "INVALID_ARGUMENT", "message": ...} with the matching HTTP status.
//
// Only the read-only methods in kConsoleMethods are reachable; the rest (LogEvents, Reload,
// catalog writes, SetRules) are 404 here. The `authorization` and `x-api-key` headers travel as
// the call's metadata, so with server.auth the console needs a key like any client.
//
// Thread-safety: Call() may be called from any thread.
#pragma once

#include <memory>
#include <string_view>

#include "http_server.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace souk::api::internal {

/// The methods the console may call, as "<package>.<Service>/<Method>".
inline constexpr std::string_view kConsoleMethods[] = {
    "souk.v1.SearchService/Search",       "souk.v1.SearchService/Suggest",
    "souk.v1.RecommendService/Recommend", "souk.v1.RecommendService/SimilarItems",
    "souk.v1.CatalogService/GetProduct",  "souk.v1.AdminService/Stats",
    "souk.v1.AdminService/GetRules"};

class JsonGateway {
 public:
  /// `channel` reaches the server's own services (grpc::Server::InProcessChannel).
  explicit JsonGateway(std::shared_ptr<grpc::Channel> channel) : channel_(std::move(channel)) {}

  /// Calls `method` ("souk.v1.SearchService/Search") with `request`'s JSON body.
  HttpResponse Call(std::string_view method, const HttpRequest& request) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace souk::api::internal
