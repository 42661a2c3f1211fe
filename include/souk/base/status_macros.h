// Status propagation macros (the Abseil in Debian 12 has none).
//
//   SOUK_RETURN_IF_ERROR(DoThing());
//   SOUK_ASSIGN_OR_RETURN(auto index, Index::Load(path));
//
// Both evaluate their argument exactly once and return the error Status unchanged; add context
// at the call site with souk::Annotate when the caller knows more than the callee.
#pragma once

#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/base/str_cat.h"

namespace souk {

/// Returns `status` with `context: ` prepended to its message, keeping its code.
inline absl::Status Annotate(const absl::Status& status, std::string_view context) {
  if (status.ok()) return status;
  return absl::Status(status.code(), StrCat(context, ": ", status.message()));
}

}  // namespace souk

#define SOUK_STATUS_CONCAT_INNER_(a, b) a##b
#define SOUK_STATUS_CONCAT_(a, b) SOUK_STATUS_CONCAT_INNER_(a, b)

#define SOUK_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::absl::Status souk_status_ = (expr);        \
    if (!souk_status_.ok()) return souk_status_; \
  } while (false)

#define SOUK_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                \
  if (!statusor.ok()) return statusor.status();           \
  lhs = std::move(statusor).value()

#define SOUK_ASSIGN_OR_RETURN(lhs, rexpr) \
  SOUK_ASSIGN_OR_RETURN_IMPL_(SOUK_STATUS_CONCAT_(souk_statusor_, __LINE__), lhs, rexpr)
