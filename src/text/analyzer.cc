#include "souk/text/analyzer.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/unistr.h>
#include <unicode/uvernum.h>

#include <cstdio>
#include <mutex>
#include <utility>

#include "souk/base/check.h"
#include "souk/base/file_util.h"
#include "souk/base/str_cat.h"
#include "term_rules_internal.h"

namespace souk::text {
namespace {

// Bump whenever a rule in analyzer.h changes the terms produced: indexes built with another
// version are then refused through Fingerprint().
// 2: numbers split at separators other than thousands groupings ("6,8,10", "5'6"); a vulgar
//    fraction after a digit is a number of its own ("1½" -> "1" "1/2", not "11/2").
constexpr int kAnalyzerVersion = 2;

// Upper bound of AnalyzerOptions::max_input_bytes. ICU indexes UnicodeStrings with int32_t:
// decoding gives at most one UTF-16 unit per UTF-8 byte, SeparateVulgarFractions adds at most
// one per three bytes (a digit and a two-byte fraction), and NFKC_Casefold expands a unit into
// at most 18 (U+FDFA), so 64 MiB x 4/3 x 18 = 1.6 G units stays below INT32_MAX.
constexpr size_t kMaxInputBytesLimit = size_t{64} << 20;

// Words whose Snowball stems identify the stemmer's behaviour: libstemmer has no version API, so
// the fingerprint hashes these stems instead (a new Snowball release that changes them changes
// the fingerprint).
constexpr std::string_view kStemProbe[] = {"drilling",  "drills",      "generously",  "relational",
                                           "hopeful",   "conditional", "electricity", "knives",
                                           "batteries", "flooring",    "adjustable",  "dying",
                                           "news",      "proceed",     "skies"};

struct StemmerDeleter {
  void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};
using StemmerPtr = std::unique_ptr<sb_stemmer, StemmerDeleter>;

StemmerPtr NewEnglishStemmer() { return StemmerPtr(sb_stemmer_new("english", "UTF_8")); }

// What one Analyze() call needs exclusively: ICU break iterators and Snowball stemmers keep
// per-text state and are not thread-safe.
struct Worker {
  std::unique_ptr<icu::BreakIterator> breaker;
  StemmerPtr stemmer;
};

struct Span {
  int32_t start;
  int32_t end;
};

// The replacements of step 2 (analyzer.h): characters NFKC leaves alone but that users type
// for "/", "x" and the apostrophe and quote.
UChar32 ReplacementOf(UChar32 c) {
  switch (c) {
    case 0x2044:  // FRACTION SLASH (NFKC of "½" is "1⁄2").
    case 0x2215:  // DIVISION SLASH
      return '/';
    case 0x00D7:  // MULTIPLICATION SIGN in "2×4"
      return 'x';
    case 0x2019:  // RIGHT SINGLE QUOTATION MARK
    case 0x02BC:  // MODIFIER LETTER APOSTROPHE
    case 0x2032:  // PRIME (feet)
      return '\'';
    case 0x201C:  // LEFT DOUBLE QUOTATION MARK
    case 0x201D:  // RIGHT DOUBLE QUOTATION MARK
      return '"';
    default:
      return c;
  }
}

void ReplaceLookalikes(icu::UnicodeString& text) {
  for (int32_t i = 0; i < text.length(); ++i) {
    const UChar c = text.charAt(i);
    const UChar32 replacement = ReplacementOf(c);
    if (replacement != c) text.setCharAt(i, static_cast<UChar>(replacement));
  }
}

// U+00BC..U+00BE, U+2150..U+215E and U+2189: NFKC writes them as digits, FRACTION SLASH,
// digits ("½" -> "1⁄2"), so "1½" would become "11⁄2", eleven halves.
bool IsVulgarFraction(UChar32 c) {
  return (c >= 0x00BC && c <= 0x00BE) || (c >= 0x2150 && c <= 0x215E) || c == 0x2189;
}

// Step 2: a space before a vulgar fraction that follows a digit, so that "1½" reads like
// "1 1/2" and "1-1/2".
void SeparateVulgarFractions(icu::UnicodeString& text) {
  UChar32 previous = U_SENTINEL;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    if (IsVulgarFraction(c) && previous != U_SENTINEL && u_isdigit(previous)) {
      text.insert(i, static_cast<UChar>(' '));
      i = text.moveIndex32(i, 1);  // now at the fraction again
    }
    previous = c;
  }
}

// Cuts at the last code point boundary at or before `max_bytes`.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  for (int k = 0; k < 3 && cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xC0) == 0x80; ++k) {
    --cut;
  }
  return text.substr(0, cut);
}

bool EndsWithDigit(const icu::UnicodeString& text, Span span) {
  return u_isdigit(text.char32At(text.moveIndex32(span.end, -1)));
}

// Step 4: "1/2" (also in "1/2hp" and "3x1/2") is one segment when nothing but the slash
// separates the digits; UAX #29 splits at "/".
bool JoinedByFractionSlash(const icu::UnicodeString& text, Span left, Span right) {
  return right.start == left.end + 1 && text.charAt(left.end) == '/' && EndsWithDigit(text, left) &&
         u_isdigit(text.char32At(right.start));
}

// Step 6: a quote right after a number is inches (`"` or `''`) or feet (`'`, unless a letter
// other than the "x" of dimensions follows, as in "90's").
std::string_view QuoteUnitAt(const icu::UnicodeString& text, int32_t pos) {
  const UChar32 c = pos < text.length() ? text.char32At(pos) : U_SENTINEL;
  if (c == '"') return "in";
  if (c != '\'') return {};
  const UChar32 next = pos + 1 < text.length() ? text.char32At(pos + 1) : U_SENTINEL;
  if (next == '\'') return "in";
  if (next != U_SENTINEL && next != 'x' && u_isalpha(next)) return {};
  return "ft";
}

std::string RuntimeIcuVersion() {
  UVersionInfo version;
  u_getVersion(version);
  char buffer[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(version, buffer);
  return buffer;
}

std::string UnicodeVersion() {
  UVersionInfo version;
  u_getUnicodeVersion(version);
  char buffer[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(version, buffer);
  return buffer;
}

}  // namespace

// ---- Impl: the normalizer, a prototype break iterator and a pool of workers ----

struct Analyzer::Impl {
  const icu::Normalizer2* normalizer = nullptr;  // Owned by ICU, thread-safe.
  std::unique_ptr<icu::BreakIterator> prototype;
  bool stem = false;
  std::string stem_probe;  // Hex CRC-32 of the stems of kStemProbe.

  std::mutex mu;
  std::vector<std::unique_ptr<Worker>> idle;  // Guarded by mu.

  std::unique_ptr<Worker> Acquire();
  void Release(std::unique_ptr<Worker> worker);
  icu::UnicodeString Normalize(std::string_view text) const;
  std::vector<Span> WordSpans(icu::BreakIterator& breaker, const icu::UnicodeString& text) const;
};

std::unique_ptr<Worker> Analyzer::Impl::Acquire() {
  std::lock_guard<std::mutex> lock(mu);
  if (!idle.empty()) {
    std::unique_ptr<Worker> worker = std::move(idle.back());
    idle.pop_back();
    return worker;
  }
  // Cloning under the lock: the prototype is never used for text, but ICU does not promise
  // that clone() of a shared iterator is safe from several threads.
  auto worker = std::make_unique<Worker>();
  worker->breaker.reset(prototype->clone());
  SOUK_CHECK(worker->breaker != nullptr);  // Out of memory.
  if (stem) {
    worker->stemmer = NewEnglishStemmer();
    SOUK_CHECK(worker->stemmer != nullptr);  // Create() proved that this succeeds.
  }
  return worker;
}

void Analyzer::Impl::Release(std::unique_ptr<Worker> worker) {
  std::lock_guard<std::mutex> lock(mu);
  idle.push_back(std::move(worker));
}

icu::UnicodeString Analyzer::Impl::Normalize(std::string_view text) const {
  // fromUTF8 turns every ill-formed sequence into U+FFFD (no word, no term).
  icu::UnicodeString decoded = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  SeparateVulgarFractions(decoded);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString normalized = normalizer->normalize(decoded, status);
  if (U_FAILURE(status)) return icu::UnicodeString();  // Only on out of memory.
  ReplaceLookalikes(normalized);
  return normalized;
}

std::vector<Span> Analyzer::Impl::WordSpans(icu::BreakIterator& breaker,
                                            const icu::UnicodeString& text) const {
  std::vector<Span> spans;
  breaker.setText(text);
  int32_t start = breaker.first();
  for (int32_t end = breaker.next(); end != icu::BreakIterator::DONE;
       start = end, end = breaker.next()) {
    if (breaker.getRuleStatus() >= UBRK_WORD_NONE_LIMIT) spans.push_back({start, end});
  }
  return spans;
}

// ---- Analyzer ----

absl::Status AnalyzerOptions::Validate() const {
  if (max_term_bytes == 0) return absl::InvalidArgumentError("max_term_bytes must be positive");
  if (max_input_bytes == 0) return absl::InvalidArgumentError("max_input_bytes must be positive");
  if (max_input_bytes > kMaxInputBytesLimit) {
    return absl::InvalidArgumentError(
        StrCat("max_input_bytes must be at most ", kMaxInputBytesLimit,
               " (64 MiB: normalization can grow text past ICU's 2^31 string bound)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& options) {
  if (absl::Status status = options.Validate(); !status.ok()) return status;
  auto impl = std::make_unique<Impl>();
  UErrorCode status = U_ZERO_ERROR;
  impl->normalizer = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    return absl::InternalError(StrCat("ICU NFKC_Casefold normalizer: ", u_errorName(status)));
  }
  impl->prototype.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || impl->prototype == nullptr) {
    return absl::InternalError(StrCat("ICU word break iterator: ", u_errorName(status)));
  }
  impl->stem = options.stem_english;
  if (impl->stem) {
    StemmerPtr stemmer = NewEnglishStemmer();
    if (stemmer == nullptr) return absl::InternalError("Snowball has no 'english' stemmer");
    std::string stems;
    for (std::string_view word : kStemProbe) {
      const sb_symbol* stem =
          sb_stemmer_stem(stemmer.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                          static_cast<int>(word.size()));
      if (stem == nullptr) return absl::ResourceExhaustedError("Snowball stemmer: out of memory");
      stems.append(reinterpret_cast<const char*>(stem), sb_stemmer_length(stemmer.get()));
      stems.push_back(' ');
    }
    char hex[9];
    std::snprintf(hex, sizeof(hex), "%08x", Crc32(stems));
    impl->stem_probe = hex;
  }
  return std::unique_ptr<Analyzer>(new Analyzer(options, std::move(impl)));
}

Analyzer::Analyzer(const AnalyzerOptions& options, std::unique_ptr<Impl> impl)
    : options_(options), impl_(std::move(impl)) {}

Analyzer::~Analyzer() = default;

std::vector<std::string> Analyzer::Analyze(std::string_view text) const {
  std::vector<std::string> terms;
  const icu::UnicodeString normalized =
      impl_->Normalize(TruncateUtf8(text, options_.max_input_bytes));
  if (normalized.isEmpty()) return terms;

  std::unique_ptr<Worker> worker = impl_->Acquire();
  const std::vector<Span> spans = impl_->WordSpans(*worker->breaker, normalized);
  internal::TermEmitter emitter(worker->stemmer.get(), options_.max_term_bytes, &terms);
  for (size_t i = 0; i < spans.size(); ++i) {
    Span span = spans[i];
    while (i + 1 < spans.size() && JoinedByFractionSlash(normalized, span, spans[i + 1])) {
      span.end = spans[++i].end;
    }
    emitter.EmitSegment(normalized.tempSubStringBetween(span.start, span.end));
    if (EndsWithDigit(normalized, span)) {
      if (const std::string_view unit = QuoteUnitAt(normalized, span.end); !unit.empty()) {
        emitter.EmitTerm(std::string(unit));
      }
    }
  }
  impl_->Release(std::move(worker));
  return terms;
}

std::string Analyzer::AnalyzedText(std::string_view text) const {
  std::string out;
  for (const std::string& term : Analyze(text)) {
    if (!out.empty()) out += ' ';
    out += term;
  }
  return out;
}

std::string Analyzer::Fingerprint() const {
  return StrCat(
      "souk-analyzer/", kAnalyzerVersion,
      ";stem=", impl_->stem ? StrCat("snowball-english:", impl_->stem_probe) : std::string("none"),
      ";icu=", RuntimeIcuVersion(), ";icu_built=", U_ICU_VERSION, ";unicode=", UnicodeVersion(),
      ";max_term_bytes=", options_.max_term_bytes, ";max_input_bytes=", options_.max_input_bytes);
}

}  // namespace souk::text
