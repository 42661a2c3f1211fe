#include "souk/base/logging.h"

#include <atomic>
#include <memory>
#include <string>

#include "nlohmann/json.hpp"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace souk::logging {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<bool> g_json{false};

spdlog::logger& Logger() {
  // Leaked on purpose: a function-local static object is destroyed at exit while threads the
  // process does not join (gRPC's, a detached worker) may still log. stderr keeps stdout free for
  // command output (souk search prints results there).
  static spdlog::logger* const logger = [] {
    auto* l = new spdlog::logger("souk", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_level(spdlog::level::trace);  // filtering happens in Enabled()
    return l;
  }();
  return *logger;
}

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kTrace:
      return spdlog::level::trace;
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

}  // namespace

void Configure(const LogOptions& options) {
  g_level = static_cast<int>(options.level);
  g_json = options.json;
  if (options.json) {
    Logger().set_pattern("%v");  // the message is the whole JSON object
  } else {
    Logger().set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  }
}

bool ParseLevel(std::string_view text, Level* level) {
  static constexpr std::pair<std::string_view, Level> kNames[] = {
      {"trace", Level::kTrace}, {"debug", Level::kDebug}, {"info", Level::kInfo},
      {"warn", Level::kWarn},   {"error", Level::kError}, {"off", Level::kOff}};
  for (const auto& [name, value] : kNames) {
    if (name == text) {
      *level = value;
      return true;
    }
  }
  return false;
}

bool Enabled(Level level) {
  return level != Level::kOff && static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void Write(Level level, std::string_view component, std::string_view message) {
  WriteFields(level, component, message, {});
}

void WriteFields(Level level, std::string_view component, std::string_view message,
                 std::initializer_list<Field> fields) {
  if (g_json.load(std::memory_order_relaxed)) {
    nlohmann::json line = {{"ts_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count()},
                           {"level", spdlog::level::to_string_view(ToSpd(level)).data()},
                           {"component", std::string(component)},
                           {"msg", std::string(message)}};
    for (const Field& f : fields) {
      if (!f.value.empty()) line[std::string(f.name)] = f.value;
    }
    Logger().log(ToSpd(level), "{}",
                 line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  std::string text(message);
  for (const Field& f : fields) {
    if (f.value.empty()) continue;
    const bool quote = f.value.find_first_of(" \"=") != std::string::npos;
    text += StrCat(" ", f.name, "=", quote ? nlohmann::json(f.value).dump() : f.value);
  }
  Logger().log(ToSpd(level), "[{}] {}", component, text);
}

}  // namespace souk::logging
