// Parsing requests ourselves, so that malformed input gets a useful error.
//
// Protobuf rejects a proto3 string field holding invalid UTF-8 while parsing, and gRPC then
// answers INTERNAL with no detail. Souk's handlers take the raw bytes instead and parse them
// here: a request with a bad string gets INVALID_ARGUMENT naming the field ("query: not valid
// UTF-8"), anything else unparsable gets INVALID_ARGUMENT "malformed request". A request
// larger than the server's max_message_bytes is INVALID_ARGUMENT naming the limit (the
// transport reads up to four times that, so the sender gets this answer rather than a bare
// RESOURCE_EXHAUSTED).
#pragma once

#include <chrono>
#include <exception>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace souk::api {

absl::Status ParseRequest(const grpc::ByteBuffer& buffer, size_t max_bytes,
                          google::protobuf::Message* request);
absl::Status SerializeResponse(const google::protobuf::Message& response, grpc::ByteBuffer* buffer);
/// INTERNAL with the exception's message, logged once.
absl::Status InternalErrorFromException(const std::exception& e);

}  // namespace souk::api

#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "souk/api/call_policy.h"
#include "souk/api/request_queue.h"
#include "souk/api/status_mapping.h"

namespace souk::api {

/// Counts the call (CallPolicy::Finished) and finishes it with `status`: counted first, so that
/// a caller who got the answer finds it in the metrics and the access log.
inline void FinishCall(grpc::ServerUnaryReactor* reactor, const CallPolicy& policy, const Rpc& rpc,
                       const absl::Status& status, CallPolicy::Clock::time_point started,
                       const CallSummary& summary = {}) {
  policy.Finished(rpc, status, started, summary);
  reactor->Finish(ToGrpcStatus(status));
}

/// The first two steps of every call: the policy admits the caller for `rpc`'s role (its key's
/// name goes to `summary`), then the request is parsed within the size limit.
inline absl::Status AdmitAndParse(const grpc::ServerContextBase& context,
                                  const grpc::ByteBuffer& in, const CallPolicy& policy,
                                  const Rpc& rpc, google::protobuf::Message* request,
                                  CallSummary* summary) {
  absl::Status status = policy.Admit(context, rpc.role, &summary->caller);
  if (status.ok()) status = ParseRequest(in, policy.max_request_bytes, request);
  return status;
}

/// What the access log keeps of a request and its answer: the answer's request id and the
/// request's user id, for the messages that have them.
template <typename Request, typename Response>
void Summarize(const Request& request, const Response& response, CallSummary* summary) {
  if constexpr (requires { response.request_id(); }) summary->request_id = response.request_id();
  if constexpr (requires { request.user_id(); }) summary->user_id = request.user_id();
}

/// Runs a unary call whose handler takes raw bytes: admit the caller for `rpc`'s role, parse,
/// `handle(request, &response)` -> absl::Status, serialize, finish, count. Nothing escapes:
/// errors become the call's status.
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, const grpc::ByteBuffer* in,
                                   grpc::ByteBuffer* out, const CallPolicy& policy, const Rpc& rpc,
                                   Handler&& handle) {
  const CallPolicy::Clock::time_point started = CallPolicy::Clock::now();
  absl::Status status;
  CallSummary summary;
  try {
    Request request;
    Response response;
    status = AdmitAndParse(*context, *in, policy, rpc, &request, &summary);
    if (status.ok()) status = handle(request, &response);
    if (status.ok()) status = SerializeResponse(response, out);
    Summarize(request, response, &summary);
  } catch (const std::exception& e) {
    // Our code does not throw; this catches the standard library's and third parties' last
    // resorts (bad_alloc, filesystem errors) so that one request cannot take the server down.
    status = InternalErrorFromException(e);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  FinishCall(reactor, policy, rpc, status, started, summary);
  return reactor;
}

/// As RunUnary, but the handler runs on `queue`'s workers: admit and parse here, on gRPC's
/// thread, then `handle(request, deadline, &response)` on a worker, unless the queue is full
/// (RESOURCE_EXHAUSTED at once) or the call waited too long or past its deadline there.
template <typename Request, typename Response, typename Handler>
grpc::ServerUnaryReactor* RunQueued(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* in, grpc::ByteBuffer* out,
                                    const CallPolicy& policy, const Rpc& rpc, RequestQueue& queue,
                                    Handler handle) {
  const CallPolicy::Clock::time_point started = CallPolicy::Clock::now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto request = std::make_shared<Request>();
  auto summary = std::make_shared<CallSummary>();
  absl::Status status = AdmitAndParse(*context, *in, policy, rpc, request.get(), summary.get());
  const CallPolicy::Clock::time_point deadline = policy.Deadline(*context);
  if (status.ok()) {
    status = queue.Submit(deadline, [reactor, out, request, summary, deadline, started, &policy,
                                     rpc, handle](const absl::Status& admitted) {
      policy.QueueWaited(CallPolicy::Clock::now() - started);
      absl::Status result = admitted;
      try {
        Response response;
        if (result.ok()) result = handle(*request, deadline, &response);
        if (result.ok()) result = SerializeResponse(response, out);
        Summarize(*request, response, summary.get());
      } catch (const std::exception& e) {
        result = InternalErrorFromException(e);
      }
      FinishCall(reactor, policy, rpc, result, started, *summary);
    });
  }
  if (!status.ok()) FinishCall(reactor, policy, rpc, status, started, *summary);
  return reactor;
}

}  // namespace souk::api
