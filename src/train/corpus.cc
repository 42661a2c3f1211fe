#include "souk/train/corpus.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "nlohmann/json.hpp"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"
#include "souk/base/utf8.h"
#include "souk/catalog/product_reader.h"

namespace souk::train {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kSkippedCategory = "酒店";  // hotel reviews are not about products

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ":", line, ": ", what));
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view StripBom(std::string_view text) {
  return text.substr(0, kBom.size()) == kBom ? text.substr(kBom.size()) : text;
}

// ---- line normalization ----

// Collects corpus lines: one entry per text, so a review or description that holds line breaks
// stays one training example (its breaks become spaces).
class LineSink {
 public:
  LineSink(std::vector<std::string>* lines, size_t max_line_bytes)
      : lines_(lines), max_line_bytes_(max_line_bytes) {}

  void Add(std::string_view text) {
    std::string line(text);
    for (char& c : line) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    const size_t begin = line.find_first_not_of(" \t\v\f");
    if (begin == std::string::npos) return;
    line.erase(0, begin);
    line.erase(line.find_last_not_of(" \t\v\f") + 1);
    if (line.size() > max_line_bytes_) line.resize(Utf8Boundary(line, max_line_bytes_));
    if (line.empty()) return;
    lines_->push_back(std::move(line));
    ++added_;
  }

  size_t added() const { return added_; }

 private:
  // The largest prefix length <= n that does not split a UTF-8 sequence.
  static size_t Utf8Boundary(std::string_view text, size_t n) {
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return n;
  }

  std::vector<std::string>* lines_;
  size_t max_line_bytes_;
  size_t added_ = 0;
};

// ---- catalogs ----

absl::Status ReadCatalog(const std::string& path, LineSink* sink) {
  SOUK_ASSIGN_OR_RETURN(std::vector<catalog::Product> products,
                        catalog::ReadProducts(path, catalog::ReadOptions{}));
  for (const catalog::Product& product : products) {
    sink->Add(product.title);
    sink->Add(product.description);
  }
  return absl::OkStatus();
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

absl::Status ReadReviewsCsv(const std::string& path, LineSink* sink) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  CsvCursor cursor(path, contents);
  std::vector<std::string> fields;
  SOUK_ASSIGN_OR_RETURN(bool has_header, cursor.Next(&fields));
  if (!has_header || fields.size() != 3 || StripBom(fields[0]) != "cat" || fields[2] != "review") {
    return LineError(path, 1, "expected the header cat,label,review");
  }
  while (true) {
    SOUK_ASSIGN_OR_RETURN(const bool more, cursor.Next(&fields));
    if (!more) return absl::OkStatus();
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    SOUK_RETURN_IF_ERROR(CheckCsvRecord(path, cursor.line(), fields));
    // The published file starts some fields (not only lines) with a byte order mark.
    if (StripBom(fields[0]) == kSkippedCategory) continue;
    sink->Add(StripBom(fields[2]));
  }
}

// ---- reviews: demo shop events ----

absl::Status ReadReviewsJsonl(const std::string& path, LineSink* sink) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  LineCursor cursor(contents);
  std::string_view line;
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
    sink->Add(text->get_ref<const std::string&>());
  }
  return absl::OkStatus();
}

absl::Status ReadReviews(const std::string& path, LineSink* sink) {
  if (EndsWith(path, ".csv")) return ReadReviewsCsv(path, sink);
  if (EndsWith(path, ".jsonl")) return ReadReviewsJsonl(path, sink);
  return absl::InvalidArgumentError(StrCat(
      "review file ", path, ": expected .csv (cat,label,review) or .jsonl (demo shop events)"));
}

// ---- plain text ----

absl::Status ReadTextFile(const std::string& path, LineSink* sink) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(path));
  LineCursor cursor(contents);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (!IsValidUtf8(line)) return LineError(path, cursor.line_number(), "not valid UTF-8");
    sink->Add(line);
  }
  return absl::OkStatus();
}

// ---- driver ----

std::string JoinPaths(const std::vector<std::string>& paths) {
  std::string joined;
  for (const std::string& path : paths) joined += StrCat(joined.empty() ? "" : ", ", path);
  return joined.empty() ? "none" : joined;
}

using FileReader = absl::Status (*)(const std::string&, LineSink*);

absl::StatusOr<size_t> ReadAll(const std::vector<std::string>& paths, FileReader reader,
                               std::vector<std::string>* lines, size_t max_line_bytes) {
  LineSink sink(lines, max_line_bytes);
  for (const std::string& path : paths) SOUK_RETURN_IF_ERROR(reader(path, &sink));
  return sink.added();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ReadCorpus(const CorpusOptions& options,
                                                    CorpusStats* stats) {
  std::vector<std::string> lines;
  CorpusStats counts;
  const size_t max_bytes = options.max_line_bytes;
  SOUK_ASSIGN_OR_RETURN(counts.catalog_lines,
                        ReadAll(options.catalogs, &ReadCatalog, &lines, max_bytes));
  SOUK_ASSIGN_OR_RETURN(counts.review_lines,
                        ReadAll(options.reviews, &ReadReviews, &lines, max_bytes));
  SOUK_ASSIGN_OR_RETURN(counts.text_lines,
                        ReadAll(options.text_files, &ReadTextFile, &lines, max_bytes));
  if (lines.empty()) {
    return absl::FailedPreconditionError(StrCat(
        "empty corpus: no text line in catalogs (", JoinPaths(options.catalogs), "), reviews (",
        JoinPaths(options.reviews), ") or text files (", JoinPaths(options.text_files), ")"));
  }
  if (stats != nullptr) *stats = counts;
  return lines;
}

}  // namespace souk::train
