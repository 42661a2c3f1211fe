#include "json_gateway.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "nlohmann/json.hpp"
#include "souk/base/str_cat.h"

namespace souk::api::internal {
namespace {

namespace pb = google::protobuf;

// Long enough for any console call; the server's own limits apply within it.
constexpr auto kCallDeadline = std::chrono::seconds(10);

HttpResponse JsonResponse(int status, std::string body) {
  return HttpResponse{
      .status = status, .content_type = "application/json; charset=utf-8", .body = std::move(body)};
}

HttpResponse JsonError(int status, std::string_view code, std::string_view message) {
  // Messages may quote a request's bytes: invalid UTF-8 is replaced, never thrown on.
  const nlohmann::json body = {{"code", code}, {"message", message}};
  return JsonResponse(status,
                      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

// The HTTP status of a gRPC status code (the mapping grpc-gateway uses).
int HttpStatus(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return bytes;
}

// One unary call of `path` ("/souk.v1.SearchService/Search") with the request's bytes.
grpc::Status UnaryCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& path,
                       const HttpRequest& http, const std::string& request, std::string* reply) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  for (const char* header : {"authorization", "x-api-key"}) {
    if (const std::string value = http.Header(header); !value.empty()) {
      context.AddMetadata(header, value);
    }
  }
  grpc::GenericStub stub(channel);
  const grpc::ByteBuffer request_buffer = ToBuffer(request);
  grpc::ByteBuffer reply_buffer;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, path, grpc::StubOptions(), &request_buffer, &reply_buffer,
                 [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  if (status.ok()) *reply = FromBuffer(reply_buffer);
  return status;
}

}  // namespace

HttpResponse JsonGateway::Call(std::string_view method, const HttpRequest& request) const {
  if (std::find(std::begin(kConsoleMethods), std::end(kConsoleMethods), method) ==
      std::end(kConsoleMethods)) {
    return JsonError(404, "NOT_FOUND", StrCat("no console method '", method, "'"));
  }
  if (request.method != "POST") {
    return JsonError(405, "INVALID_ARGUMENT", StrCat("POST the JSON request to /api/", method));
  }
  std::string full_name(method);
  std::replace(full_name.begin(), full_name.end(), '/', '.');
  const pb::MethodDescriptor* descriptor =
      pb::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  if (descriptor == nullptr) {
    return JsonError(500, "INTERNAL", StrCat("method ", method, " is not linked in"));
  }
  pb::MessageFactory* factory = pb::MessageFactory::generated_factory();
  std::unique_ptr<pb::Message> input(factory->GetPrototype(descriptor->input_type())->New());
  const auto parsed = pb::util::JsonStringToMessage(request.body.empty() ? "{}" : request.body,
                                                    input.get(), pb::util::JsonParseOptions());
  if (!parsed.ok()) {
    return JsonError(400, "INVALID_ARGUMENT",
                     StrCat("request body is not a JSON ", descriptor->input_type()->full_name(),
                            ": ", parsed.ToString()));
  }
  std::string reply;
  const grpc::Status status =
      UnaryCall(channel_, StrCat("/", method), request, input->SerializeAsString(), &reply);
  if (!status.ok()) {
    return JsonError(HttpStatus(status.error_code()), CodeName(status.error_code()),
                     status.error_message());
  }
  std::unique_ptr<pb::Message> output(factory->GetPrototype(descriptor->output_type())->New());
  if (!output->ParseFromString(reply)) {
    return JsonError(500, "INTERNAL", "the server's answer did not parse");
  }
  pb::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  print.always_print_primitive_fields = true;
  std::string json;
  const auto printed = pb::util::MessageToJsonString(*output, &json, print);
  if (!printed.ok()) return JsonError(500, "INTERNAL", printed.ToString());
  return JsonResponse(200, std::move(json));
}

}  // namespace souk::api::internal
