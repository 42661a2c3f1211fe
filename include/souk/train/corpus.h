// Unlabeled shop text for tokenizer and masked-LM training: product titles and descriptions,
// customer reviews, and plain text files, read into one list of lines.
//
// Sources (each optional; at least one line must come out of them all):
//   catalogs    product files as `souk index` reads them (catalog/product_reader.h: JSONL or
//               Home Depot TSV): one line per product title, one per non-empty description.
//   reviews     review text of `*.csv` (online_shopping_10_cats.csv) or `*.jsonl` (demo shop
//               events) as labeled_reviews.h reads them, held-out reviews left out (the
//               sentiment split), labels ignored.
//   text_files  plain UTF-8 text, one sentence per line.
// One text (a title, description or review) is one line: line breaks inside it become spaces.
// Lines are trimmed of ASCII blanks; empty lines are dropped; each line is cut at
// max_line_bytes (at a UTF-8 boundary). Order: catalogs, then reviews, then text files, each in
// file order, so the corpus is deterministic.
// Thread-safety: a pure function of its options.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace souk::train {

struct CorpusOptions {
  std::vector<std::string> catalogs;
  std::vector<std::string> reviews;
  std::vector<std::string> text_files;
  size_t max_line_bytes = 2048;  ///< Longer lines are cut (a bound on memory, not an error).
};

/// Counts per source kind, for the log.
struct CorpusStats {
  size_t catalog_lines = 0;
  size_t review_lines = 0;
  size_t text_lines = 0;
};

/// All lines of all sources. Errors name the file (and line for malformed rows, bad JSON and
/// text or CSV lines that are not UTF-8): NOT_FOUND / unreadable files, a review file that is
/// neither .csv nor .jsonl, and FAILED_PRECONDITION
/// "empty corpus" naming the sources when no line comes out.
absl::StatusOr<std::vector<std::string>> ReadCorpus(const CorpusOptions& options,
                                                    CorpusStats* stats = nullptr);

}  // namespace souk::train
