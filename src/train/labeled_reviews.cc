#include "souk/train/labeled_reviews.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"
#include "souk/base/utf8.h"
#include "souk/train/labeled_queries.h"

namespace souk::train {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kSkippedCategory = "酒店";  // hotel reviews are not about products
constexpr double kHeldOutFraction = 0.2;
constexpr uint64_t kSplitSeed = 20;  // fixed: the published accuracy is on this split

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ":", line, ": ", what));
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view StripBom(std::string_view text) {
  return text.substr(0, kBom.size()) == kBom ? text.substr(kBom.size()) : text;
}

// ---- reviews: CSV (RFC 4180) ----

// Reads the records of a whole CSV file one at a time: quoted fields may hold commas, doubled
// quotes and line breaks; CRLF and LF both end a record.
class CsvCursor {
 public:
  CsvCursor(const std::string& path, std::string_view contents)
      : path_(path), rest_(StripBom(contents)) {}

  // Fills `*fields` with the next record; false at the end. `line()` is its first line.
  absl::StatusOr<bool> Next(std::vector<std::string>* fields) {
    fields->clear();
    if (rest_.empty()) return false;
    ++line_;
    record_line_ = line_;
    while (true) {
      std::string field;
      SOUK_RETURN_IF_ERROR(ReadField(&field));
      fields->push_back(std::move(field));
      if (rest_.empty()) return true;
      const char separator = rest_.front();
      rest_.remove_prefix(1);
      if (separator == '\n') return true;
    }
  }

  size_t line() const { return record_line_; }

 private:
  absl::Status ReadField(std::string* field) {
    if (!rest_.empty() && rest_.front() == '"') return ReadQuotedField(field);
    const size_t end = std::min(rest_.find_first_of(",\n"), rest_.size());
    std::string_view cell = rest_.substr(0, end);
    if (!cell.empty() && cell.back() == '\r' && end < rest_.size()) cell.remove_suffix(1);
    field->assign(cell);
    rest_.remove_prefix(end);
    return absl::OkStatus();
  }

  absl::Status ReadQuotedField(std::string* field) {
    rest_.remove_prefix(1);
    while (true) {
      const size_t quote = rest_.find('"');
      if (quote == std::string_view::npos) {
        return LineError(path_, record_line_, "quoted field is never closed");
      }
      const std::string_view part = rest_.substr(0, quote);
      for (const char c : part) line_ += c == '\n' ? 1 : 0;
      field->append(part);
      rest_.remove_prefix(quote + 1);
      if (rest_.empty() || rest_.front() != '"') break;
      field->push_back('"');  // "" inside quotes is one quote
      rest_.remove_prefix(1);
    }
    if (!rest_.empty() && rest_.front() == '\r') rest_.remove_prefix(1);
    if (!rest_.empty() && rest_.front() != ',' && rest_.front() != '\n') {
      return LineError(path_, line_, "expected ',' or the end of the line after a quoted field");
    }
    return absl::OkStatus();
  }

  const std::string& path_;
  std::string_view rest_;
  size_t line_ = 0;
  size_t record_line_ = 0;
};

absl::Status CheckCsvRecord(const std::string& path, size_t line,
                            const std::vector<std::string>& fields) {
  if (fields.size() != 3) {
    return LineError(path, line,
                     StrCat("expected 3 fields (cat,label,review), got ", fields.size()));
  }
  for (const std::string& field : fields) {
    if (!IsValidUtf8(field)) return LineError(path, line, "text is not valid UTF-8");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ParseLabel(const std::string& path, size_t line, std::string_view field) {
  if (field == "0" || field == "1") return field == "1" ? 1 : 0;
  return LineError(path, line, StrCat("label must be 0 or 1, got \"", field, "\""));
}

absl::StatusOr<std::vector<LabeledReview>> ReadReviewsCsv(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  CsvCursor cursor(path, contents);
  std::vector<std::string> fields;
  SOUK_ASSIGN_OR_RETURN(bool has_header, cursor.Next(&fields));
  if (!has_header || fields.size() != 3 || StripBom(fields[0]) != "cat" || fields[2] != "review") {
    return LineError(path, 1, "expected the header cat,label,review");
  }
  std::vector<LabeledReview> reviews;
  while (true) {
    SOUK_ASSIGN_OR_RETURN(const bool more, cursor.Next(&fields));
    if (!more) return reviews;
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    SOUK_RETURN_IF_ERROR(CheckCsvRecord(path, cursor.line(), fields));
    // The published file starts some fields (not only lines) with a byte order mark.
    const std::string_view category = StripBom(fields[0]);
    if (category == kSkippedCategory) continue;
    SOUK_ASSIGN_OR_RETURN(const int label, ParseLabel(path, cursor.line(), StripBom(fields[1])));
    const std::string_view text = StripBom(fields[2]);
    if (TrimBlanks(text).empty()) continue;
    reviews.push_back({std::string(category), label, std::string(text)});
  }
}

// ---- demo shop events ----

absl::StatusOr<std::vector<LabeledReview>> ReadReviewsJsonl(const std::string& path) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  LineCursor cursor(contents);
  std::string_view line;
  std::vector<LabeledReview> reviews;
  while (cursor.Next(&line)) {
    if (TrimBlanks(line).empty()) continue;
    const nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object()) return LineError(path, cursor.line_number(), "not a JSON object");
    const auto type = event.find("type");
    if (type == event.end() || !type->is_string() ||
        type->get_ref<const std::string&>() != "review") {
      continue;
    }
    const auto text = event.find("text");
    if (text == event.end() || !text->is_string()) {
      return LineError(path, cursor.line_number(), "review event without a string \"text\"");
    }
    const auto rating = event.find("rating");
    if (rating == event.end() || !rating->is_number_integer() || *rating < 1 || *rating > 5) {
      return LineError(path, cursor.line_number(), "review event without a \"rating\" in 1..5");
    }
    const std::string& body = text->get_ref<const std::string&>();
    if (TrimBlanks(body).empty()) continue;
    const int stars = rating->get<int>();
    reviews.push_back({"", stars >= 4 ? 1 : stars <= 2 ? 0 : kUnlabeled, body});
  }
  return reviews;
}

}  // namespace

bool IsHeldOutReview(std::string_view text) {
  return IsHeldOut(text, kHeldOutFraction, kSplitSeed);
}

absl::StatusOr<std::vector<LabeledReview>> ReadLabeledReviews(const std::string& path) {
  if (EndsWith(path, ".csv")) return ReadReviewsCsv(path);
  if (EndsWith(path, ".jsonl")) return ReadReviewsJsonl(path);
  return absl::InvalidArgumentError(StrCat(
      "review file ", path, ": expected .csv (cat,label,review) or .jsonl (demo shop events)"));
}

}  // namespace souk::train
