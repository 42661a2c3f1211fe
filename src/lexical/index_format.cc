#include "index_format_internal.h"

namespace souk::lexical::internal {

void PutU32(uint32_t value, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void PutU64(uint64_t value, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void PutVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool ByteReader::ReadU32(uint32_t* value) {
  if (remaining() < 4) return false;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= static_cast<uint32_t>(static_cast<uint8_t>(data_[offset_ + i])) << (8 * i);
  }
  offset_ += 4;
  *value = v;
  return true;
}

bool ByteReader::ReadU64(uint64_t* value) {
  if (remaining() < 8) return false;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[offset_ + i])) << (8 * i);
  }
  offset_ += 8;
  *value = v;
  return true;
}

bool ByteReader::ReadVarint(uint64_t* value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (offset_ >= data_.size()) return false;
    const uint8_t byte = static_cast<uint8_t>(data_[offset_++]);
    const uint64_t bits = byte & 0x7f;
    // The tenth byte may only carry the top bit of a 64-bit value.
    if (shift == 63 && bits > 1) return false;
    v |= bits << shift;
    if ((byte & 0x80) == 0) {
      *value = v;
      return true;
    }
  }
  return false;
}

bool ByteReader::ReadBytes(size_t n, std::string_view* bytes) {
  if (remaining() < n) return false;
  *bytes = data_.substr(offset_, n);
  offset_ += n;
  return true;
}

bool ByteReader::ReadByte(uint8_t* value) {
  if (remaining() < 1) return false;
  *value = static_cast<uint8_t>(data_[offset_++]);
  return true;
}

}  // namespace souk::lexical::internal
