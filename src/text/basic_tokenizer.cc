#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "basic_tokenizer_internal.h"
#include "souk/base/ascii.h"
#include "souk/base/check.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace souk::text::internal {
namespace {

constexpr int32_t kReplacement = 0xFFFD;

// Decodes the code point at text[*i] and advances *i; ill-formed bytes read as U+FFFD, which
// cleaning drops (HF never sees them: Python strings are always well-formed).
int32_t NextCodePoint(std::string_view text, size_t* i) {
  const auto length = static_cast<int32_t>(text.size());
  auto pos = static_cast<int32_t>(*i);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), pos, length, c);
  *i = static_cast<size_t>(pos);
  return c < 0 ? kReplacement : c;
}

void AppendCodePoint(int32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
    return;
  }
  uint8_t buf[U8_MAX_LENGTH];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// Length of the longest special token at text[pos], or 0.
size_t MatchSpecialSlow(std::string_view text, size_t pos, const BasicTokenizerConfig& config) {
  for (const std::string& special : config.special_tokens) {
    if (text.compare(pos, special.size(), special) == 0) return special.size();
  }
  return 0;
}

inline size_t MatchSpecial(std::string_view text, size_t pos, const BasicTokenizerConfig& config) {
  if (!config.special_first_byte[static_cast<unsigned char>(text[pos])]) return 0;
  return MatchSpecialSlow(text, pos, config);
}

bool IsSpecial(std::string_view word, const BasicTokenizerConfig& config) {
  for (const std::string& special : config.special_tokens) {
    if (word == special) return true;
  }
  return false;
}

bool IsAscii(std::string_view text) {
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

// ---- Step 1: PreTrainedTokenizer.tokenize lower-cases one character at a time (a regex
// `(special|...)|(.+?)`), so no context-dependent mapping applies: a lone "Σ" is "σ". Python's
// full mapping differs from ICU's simple one only for U+0130, whose lower case is "i̇".
std::string LowerOutsideSpecials(std::string_view text, const BasicTokenizerConfig& config) {
  std::string out;
  out.reserve(text.size() + 8);
  size_t i = 0;
  while (i < text.size()) {
    if (const size_t n = MatchSpecial(text, i, config); n > 0) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      out.push_back(AsciiToLower(text[i++]));
      continue;
    }
    const int32_t c = NextCodePoint(text, &i);
    if (c == 0x130) {
      out.append("i\xCC\x87");
    } else {
      AppendCodePoint(u_tolower(c), &out);
    }
  }
  return out;
}

// ---- Step 3a: HF's _clean_text and _tokenize_chinese_chars in one pass; words end up separated
// by single spaces. U+2028 and U+2029 survive _clean_text in HF but then split words (Python's
// str.split), so they become spaces here directly.
bool IsAsciiControl(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

void CleanAndSpace(std::string_view text, const BasicTokenizerConfig& config, std::string* out) {
  out->clear();
  out->reserve(text.size() + 8);
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      if (byte == 0 || IsAsciiControl(byte)) continue;
      const bool space = byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r';
      out->push_back(space ? ' ' : static_cast<char>(byte));
      continue;
    }
    const int32_t c = NextCodePoint(text, &i);
    if (c == kReplacement) continue;
    switch (u_charType(c)) {
      case U_CONTROL_CHAR:
      case U_FORMAT_CHAR:
      case U_UNASSIGNED:
      case U_PRIVATE_USE_CHAR:
      case U_SURROGATE:
        continue;
      case U_SPACE_SEPARATOR:
      case U_LINE_SEPARATOR:
      case U_PARAGRAPH_SEPARATOR:
        out->push_back(' ');
        continue;
      default:
        break;
    }
    const bool alone = config.tokenize_chinese_chars && IsCjkIdeograph(c);
    if (alone) out->push_back(' ');
    AppendCodePoint(c, out);
    if (alone) out->push_back(' ');
  }
}

// ---- Step 3b: one whitespace-separated token through NFC, the never-split check, accent
// stripping and the punctuation split. Lower-casing already happened in step 1, and neither NFC
// nor NFD can bring back an upper-case letter, so HF's second token.lower() is a no-op here.
void SplitOnPunctuationAscii(std::string_view token,
                             absl::FunctionRef<void(std::string_view, bool)> emit) {
  size_t start = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    if (!IsBertPunctuation(static_cast<unsigned char>(token[i]))) continue;
    if (i > start) emit(token.substr(start, i - start), false);
    emit(token.substr(i, 1), false);
    start = i + 1;
  }
  if (start < token.size()) emit(token.substr(start), false);
}

const icu::Normalizer2& Normalizer(bool compose) {
  static const icu::Normalizer2* const nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    return icu::Normalizer2::getNFCInstance(status);
  }();
  static const icu::Normalizer2* const nfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    return icu::Normalizer2::getNFDInstance(status);
  }();
  const icu::Normalizer2* normalizer = compose ? nfc : nfd;
  // NFC/NFD data is built into libicuuc: it cannot be missing in a working ICU.
  SOUK_CHECK(normalizer != nullptr);
  return *normalizer;
}

icu::UnicodeString Normalize(const icu::UnicodeString& text, bool compose) {
  const icu::Normalizer2& normalizer = Normalizer(compose);
  UErrorCode status = U_ZERO_ERROR;
  if (normalizer.quickCheck(text, status) == UNORM_YES && U_SUCCESS(status)) return text;
  status = U_ZERO_ERROR;
  icu::UnicodeString result = normalizer.normalize(text, status);
  return U_SUCCESS(status) ? result : text;
}

void ProcessNonAsciiToken(std::string_view token, const BasicTokenizerConfig& config,
                          absl::FunctionRef<void(std::string_view, bool)> emit) {
  icu::UnicodeString text = Normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                          token.data(), static_cast<int32_t>(token.size()))),
                                      /*compose=*/true);
  std::string word;
  text.toUTF8String(word);
  if (IsSpecial(word, config)) {
    emit(word, true);
    return;
  }
  if (config.strip_accents) text = Normalize(text, /*compose=*/false);
  word.clear();
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (config.strip_accents && u_charType(c) == U_NON_SPACING_MARK) continue;
    if (IsBertPunctuation(c)) {
      if (!word.empty()) emit(word, false);
      word.clear();
      AppendCodePoint(c, &word);
      emit(word, false);
      word.clear();
      continue;
    }
    AppendCodePoint(c, &word);
  }
  if (!word.empty()) emit(word, false);
}

void ProcessToken(std::string_view token, const BasicTokenizerConfig& config,
                  absl::FunctionRef<void(std::string_view, bool)> emit) {
  if (!IsAscii(token)) {
    ProcessNonAsciiToken(token, config, emit);
  } else if (IsSpecial(token, config)) {
    emit(token, true);
  } else {
    SplitOnPunctuationAscii(token, emit);
  }
}

void TokenizeChunk(std::string_view chunk, const BasicTokenizerConfig& config, std::string* scratch,
                   absl::FunctionRef<void(std::string_view, bool)> emit) {
  CleanAndSpace(chunk, config, scratch);
  const std::string_view cleaned = *scratch;
  size_t start = 0;
  while (start < cleaned.size()) {
    const size_t end = std::min(cleaned.find(' ', start), cleaned.size());
    if (end > start) ProcessToken(cleaned.substr(start, end - start), config, emit);
    start = end + 1;
  }
}

}  // namespace

void BasicTokenizerConfig::SetSpecialTokens(std::vector<std::string> tokens) {
  std::erase_if(tokens, [](const std::string& token) { return token.empty(); });
  std::stable_sort(tokens.begin(), tokens.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  special_tokens = std::move(tokens);
  special_first_byte.fill(false);
  for (const std::string& token : special_tokens) {
    special_first_byte[static_cast<unsigned char>(token.front())] = true;
  }
}

bool IsCjkIdeograph(int32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool IsBertPunctuation(int32_t c) {
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
      (c >= 123 && c <= 126)) {
    return true;
  }
  if (c < 0x80) return false;
  return (U_GET_GC_MASK(c) & U_GC_P_MASK) != 0;
}

// ---- Step 2: special tokens are cut out of the (lower-cased) text before basic tokenization,
// as PreTrainedTokenizer's added-token trie does.
void BasicTokenize(std::string_view text, const BasicTokenizerConfig& config,
                   absl::FunctionRef<void(std::string_view word, bool is_special)> emit) {
  std::string lowered;
  if (config.lower_case) {
    lowered = LowerOutsideSpecials(text, config);
    text = lowered;
  }
  std::string scratch;
  size_t chunk_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = MatchSpecial(text, i, config);
    if (n == 0) {
      ++i;
      continue;
    }
    if (i > chunk_start) {
      TokenizeChunk(text.substr(chunk_start, i - chunk_start), config, &scratch, emit);
    }
    emit(text.substr(i, n), true);
    i += n;
    chunk_start = i;
  }
  if (chunk_start < text.size()) TokenizeChunk(text.substr(chunk_start), config, &scratch, emit);
}

}  // namespace souk::text::internal
