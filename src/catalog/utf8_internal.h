// Quoting of user data inside the catalog's error messages. Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace souk::catalog::internal {

/// `text` in double quotes for an error message: cut to about 80 bytes on a character boundary,
/// with bytes of ill-formed UTF-8 and control characters written as \xNN escapes.
std::string QuoteForError(std::string_view text);

}  // namespace souk::catalog::internal
