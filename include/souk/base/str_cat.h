// souk::StrCat: absl::StrCat that also takes std::string_view.
//
// Debian 12's Abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW is
// 0), so absl::StrCat rejects std::string_view arguments. Souk's APIs use std::string_view; this
// wrapper converts them and forwards everything else unchanged.
#pragma once

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace souk {
namespace internal {
inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
template <typename T>
const T& ToAbsl(const T& value) {
  return value;
}
}  // namespace internal

template <typename... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(internal::ToAbsl(args)...);
}

/// std::string_view of an absl::string_view (e.g. absl::Status::message()).
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace souk
