#include "souk/text/fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace souk::text {

std::string FoldText(std::string_view text) {
  // fromUTF8 turns every ill-formed sequence into U+FFFD.
  const icu::UnicodeString decoded = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* folding = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return std::string();  // ICU's data missing: nothing would match
  const icu::UnicodeString folded = folding->normalize(decoded, status);
  if (U_FAILURE(status)) return std::string();  // only on out of memory
  icu::UnicodeString collapsed;
  bool blank = false;
  for (int32_t i = 0; i < folded.length(); i = folded.moveIndex32(i, 1)) {
    const UChar32 c = folded.char32At(i);
    if (u_isUWhiteSpace(c)) {
      blank = !collapsed.isEmpty();
      continue;
    }
    if (blank) collapsed.append(static_cast<UChar>(' '));
    blank = false;
    collapsed.append(c);
  }
  std::string out;
  collapsed.toUTF8String(out);
  return out;
}

}  // namespace souk::text
