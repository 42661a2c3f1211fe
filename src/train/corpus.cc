#include "souk/train/corpus.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"
#include "souk/base/utf8.h"
#include "souk/catalog/product_reader.h"
#include "souk/train/labeled_reviews.h"

namespace souk::train {
namespace {

absl::Status LineError(const std::string& path, size_t line, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ":", line, ": ", what));
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

// ---- reviews ----

// Training-side reviews only (labeled_reviews.h): the held-out ones measure sentiment models.
absl::Status ReadReviews(const std::string& path, LineSink* sink) {
  SOUK_ASSIGN_OR_RETURN(const std::vector<LabeledReview> reviews, ReadLabeledReviews(path));
  for (const LabeledReview& review : reviews) {
    if (!IsHeldOutReview(review.text)) sink->Add(review.text);
  }
  return absl::OkStatus();
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
