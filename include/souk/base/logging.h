// Logging facade: the only way Souk code logs. spdlog stays inside logging.cc so that no other
// translation unit sees it. Sinks and format are chosen once, by the executables' main().
//
//   SOUK_LOG_INFO("lexical", "loaded ", terms, " terms in ", ms, " ms");
//
// Messages are built with souk::StrCat. Trace and debug messages compile out of NDEBUG builds.
// Thread-safe. Never log raw user ids or full queries at info level and above.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "souk/base/str_cat.h"

namespace souk::logging {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

struct LogOptions {
  Level level = Level::kInfo;  ///< Messages below this level are dropped.
  bool json = false;           ///< One JSON object per line (for log collectors) instead of text.
};

/// Sets the process-wide sink and level. Call once from main() before other threads start.
void Configure(const LogOptions& options);

/// Parses "trace|debug|info|warn|error|off"; returns false for anything else.
bool ParseLevel(std::string_view text, Level* level);

bool Enabled(Level level);
void Write(Level level, std::string_view component, std::string_view message);

/// A named value of a structured log line; empty values are left out.
struct Field {
  std::string_view name;
  std::string value;
};
/// `message` with fields: in JSON, each a key of the line's object; in text, `name=value`
/// after the message (values with spaces or quotes quoted).
void WriteFields(Level level, std::string_view component, std::string_view message,
                 std::initializer_list<Field> fields);

}  // namespace souk::logging

#define SOUK_LOG_(level, component, ...)                                     \
  do {                                                                       \
    if (::souk::logging::Enabled(level))                                     \
      ::souk::logging::Write(level, component, ::souk::StrCat(__VA_ARGS__)); \
  } while (false)

#define SOUK_LOG_INFO(component, ...) \
  SOUK_LOG_(::souk::logging::Level::kInfo, component, __VA_ARGS__)
#define SOUK_LOG_WARN(component, ...) \
  SOUK_LOG_(::souk::logging::Level::kWarn, component, __VA_ARGS__)
#define SOUK_LOG_ERROR(component, ...) \
  SOUK_LOG_(::souk::logging::Level::kError, component, __VA_ARGS__)
#ifdef NDEBUG
#define SOUK_LOG_DEBUG(component, ...) \
  do {                                 \
  } while (false)
#else
#define SOUK_LOG_DEBUG(component, ...) \
  SOUK_LOG_(::souk::logging::Level::kDebug, component, __VA_ARGS__)
#endif
