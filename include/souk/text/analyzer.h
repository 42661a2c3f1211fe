// Analyzer: turns product text and queries into index terms. The same Analyzer (same options)
// must be used to index and to query; Fingerprint() identifies its behaviour so an index can
// refuse queries analyzed differently.
//
// Pipeline: NFKC normalization -> case folding -> word segmentation with ICU's word break
// iterator (dictionary-based for Chinese/Japanese, rules for Latin scripts) -> number and unit
// handling ("12-gauge", "1/2 in.") -> Snowball English stemming of Latin-script words.
// Punctuation and whitespace produce no terms. Invalid UTF-8 bytes are replaced, never fatal.
//
// The exact rules, in order (queries and titles go through the same ones):
//  1. Input longer than max_input_bytes is cut at the last code point boundary before the bound.
//     Ill-formed UTF-8 becomes U+FFFD, which yields no term.
//  2. A vulgar fraction (U+00BC..U+00BE, U+2150..U+215E, U+2189) right after a digit gets a
//     space before it, so "1½" reads as "1 ½" (not "11/2"). NFKC_Casefold (Unicode NFKC + full
//     case folding + removal of default ignorables such as the soft hyphen): "ＵＳＢ" -> "usb",
//     "ﬁ" -> "fi", "½" -> "1⁄2". Then U+2044 FRACTION SLASH
//     and U+2215 become "/", U+00D7 "×" becomes "x", U+2019, U+02BC and U+2032 (prime) become
//     "'", U+201C and U+201D become '"'.
//  3. UAX #29 word segmentation (ICU, root locale; dictionary segmentation for Han, kana, Thai).
//     Only word-like segments (numbers, letters, kana, ideographs) are kept: punctuation, spaces,
//     symbols and emoji produce nothing. No stopwords are removed ("in" is the inch unit).
//  4. Fractions: digits "/" digits with nothing in between is one term: "1/2", "3/4-in" ->
//     "3/4" "in", "1-1/2" -> "1" "1/2", "1/2hp" -> "1/2" "hp" (step 5). Numbers keep their decimal
//     point ("6.5"). Commas are dropped only in thousands groupings \d{1,3}(,\d{3})+ ("1,000"
//     -> "1000", "12,345.5" -> "12345.5"); other separators that UAX #29 keeps between digits
//     split the numbers ("6,8,10" -> "6" "8" "10", "1,5" -> "1" "5"), and an apostrophe between
//     digits is the feet mark ("5'6" -> "5" "ft" "6"; with step 6, 5'6" -> "5" "ft" "6" "in").
//  5. A segment mixing digits and letters is split where digits meet letters: "120v" -> "120"
//     "v", "2x4" -> "2" "x" "4", "10ft" -> "10" "ft", "m12" -> "m" "12". A letter run "a" right
//     after digits is the ampere unit ("15a" -> "15" "amp"). Underscores split too: "abc_123"
//     -> "abc" "123"; a segment of underscores alone gives nothing.
//  6. A quote right after a number is a unit: `2"` and `2''` -> "2" "in"; `6'` -> "6" "ft"
//     (unless a letter other than "x" follows, as in "90's"; "6'x8'" is "6" "ft" "x" "8" "ft").
//  7. Unit words map to one canonical term, which is not stemmed: in/inch/inches -> in,
//     ft/foot/feet -> ft, gal/gallon(s) -> gal, lb/lbs/pound(s) -> lb, oz/ounce(s) -> oz,
//     qt/quart(s) -> qt, pt/pint(s) -> pt, yd/yds/yard(s) -> yd, sq/square(s) -> sq,
//     cu/cubic -> cu, v/volt(s) -> v, w/watt(s) -> w, amp(s)/ampere(s) -> amp,
//     ga/gage/gauge(s) -> gauge, mm/millimeter(s) -> mm, cm/centimeter(s) -> cm,
//     btu/btus -> btu, hp/horsepower -> hp, deg/degree(s) -> deg, pc/pcs/piece(s) -> pc,
//     pk/pack(s) -> pk, ct/count(s) -> ct. The table is kUnitTable in src/text/term_rules.cc.
//  8. Other words made only of Latin letters (and inner apostrophes and periods) lose their
//     diacritics ("café" -> "cafe") and periods ("u.s.a" -> "usa"), are stemmed with Snowball
//     English (Porter2) when stem_english is set ("drills", "drilling" -> "drill"), and then lose
//     their apostrophes ("men's" -> "men", "don't" -> "dont"). Words of other scripts (Chinese,
//     Cyrillic, ...) are kept as segmented.
//  9. Terms longer than max_term_bytes are dropped.
//
// Thread-safety: Analyze() is const and may be called from many threads at once; ICU break
// iterators and Snowball stemmers (not thread-safe) are leased from an internal pool.
// Ownership: the Analyzer owns its pool; terms are returned by value.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::text {

struct AnalyzerOptions {
  bool stem_english = true;          ///< Snowball English (Porter2) stemming of Latin-script words.
  size_t max_term_bytes = 64;        ///< Longer terms are dropped (base64 blobs, SKU soup).
  size_t max_input_bytes = 1 << 20;  ///< Text beyond this is ignored (a bound, not an error).

  /// InvalidArgument when a bound is zero or max_input_bytes exceeds 64 MiB (normalization can
  /// grow text up to 18-fold, and ICU strings hold fewer than 2^31 UTF-16 units).
  absl::Status Validate() const;
};

class Analyzer {
 public:
  /// Fails when the options are invalid or ICU / Snowball cannot be initialised (missing data).
  static absl::StatusOr<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& options);
  ~Analyzer();

  /// Index terms of `text` in order of appearance (duplicates kept: they are term frequencies).
  std::vector<std::string> Analyze(std::string_view text) const;
  /// Analyze(text) joined by single spaces (terms never contain whitespace): the text an
  /// AnalyzedTokenizer hands on, and what `souk analyze` prints.
  std::string AnalyzedText(std::string_view text) const;

  /// A short string that changes whenever the analyzer would produce different terms
  /// (options, analyzer version, ICU and Snowball versions).
  std::string Fingerprint() const;

  const AnalyzerOptions& options() const { return options_; }

 private:
  struct Impl;
  Analyzer(const AnalyzerOptions& options, std::unique_ptr<Impl> impl);

  AnalyzerOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::text
