// Invariant checks. A failed check is a bug in Souk, never bad input: it logs the condition and
// location to stderr and aborts. Bad input is reported with absl::Status instead.
//
// SOUK_CHECK is always on; SOUK_DCHECK only in debug builds (NDEBUG unset).
#pragma once

namespace souk::internal {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line);
}  // namespace souk::internal

#define SOUK_CHECK(condition)                                                        \
  do {                                                                               \
    if (!(condition)) ::souk::internal::CheckFailed(#condition, __FILE__, __LINE__); \
  } while (false)

#ifdef NDEBUG
#define SOUK_DCHECK(condition) \
  do {                         \
  } while (false && (condition))
#else
#define SOUK_DCHECK(condition) SOUK_CHECK(condition)
#endif
