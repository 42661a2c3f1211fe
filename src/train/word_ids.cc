// AssignWordIds (declared in masking.h): word boundaries for whole-word masking.

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "souk/base/utf8.h"
#include "souk/train/masking.h"

namespace souk::train {
namespace {

constexpr std::string_view kSpaceMarker = "\xE2\x96\x81";  // U+2581, SentencePiece's space
constexpr std::string_view kContinuation = "##";           // WordPiece's word continuation

// ---- Han and kana ----

char32_t DecodeAt(std::string_view s, size_t i, size_t length) {
  const auto byte = [&](size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[k]));
  };
  if (length == 1) return byte(i);
  char32_t cp = byte(i) & (0xFF >> (length + 1));
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  return cp;
}

// Scripts written without spaces, where only a dictionary finds the words (Unicode 15 blocks).
bool IsHanOrKana(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK Unified Ideographs
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // Extension A
         (cp >= 0x20000 && cp <= 0x323AF) ||  // Extensions B..H
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // Compatibility Ideographs
         (cp >= 0x3040 && cp <= 0x309F) ||    // Hiragana
         (cp >= 0x30A0 && cp <= 0x30FF) ||    // Katakana
         (cp >= 0x31F0 && cp <= 0x31FF);      // Katakana Phonetic Extensions
}

bool ContainsHanOrKana(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      ++i;
      continue;
    }
    if (IsHanOrKana(DecodeAt(text, i, length))) return true;
    i += length;
  }
  return false;
}

// ---- piece surfaces ----

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

struct Surface {
  std::string text;
  bool starts_word = false;  // by the piece style alone
};

// The text a piece stands for: "▁" as a space, "##" dropped, a byte-fallback piece "<0xE5>" as
// its one raw byte (several of them spell one character in the concatenation).
Surface PieceSurface(std::string_view piece, PieceStyle style) {
  if (piece.size() == 6 && piece.substr(0, 3) == "<0x" && piece[5] == '>' &&
      HexDigit(piece[3]) >= 0 && HexDigit(piece[4]) >= 0) {
    return {std::string(1, static_cast<char>(HexDigit(piece[3]) * 16 + HexDigit(piece[4]))), false};
  }
  if (style == PieceStyle::kWordPiece) {
    if (piece.substr(0, kContinuation.size()) == kContinuation) {
      return {std::string(piece.substr(kContinuation.size())), false};
    }
    return {std::string(piece), true};
  }
  Surface surface{"", piece.substr(0, kSpaceMarker.size()) == kSpaceMarker};
  for (size_t i = 0; i < piece.size();) {
    if (piece.substr(i, kSpaceMarker.size()) == kSpaceMarker) {
      surface.text.push_back(' ');
      i += kSpaceMarker.size();
    } else {
      surface.text.push_back(piece[i++]);
    }
  }
  return surface;
}

// ---- terms ----

struct Span {
  size_t begin;
  size_t end;
};

// Spans of the Han/kana terms found one after another in `text`, in order, not overlapping.
std::vector<Span> LocateTerms(std::string_view text, const std::vector<std::string>& terms) {
  std::vector<Span> spans;
  size_t cursor = 0;
  for (const std::string& term : terms) {
    if (term.empty() || !ContainsHanOrKana(term)) continue;
    const size_t at = text.find(term, cursor);
    if (at == std::string_view::npos) continue;
    spans.push_back({at, at + term.size()});
    cursor = at + term.size();
  }
  return spans;
}

// The span containing `offset` (begin <= offset < end), or nullptr.
const Span* SpanAt(const std::vector<Span>& spans, size_t offset) {
  auto it = std::upper_bound(spans.begin(), spans.end(), offset,
                             [](size_t value, const Span& span) { return value < span.begin; });
  if (it == spans.begin()) return nullptr;
  --it;
  return offset < it->end ? &*it : nullptr;
}

}  // namespace

std::vector<int32_t> AssignWordIds(const std::vector<std::string>& pieces, PieceStyle style,
                                   const std::vector<std::string>& analyzer_terms) {
  std::vector<Surface> surfaces;
  std::vector<size_t> starts;  // offset of each piece's first non-space byte in `text`
  std::string text;
  for (const std::string& piece : pieces) {
    surfaces.push_back(PieceSurface(piece, style));
    const std::string& surface = surfaces.back().text;
    starts.push_back(text.size() + std::min(surface.find_first_not_of(' '), surface.size()));
    text += surface;
  }
  const std::vector<Span> spans = LocateTerms(text, analyzer_terms);

  std::vector<int32_t> word_ids;
  int32_t word = -1;
  bool previous_bare = false;  // a piece that is only a space marker, as "▁" before "我们"
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Span* span = SpanAt(spans, starts[i]);
    const bool term_begins = span != nullptr && span->begin == starts[i];
    // BERT's WordPiece splits every Han character off; inside a term they continue its word
    // (Cui et al. 2021 mark them "##" for the same reason).
    const bool inside_term = span != nullptr && span->begin < starts[i];
    bool starts_word = term_begins || (surfaces[i].starts_word &&
                                       !(style == PieceStyle::kWordPiece && inside_term));
    if (previous_bare) starts_word = false;  // the marker and its word are one word
    if (i == 0 || starts_word) ++word;
    word_ids.push_back(word);
    previous_bare =
        !surfaces[i].text.empty() && surfaces[i].text.find_first_not_of(' ') == std::string::npos;
  }
  return word_ids;
}

}  // namespace souk::train
