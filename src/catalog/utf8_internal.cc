#include "utf8_internal.h"

#include <cstdint>

namespace souk::catalog::internal {
namespace {

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 if it is ill-formed.
// The ranges of the second byte follow the Unicode Standard, Table 3-7 ("Well-Formed UTF-8 Byte
// Sequences"), which excludes overlong forms, surrogates and code points above U+10FFFF.
size_t SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t b0 = byte(0);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  uint8_t lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  if (byte(1) < lo || byte(1) > hi) return 0;
  for (size_t i = 2; i < len; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return len;
}

void AppendHexEscape(uint8_t b, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[b >> 4]);
  out->push_back(kHex[b & 0xF]);
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // Catalog text is mostly ASCII: skip it a byte at a time without the table logic.
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t len = SequenceLength(text.substr(i));
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string QuoteForError(std::string_view text) {
  constexpr size_t kMaxBytes = 80;
  std::string out = "\"";
  size_t i = 0;
  while (i < text.size() && i < kMaxBytes) {
    const uint8_t b = static_cast<uint8_t>(text[i]);
    const size_t len = SequenceLength(text.substr(i));
    if (len == 0 || b < 0x20 || b == 0x7F) {
      AppendHexEscape(b, &out);
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  if (i < text.size()) out.append("...");
  out.push_back('"');
  return out;
}

}  // namespace souk::catalog::internal
