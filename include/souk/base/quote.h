// Quoting of user text (ids, cells, queries) inside error messages, so that a message stays one
// printable line whatever the input holds, and a reader can tell where the text ends.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace souk {

/// `text` in double quotes for an error message: `"` and `\` are escaped with a backslash;
/// control characters, DEL and bytes of ill-formed UTF-8 are written as \xNN; text longer than
/// about 80 bytes is cut on a character boundary and ends in "...". Well-formed non-ASCII text
/// is kept as it is ("颜色").
std::string QuoteForError(std::string_view text);

}  // namespace souk
