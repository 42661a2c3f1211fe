// Strict parsing of numbers written as text in Souk's input files (catalog fields, qrels grades,
// TREC ranks and scores), so that every reader accepts and refuses the same spellings.
//
// ParseWhole<T> accepts exactly one decimal number filling the whole field, with spaces and tabs
// around it allowed: std::from_chars syntax ("12", "-3", "1e3", "0.5"; no '+', no thousands
// separators, no hex). Floating-point results must be finite: "inf", "nan" and overflowing
// values are refused. Out-of-range integers are refused, never wrapped.
// Thread-safety: pure functions, independent of the C locale.
#pragma once

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "souk/base/text_lines.h"

namespace souk {

/// The number `text` spells (blanks around it allowed), or nullopt for anything else, including
/// an empty field.
template <typename T>
std::optional<T> ParseWhole(std::string_view text) {
  static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>);
  text = TrimBlanks(text);
  if (text.empty()) return std::nullopt;
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value)) return std::nullopt;
  }
  return value;
}

}  // namespace souk
