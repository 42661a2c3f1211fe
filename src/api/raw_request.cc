#include "souk/api/raw_request.h"

#include <optional>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"
#include "souk/base/logging.h"
#include "souk/base/str_cat.h"
#include "souk/base/utf8.h"

namespace souk::api {
namespace {

namespace pb = google::protobuf;

// Walks the wire format of `bytes` with the message's schema and returns the dotted path of the
// first string field that is not UTF-8.
std::optional<std::string> FindInvalidUtf8(const std::string& bytes, const pb::Descriptor& type,
                                           const std::string& prefix) {
  pb::UnknownFieldSet fields;
  if (!fields.ParseFromString(bytes)) return std::nullopt;
  for (int i = 0; i < fields.field_count(); ++i) {
    const pb::UnknownField& f = fields.field(i);
    if (f.type() != pb::UnknownField::TYPE_LENGTH_DELIMITED) continue;
    const pb::FieldDescriptor* field = type.FindFieldByNumber(f.number());
    if (field == nullptr) continue;
    const std::string path = prefix.empty() ? field->name() : StrCat(prefix, ".", field->name());
    if (field->type() == pb::FieldDescriptor::TYPE_STRING && !IsValidUtf8(f.length_delimited())) {
      return path;
    }
    if (field->type() == pb::FieldDescriptor::TYPE_MESSAGE) {
      if (auto inner = FindInvalidUtf8(f.length_delimited(), *field->message_type(), path)) {
        return inner;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

absl::Status ParseRequest(const grpc::ByteBuffer& buffer, size_t max_bytes, pb::Message* request) {
  if (buffer.Length() > max_bytes) {
    return absl::InvalidArgumentError(StrCat("request is ", buffer.Length(),
                                             " bytes; the limit is ", max_bytes,
                                             " (server.max_message_bytes)"));
  }
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return absl::InvalidArgumentError("malformed request");
  std::string bytes;
  bytes.reserve(buffer.Length());
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  if (request->ParseFromString(bytes)) return absl::OkStatus();
  if (auto field = FindInvalidUtf8(bytes, *request->GetDescriptor(), "")) {
    return absl::InvalidArgumentError(StrCat(*field, ": not valid UTF-8"));
  }
  return absl::InvalidArgumentError(
      StrCat("malformed request: not a ", request->GetDescriptor()->full_name()));
}

absl::Status InternalErrorFromException(const std::exception& e) {
  SOUK_LOG_ERROR("api", "request failed with an exception: ", e.what());
  return absl::InternalError(StrCat("internal error: ", e.what()));
}

absl::Status SerializeResponse(const pb::Message& response, grpc::ByteBuffer* buffer) {
  std::string bytes;
  if (!response.SerializeToString(&bytes)) {
    return absl::InternalError("could not serialize the response");
  }
  grpc::Slice slice(std::move(bytes));
  *buffer = grpc::ByteBuffer(&slice, 1);
  return absl::OkStatus();
}

}  // namespace souk::api
