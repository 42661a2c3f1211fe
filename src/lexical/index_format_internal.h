// Byte-level pieces of the lexical index file (docs/formats/lexical-index.md): constants,
// little-endian fixed-width integers and LEB128 varints.
//
// ByteReader never reads past its buffer: every Read* returns false instead, and the caller turns
// that into a DATA_LOSS naming the file and offset. Not thread-safe; cheap to create.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace souk::lexical::internal {

inline constexpr std::string_view kIndexMagic{"SOUKLEX\0", 8};
/// The version written. Version 1 (five fields: no expansion) is still read.
inline constexpr uint32_t kIndexFormatVersion = 2;
inline constexpr uint32_t kOldestReadableVersion = 1;
/// Fields per document in a file of `version` (kOldestReadableVersion..kIndexFormatVersion).
constexpr uint32_t FieldsOfVersion(uint32_t version) { return version == 1 ? 5 : 6; }
/// Size of the trailing CRC-32.
inline constexpr size_t kChecksumBytes = 4;

void PutU32(uint32_t value, std::string* out);
void PutU64(uint64_t value, std::string* out);
void PutVarint(uint64_t value, std::string* out);

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  bool ReadU32(uint32_t* value);
  bool ReadU64(uint64_t* value);
  /// Fails on truncation and on encodings longer than 10 bytes or past 64 bits.
  bool ReadVarint(uint64_t* value);
  /// A varint that must be <= max.
  bool ReadVarintAtMost(uint64_t max, uint64_t* value) {
    return ReadVarint(value) && *value <= max;
  }
  bool ReadBytes(size_t n, std::string_view* bytes);
  bool ReadByte(uint8_t* value);

  size_t offset() const { return offset_; }
  size_t remaining() const { return data_.size() - offset_; }

 private:
  std::string_view data_;
  size_t offset_ = 0;
};

}  // namespace souk::lexical::internal
