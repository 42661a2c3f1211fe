// UTF-8 validation, used at the edges (requests, catalog files) so that inner code can assume
// valid text. Well-formed means RFC 3629 / Unicode 15 Table 3-7: shortest form only, no
// surrogates (U+D800..U+DFFF), nothing past U+10FFFF, no truncated sequence.
//
// Thread-safety: pure functions. Ownership: nothing is retained.
#pragma once

#include <string>
#include <string_view>

namespace souk {

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

/// Length in bytes of the well-formed sequence that starts at `s[i]` (1..4), or 0 when the
/// bytes there are not well-formed UTF-8. Requires i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);

/// Number of code points in valid UTF-8 `s` (for invalid input: the number of bytes that are not
/// continuation bytes, a bound that never crashes).
size_t CodePointCount(std::string_view s);

}  // namespace souk
