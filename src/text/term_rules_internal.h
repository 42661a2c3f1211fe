// Term rules of the Analyzer (steps 4-9 of include/souk/text/analyzer.h): number formatting,
// digit/letter splitting, unit canonicalisation, diacritic folding and stemming of one word-like
// segment. Private to src/text.
//
// Thread-safety: a TermEmitter is used by one thread for one Analyze() call; the stemmer it
// borrows must not be used by another thread meanwhile. Ownership: borrows the stemmer and the
// output vector.
#pragma once

#include <unicode/unistr.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace souk::text::internal {

/// The canonical unit term for a case-folded Latin word ("inches" -> "in"), or empty.
std::string_view CanonicalUnit(std::string_view word);

/// Turns word-like segments into terms appended to `out`.
class TermEmitter {
 public:
  /// `stemmer` may be null (no stemming).
  TermEmitter(sb_stemmer* stemmer, size_t max_term_bytes, std::vector<std::string>* out);

  /// One segment of ICU's word break iterator (already normalized and case folded).
  void EmitSegment(const icu::UnicodeString& segment);
  /// A term that needs no further processing ("in" for a quote after a number).
  void EmitTerm(std::string term);

 private:
  // A run of digits and separators: one or more numbers ("1,000" -> "1000"; "1/2" and "6.5"
  // unchanged; "5'6" -> "5" "ft" "6"; "6,8,10" -> "6" "8" "10").
  void EmitNumber(const icu::UnicodeString& number);
  // One number of digits, '.', '/' and ','; commas other than thousands groupings split it.
  void EmitNumberPiece(const icu::UnicodeString& piece);
  void EmitMixed(const icu::UnicodeString& segment);
  void EmitWord(const icu::UnicodeString& word, bool after_digits);
  std::string Stem(const std::string& word) const;

  sb_stemmer* stemmer_;
  size_t max_term_bytes_;
  std::vector<std::string>* out_;
};

}  // namespace souk::text::internal
