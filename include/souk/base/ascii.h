// ASCII-only character helpers. Unlike <cctype> they ignore the C locale, so that file formats
// and generated data do not change with the environment (std::tolower under a Latin-1 locale
// lower-cases byte 0xC0, corrupting UTF-8).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace souk {

/// `c` lower-cased if it is 'A'..'Z'; every other byte (UTF-8 included) unchanged.
constexpr char AsciiToLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `text` with 'A'..'Z' lower-cased; every other byte (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

/// `text` ASCII-lower-cased, ASCII blanks (space, \t, \n, \r, \v, \f) trimmed and each run of
/// them collapsed to one space: the form in which typed queries compare ("Drill  Bits " and
/// "drill bits" are one query).
std::string AsciiLowerCollapsingBlanks(std::string_view text);

}  // namespace souk
