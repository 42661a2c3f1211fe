#include "souk/events/event_codec.h"

#include <bit>
#include <cstring>

#include "souk/base/str_cat.h"

namespace souk::events {
namespace {

// Varints as protobuf writes them (7 bits a byte, low first); signed values zig-zag encoded so
// small negatives stay short.
void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutSigned(int64_t v, std::string* out) {
  PutVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63), out);
}

void PutBytes(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

void PutDouble(double v, std::string* out) {
  uint64_t bits = std::bit_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

// Reads fields in order; the first failure sticks, so Decode checks once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  uint64_t Varint(std::string_view field) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return Fail(field), 0;
      const auto byte = static_cast<uint8_t>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    return Fail(field), 0;
  }
  int64_t Signed(std::string_view field) {
    const uint64_t v = Varint(field);
    return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  int32_t Int32(std::string_view field) {
    const int64_t v = Signed(field);
    if (v < INT32_MIN || v > INT32_MAX) return Fail(field), 0;
    return static_cast<int32_t>(v);
  }
  std::string Bytes(std::string_view field) {
    const uint64_t n = Varint(field);
    if (n > in_.size()) return Fail(field), std::string();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  double Double(std::string_view field) {
    if (in_.size() < 8) return Fail(field), 0.0;
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
      bits |= static_cast<uint64_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(8);
    return std::bit_cast<double>(bits);
  }
  bool AtEnd() const { return in_.empty(); }
  const std::string& failed_field() const { return failed_field_; }

 private:
  void Fail(std::string_view field) {
    if (failed_field_.empty()) failed_field_ = std::string(field);
    in_ = {};
  }

  std::string_view in_;
  std::string failed_field_;
};

bool IsKnownType(uint64_t type) {
  return type >= static_cast<uint64_t>(EventType::kSearch) &&
         type <= static_cast<uint64_t>(EventType::kReview);
}

}  // namespace

std::string EncodeEvent(const Event& e) {
  std::string out;
  out.reserve(64 + e.text.size() + e.query.size() + 10 * e.product_ids.size());
  out.push_back(static_cast<char>(kEventRecordVersion));
  out.push_back(static_cast<char>(e.type));
  PutBytes(e.event_id, &out);
  PutSigned(e.timestamp_ms, &out);
  PutBytes(e.user_id, &out);
  PutBytes(e.session_id, &out);
  PutBytes(e.request_id, &out);
  PutBytes(e.query, &out);
  PutVarint(e.product_ids.size(), &out);
  for (const std::string& id : e.product_ids) PutBytes(id, &out);
  PutBytes(e.product_id, &out);
  PutSigned(e.position, &out);
  PutSigned(e.quantity, &out);
  PutDouble(e.unit_price, &out);
  PutSigned(e.rating, &out);
  PutBytes(e.text, &out);
  return out;
}

absl::StatusOr<Event> DecodeEvent(std::string_view record) {
  if (record.size() < 2) return absl::DataLossError("event record: shorter than its header");
  if (static_cast<uint8_t>(record[0]) != kEventRecordVersion) {
    return absl::DataLossError(StrCat("event record: version ", static_cast<int>(record[0]),
                                      " is not the known version ", kEventRecordVersion));
  }
  if (!IsKnownType(static_cast<uint8_t>(record[1]))) {
    return absl::DataLossError(StrCat("event record: unknown type ", static_cast<int>(record[1])));
  }
  Event e;
  e.type = static_cast<EventType>(record[1]);
  Reader r(record.substr(2));
  e.event_id = r.Bytes("event_id");
  e.timestamp_ms = r.Signed("timestamp_ms");
  e.user_id = r.Bytes("user_id");
  e.session_id = r.Bytes("session_id");
  e.request_id = r.Bytes("request_id");
  e.query = r.Bytes("query");
  const uint64_t shown = r.Varint("product_ids");
  for (uint64_t i = 0; i < shown && r.failed_field().empty(); ++i) {
    e.product_ids.push_back(r.Bytes("product_ids"));
  }
  e.product_id = r.Bytes("product_id");
  e.position = r.Int32("position");
  e.quantity = r.Int32("quantity");
  e.unit_price = r.Double("unit_price");
  e.rating = r.Int32("rating");
  e.text = r.Bytes("text");
  if (!r.failed_field().empty()) {
    return absl::DataLossError(StrCat("event record: truncated or corrupt at ", r.failed_field()));
  }
  if (!r.AtEnd()) return absl::DataLossError("event record: bytes after the last field");
  return e;
}

}  // namespace souk::events
