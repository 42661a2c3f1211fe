#include "souk/train/search_log.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "nlohmann/json.hpp"
#include "souk/base/ascii.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::train {
namespace {

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ":", line, ": ", what));
}

// The grade an event type gives its product, or nullopt for events that judge nothing.
std::optional<int> GradeOf(std::string_view type) {
  if (type == "click") return 1;
  if (type == "add_to_cart") return 2;
  if (type == "purchase") return 3;
  return std::nullopt;
}

class SearchLogReader {
 public:
  explicit SearchLogReader(const std::string& path) : path_(path) {}

  absl::Status Add(const nlohmann::json& event, size_t line) {
    SOUK_ASSIGN_OR_RETURN(const std::string type, StringField(event, "type", line));
    if (type == "search") return AddSearch(event, line);
    if (type == "impression") return AddImpression(event, line);
    const std::optional<int> grade = GradeOf(type);
    if (!grade.has_value()) return absl::OkStatus();
    SOUK_ASSIGN_OR_RETURN(const std::string request, StringField(event, "request_id", line));
    SOUK_ASSIGN_OR_RETURN(std::string product, StringField(event, "product_id", line));
    SOUK_ASSIGN_OR_RETURN(const std::optional<int> position, PositionField(event, line));
    const auto it = request_search_.find(request);
    if (it == request_search_.end()) return absl::OkStatus();  // its search is not in the log
    RecordOutcome(searches_[it->second], std::move(product), position, *grade);
    return absl::OkStatus();
  }

  std::vector<LoggedSearch> Finish() { return std::move(searches_); }

 private:
  absl::Status AddSearch(const nlohmann::json& event, size_t line) {
    SOUK_ASSIGN_OR_RETURN(std::string request, StringField(event, "request_id", line));
    SOUK_ASSIGN_OR_RETURN(const std::string query, StringField(event, "query", line));
    std::string text = AsciiLowerCollapsingBlanks(query);
    if (text.empty()) return absl::OkStatus();
    SOUK_ASSIGN_OR_RETURN(std::string user, OptionalString(event, "user_id", line));
    SOUK_ASSIGN_OR_RETURN(std::string session, OptionalString(event, "session_id", line));
    const auto ts = event.find("ts");
    if (ts != event.end() && !ts->is_number_integer()) {
      return LineError(path_, line, "\"ts\" must be an integer");
    }
    request_search_[request] = searches_.size();
    searches_.push_back({.request_id = std::move(request),
                         .query = std::move(text),
                         .user_id = std::move(user),
                         .session_id = std::move(session),
                         .ts = ts == event.end() ? 0 : ts->get<int64_t>()});
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> OptionalString(const nlohmann::json& event, const char* key,
                                             size_t line) const {
    if (!event.contains(key)) return std::string();
    return StringField(event, key, line);
  }

  absl::Status AddImpression(const nlohmann::json& event, size_t line) {
    SOUK_ASSIGN_OR_RETURN(const std::string request, StringField(event, "request_id", line));
    const auto ids = event.find("product_ids");
    if (ids == event.end() || !ids->is_array() ||
        !std::all_of(ids->begin(), ids->end(), [](const auto& id) { return id.is_string(); })) {
      return LineError(path_, line, "expected an array of strings \"product_ids\"");
    }
    const auto it = request_search_.find(request);
    if (it == request_search_.end()) return absl::OkStatus();
    LoggedSearch& search = searches_[it->second];
    search.shown.clear();
    for (const auto& id : *ids) search.shown.push_back(id.get<std::string>());
    return absl::OkStatus();
  }

  // The outcome keeps the highest grade and the first known position of its product.
  static void RecordOutcome(LoggedSearch& search, std::string product, std::optional<int> position,
                            int grade) {
    if (!position.has_value()) {
      const auto shown = std::find(search.shown.begin(), search.shown.end(), product);
      if (shown != search.shown.end())
        position = static_cast<int>(shown - search.shown.begin()) + 1;
    }
    for (LoggedOutcome& outcome : search.outcomes) {
      if (outcome.product != product) continue;
      outcome.grade = std::max(outcome.grade, grade);
      if (outcome.position == 0) outcome.position = position.value_or(0);
      return;
    }
    search.outcomes.push_back({std::move(product), position.value_or(0), grade});
  }

  absl::StatusOr<std::string> StringField(const nlohmann::json& event, const char* key,
                                          size_t line) const {
    const auto it = event.find(key);
    if (it == event.end() || !it->is_string()) {
      return LineError(path_, line, StrCat("expected a string \"", key, "\""));
    }
    return it->get<std::string>();
  }

  absl::StatusOr<std::optional<int>> PositionField(const nlohmann::json& event, size_t line) const {
    const auto it = event.find("position");
    if (it == event.end()) return std::nullopt;
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 1000000) {
      return LineError(path_, line, "\"position\" must be an integer 1..1000000");
    }
    return static_cast<int>(it->get<int64_t>());
  }

  const std::string& path_;
  std::vector<LoggedSearch> searches_;
  absl::flat_hash_map<std::string, size_t> request_search_;  // request id -> searches_ index
};

}  // namespace

absl::StatusOr<std::vector<LoggedSearch>> ReadSearchLog(const std::string& events_path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(events_path));
  SearchLogReader reader(events_path);
  LineCursor cursor(contents);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (TrimBlanks(line).empty()) continue;
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object()) {
      return LineError(events_path, cursor.line_number(), "not a JSON object");
    }
    SOUK_RETURN_IF_ERROR(reader.Add(event, cursor.line_number()));
  }
  return reader.Finish();
}

}  // namespace souk::train
