// Private UTF-8 helpers of the catalog component: validation of ids and text read from files, and
// quoting of user data inside error messages. Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace souk::catalog::internal {

/// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
/// U+10FFFF).
bool IsValidUtf8(std::string_view text);

/// `text` in double quotes for an error message: cut to about 80 bytes on a character boundary,
/// with bytes of ill-formed UTF-8 and control characters written as \xNN escapes.
std::string QuoteForError(std::string_view text);

}  // namespace souk::catalog::internal
