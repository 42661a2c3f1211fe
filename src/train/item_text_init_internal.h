// Item embeddings started from product text (the text-initialised variant of docs/recommend.md):
// each item's text is embedded by a text encoder, the vectors are reduced to the model's width by
// principal components (the directions in which the catalog's texts differ most) and scaled to
// the embedding's initial spread, so that items with similar text start near each other and an
// item seen in few histories still lands among its kind. Items without text keep their random
// rows. Private to train/.
#pragma once

#include <torch/torch.h>

#include <cstddef>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "souk/recommend/interactions.h"

namespace souk::train::internal {

/// `item<TAB>text` lines (docs/formats/item-text.md); an item may appear once.
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ReadItemText(const std::string& path);

/// Overwrites rows 1..items.size() of `embeddings` ([items + 1, H]) for the items with text in
/// `item_text`, by the encoder in `encoder_dir` (on `threads` threads); the new rows have
/// standard deviation `std`. Returns how many rows were set.
absl::StatusOr<size_t> InitItemEmbeddingsFromText(const recommend::ItemVocabulary& items,
                                                  const std::string& item_text,
                                                  const std::string& encoder_dir, int threads,
                                                  double std, torch::Tensor embeddings);

}  // namespace souk::train::internal
