#include "souk/base/quote.h"

#include <cstdint>

#include "souk/base/utf8.h"

namespace souk {
namespace {

void AppendHexEscape(uint8_t b, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[b >> 4]);
  out->push_back(kHex[b & 0xF]);
}

}  // namespace

std::string QuoteForError(std::string_view text) {
  constexpr size_t kMaxBytes = 80;
  std::string out = "\"";
  size_t i = 0;
  while (i < text.size() && i < kMaxBytes) {
    const uint8_t b = static_cast<uint8_t>(text[i]);
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0 || b < 0x20 || b == 0x7F) {
      AppendHexEscape(b, &out);
      ++i;
      continue;
    }
    if (b == '"' || b == '\\') out.push_back('\\');
    out.append(text.substr(i, length));
    i += length;
  }
  if (i < text.size()) out.append("...");
  out.push_back('"');
  return out;
}

}  // namespace souk
