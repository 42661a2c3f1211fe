#include <libstemmer.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <unordered_map>
#include <utility>

#include "term_rules_internal.h"

namespace souk::text::internal {
namespace {

// Unit spellings seen in Home Depot titles ("1-gal.", "12-Gauge", "120-Volt") and in queries
// ("1 gallon", "12 ga", "120v"). Plurals are listed because the table is consulted before
// stemming: a canonical unit must not be stemmed ("gauge" -> "gaug" would miss "ga").
// clang-format off
constexpr std::pair<std::string_view, std::string_view> kUnitTable[] = {
    {"in", "in"}, {"inch", "in"}, {"inches", "in"},
    {"ft", "ft"}, {"foot", "ft"}, {"feet", "ft"},
    {"gal", "gal"}, {"gallon", "gal"}, {"gallons", "gal"},
    {"lb", "lb"}, {"lbs", "lb"}, {"pound", "lb"}, {"pounds", "lb"},
    {"oz", "oz"}, {"ounce", "oz"}, {"ounces", "oz"},
    {"qt", "qt"}, {"quart", "qt"}, {"quarts", "qt"},
    {"pt", "pt"}, {"pint", "pt"}, {"pints", "pt"},
    {"yd", "yd"}, {"yds", "yd"}, {"yard", "yd"}, {"yards", "yd"},
    {"sq", "sq"}, {"square", "sq"}, {"squares", "sq"},
    {"cu", "cu"}, {"cubic", "cu"},
    {"v", "v"}, {"volt", "v"}, {"volts", "v"},
    {"w", "w"}, {"watt", "w"}, {"watts", "w"},
    {"amp", "amp"}, {"amps", "amp"}, {"ampere", "amp"}, {"amperes", "amp"},
    {"ga", "gauge"}, {"gage", "gauge"}, {"gauge", "gauge"}, {"gauges", "gauge"},
    {"mm", "mm"}, {"millimeter", "mm"}, {"millimeters", "mm"},
    {"millimetre", "mm"}, {"millimetres", "mm"},
    {"cm", "cm"}, {"centimeter", "cm"}, {"centimeters", "cm"},
    {"centimetre", "cm"}, {"centimetres", "cm"},
    {"btu", "btu"}, {"btus", "btu"},
    {"hp", "hp"}, {"horsepower", "hp"},
    {"deg", "deg"}, {"degree", "deg"}, {"degrees", "deg"},
    {"pc", "pc"}, {"pcs", "pc"}, {"piece", "pc"}, {"pieces", "pc"},
    {"pk", "pk"}, {"pack", "pk"}, {"packs", "pk"},
    {"ct", "ct"}, {"count", "ct"}, {"counts", "ct"},
};
// clang-format on

// kOther joins the run around it when both sides are of one kind ("6.5", "o'neil"); kBreak
// ("_", which UAX #29 keeps inside words: "abc_123") always separates.
enum class Kind { kDigit, kLetter, kOther, kBreak };

Kind KindOf(UChar32 c) {
  if (u_isdigit(c)) return Kind::kDigit;
  if (u_isalpha(c) || u_charType(c) == U_NON_SPACING_MARK) return Kind::kLetter;
  if (u_charType(c) == U_CONNECTOR_PUNCTUATION) return Kind::kBreak;
  return Kind::kOther;
}

// Latin letters, combining marks (diacritics after NFD), and the apostrophes and periods that
// UAX #29 keeps inside words ("men's", "u.s.a").
bool IsLatinWord(const icu::UnicodeString& word) {
  for (int32_t i = 0; i < word.length(); i = word.moveIndex32(i, 1)) {
    const UChar32 c = word.char32At(i);
    if (c == '\'' || c == '.') continue;
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (!u_isalpha(c)) return false;
    UErrorCode status = U_ZERO_ERROR;
    if (uscript_getScript(c, &status) != USCRIPT_LATIN || U_FAILURE(status)) return false;
  }
  return true;
}

bool IsAscii(const icu::UnicodeString& word) {
  for (int32_t i = 0; i < word.length(); ++i) {
    if (word.charAt(i) >= 0x80) return false;
  }
  return true;
}

// "café" -> "cafe": decompose, then drop the combining marks.
icu::UnicodeString FoldDiacritics(const icu::UnicodeString& word) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return word;
  const icu::UnicodeString decomposed = nfd->normalize(word, status);
  if (U_FAILURE(status)) return word;
  icu::UnicodeString folded;
  for (int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
    const UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) folded.append(c);
  }
  return folded;
}

void EraseChar(std::string& s, char c) { std::erase(s, c); }

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string utf8;
  text.toUTF8String(utf8);
  return utf8;
}

// Digits starting at `*i`, which moves past them.
int32_t SkipDigits(const icu::UnicodeString& text, int32_t* i) {
  int32_t count = 0;
  while (*i < text.length() && u_isdigit(text.char32At(*i))) {
    *i = text.moveIndex32(*i, 1);
    ++count;
  }
  return count;
}

// \d{1,3}(,\d{3})+(\.\d+)?: commas that group thousands, as in "1,000" and "12,345.5".
bool IsThousandsGrouping(const icu::UnicodeString& number) {
  int32_t i = 0;
  const int32_t lead = SkipDigits(number, &i);
  if (lead < 1 || lead > 3) return false;
  int32_t groups = 0;
  for (; i < number.length() && number.charAt(i) == ','; ++groups) {
    ++i;
    if (SkipDigits(number, &i) != 3) return false;
  }
  if (groups == 0) return false;
  if (i == number.length()) return true;
  if (number.charAt(i) != '.') return false;
  ++i;
  return SkipDigits(number, &i) > 0 && i == number.length();
}

}  // namespace

std::string_view CanonicalUnit(std::string_view word) {
  static const auto* const kUnits = [] {
    auto* units = new std::unordered_map<std::string_view, std::string_view>();
    for (const auto& [variant, canonical] : kUnitTable) units->emplace(variant, canonical);
    return units;
  }();
  const auto it = kUnits->find(word);
  return it == kUnits->end() ? std::string_view() : it->second;
}

TermEmitter::TermEmitter(sb_stemmer* stemmer, size_t max_term_bytes, std::vector<std::string>* out)
    : stemmer_(stemmer), max_term_bytes_(max_term_bytes), out_(out) {}

void TermEmitter::EmitTerm(std::string term) {
  if (term.empty() || term.size() > max_term_bytes_) return;
  out_->push_back(std::move(term));
}

void TermEmitter::EmitSegment(const icu::UnicodeString& segment) {
  bool has_digit = false;
  bool has_letter = false;
  bool has_break = false;
  for (int32_t i = 0; i < segment.length(); i = segment.moveIndex32(i, 1)) {
    const Kind kind = KindOf(segment.char32At(i));
    has_digit |= kind == Kind::kDigit;
    has_letter |= kind == Kind::kLetter;
    has_break |= kind == Kind::kBreak;
  }
  if (!has_digit && !has_letter) return;  // "___"
  if ((has_digit && has_letter) || has_break) {
    EmitMixed(segment);
  } else if (has_digit) {
    EmitNumber(segment);
  } else {
    EmitWord(segment, /*after_digits=*/false);
  }
}

// Step 4: UAX #29 keeps "5'6", "6,8,10" and "1,5" as one numeric word because only a separator
// stands between the digits. Gluing their digits ("56", "6810", "15") would invent numbers, so
// the segment is cut into numbers: an apostrophe between digits is the feet mark, as a quote after
// a number is a unit (step 6: 5'6" is 5 ft 6 in); commas are dropped only where they group
// thousands ("1,000", "12,345.5"); every other separator splits.
void TermEmitter::EmitNumber(const icu::UnicodeString& number) {
  icu::UnicodeString piece;  // one number: digits, '.', '/' and ','
  for (int32_t i = 0; i < number.length(); i = number.moveIndex32(i, 1)) {
    const UChar32 c = number.char32At(i);
    if (u_isdigit(c) || c == '.' || c == '/' || c == ',') {
      piece.append(c);
      continue;
    }
    const bool after_number = !piece.isEmpty();
    EmitNumberPiece(piece);
    piece.remove();
    if (c == '\'' && after_number) EmitTerm("ft");
  }
  EmitNumberPiece(piece);
}

void TermEmitter::EmitNumberPiece(const icu::UnicodeString& piece) {
  if (piece.isEmpty()) return;
  const bool grouped = IsThousandsGrouping(piece);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < piece.length(); i = piece.moveIndex32(i, 1)) {
    const UChar32 c = piece.char32At(i);
    if (c != ',') {
      kept.append(c);
    } else if (!grouped) {  // "6,8,10" and "1,5" are several numbers
      EmitTerm(ToUtf8(kept));
      kept.remove();
    }
  }
  EmitTerm(ToUtf8(kept));
}

// Splits where digits meet letters and at underscores. A separator inside the segment ("6.5",
// "1/2", "o'neil") belongs to the run around it when both sides are of one kind.
void TermEmitter::EmitMixed(const icu::UnicodeString& segment) {
  icu::UnicodeString run;
  Kind run_kind = Kind::kOther;
  bool after_digits = false;
  auto flush = [&] {
    if (run.isEmpty()) return;
    if (run_kind == Kind::kDigit) {
      EmitNumber(run);
    } else {
      EmitWord(run, after_digits);
    }
    after_digits = run_kind == Kind::kDigit;
    run.remove();
  };
  for (int32_t i = 0; i < segment.length(); i = segment.moveIndex32(i, 1)) {
    const UChar32 c = segment.char32At(i);
    Kind kind = KindOf(c);
    if (kind == Kind::kBreak) {
      flush();
      after_digits = false;
      continue;
    }
    if (kind == Kind::kOther) {
      const int32_t next = segment.moveIndex32(i, 1);
      const bool joins =
          !run.isEmpty() && next < segment.length() && KindOf(segment.char32At(next)) == run_kind;
      if (!joins) {
        flush();
        after_digits = false;
        continue;
      }
      kind = run_kind;
    }
    if (kind != run_kind) flush();
    run_kind = kind;
    run.append(c);
  }
  flush();
}

void TermEmitter::EmitWord(const icu::UnicodeString& word, bool after_digits) {
  if (!IsLatinWord(word)) {
    std::string term;
    word.toUTF8String(term);
    EmitTerm(std::move(term));
    return;
  }
  std::string term;
  (IsAscii(word) ? word : FoldDiacritics(word)).toUTF8String(term);
  EraseChar(term, '.');
  if (after_digits && term == "a") {  // "15a" is 15 amperes.
    EmitTerm("amp");
    return;
  }
  if (const std::string_view unit = CanonicalUnit(term); !unit.empty()) {
    EmitTerm(std::string(unit));
    return;
  }
  if (stemmer_ != nullptr) term = Stem(term);
  EraseChar(term, '\'');
  EmitTerm(std::move(term));
}

std::string TermEmitter::Stem(const std::string& word) const {
  const sb_symbol* stemmed = sb_stemmer_stem(
      stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (stemmed == nullptr) return word;  // Out of memory inside Snowball: keep the word.
  return std::string(reinterpret_cast<const char*>(stemmed),
                     static_cast<size_t>(sb_stemmer_length(stemmer_)));
}

}  // namespace souk::text::internal
