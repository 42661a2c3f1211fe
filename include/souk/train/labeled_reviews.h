// Customer reviews with their category and sentiment label: what `souk train sentiment` learns
// from and what the masked-LM corpus reads as review text.
//
// Files:
//   *.csv    the `cat,label,review` layout of ChineseNlpCorpus' online_shopping_10_cats.csv: a
//            header line, RFC 4180 quoting, label 1 positive / 0 negative, a U+FEFF at the start
//            of any line or field ignored (the published file has them before some reviews);
//            rows of category 酒店 (hotels, not products) are skipped.
//   *.jsonl  a demo shop events.jsonl: its `review` events, labeled by stars (4-5 positive,
//            1-2 negative, 3 unlabeled), category "" (the events do not carry one).
// Reviews with empty text are skipped (a rating alone says nothing to read).
//
// The held-out split is fixed: a review is held out when a hash of its text says so (20%), so
// its side depends neither on file order nor on the other rows, and a text that appears twice is
// on one side only. The corpus leaves held-out reviews out as well, so no model is pre-trained on
// the reviews its sentiment accuracy is measured on.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace souk::train {

inline constexpr int kUnlabeled = -1;

struct LabeledReview {
  std::string category;    ///< "" when the source has none.
  int label = kUnlabeled;  ///< 1 positive, 0 negative, kUnlabeled (a 3-star demo review).
  std::string text;
};

/// The fixed sentiment split: 20% of texts, by a seeded hash of the text's bytes.
bool IsHeldOutReview(std::string_view text);

/// Every review of a .csv or .jsonl file, in file order. Errors name the file (and line):
/// NOT_FOUND / unreadable files, a file that is neither .csv nor .jsonl, a bad header, a row
/// that is not 3 fields, a label other than 0 or 1, text that is not UTF-8, a line that is not
/// a JSON object, a review event without a string "text" or an integer "rating" in 1..5.
absl::StatusOr<std::vector<LabeledReview>> ReadLabeledReviews(const std::string& path);

}  // namespace souk::train
