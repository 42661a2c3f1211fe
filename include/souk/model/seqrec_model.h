// SeqRecModel: a trained sequential recommender loaded from its model directory, scoring item
// histories (the torch-free face of model/seqrec.h, for the recommenders and the CLI).
//
// Directory (docs/formats/seqrec-model.md): config.json (SeqRecConfig), model.safetensors (the
// SasRec parameters) and items.txt (the external item ids, one per line, item 1 first; read by
// the caller's vocabulary, recommend/interactions.h).
//
// Thread-safety: immutable after Load; TopK may run concurrently (inference mode, no state).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "souk/model/seqrec_config.h"

namespace souk::model {

inline constexpr char kSeqRecConfigFile[] = "config.json";
inline constexpr char kSeqRecWeightsFile[] = "model.safetensors";
inline constexpr char kSeqRecItemsFile[] = "items.txt";

struct ScoredItem {
  uint32_t item = 0;  ///< 1..num_items.
  float score = 0;
};

class SeqRecModel {
 public:
  /// `device` as model/device.h spells it; `threads` libtorch intra-op threads (0: leave as is).
  /// Errors name the file at fault.
  static absl::StatusOr<std::unique_ptr<SeqRecModel>> Load(const std::string& dir,
                                                           const std::string& device = "cpu",
                                                           int threads = 0);
  ~SeqRecModel();

  /// For each history (item ids 1..num_items, oldest first; the newest max_length are read),
  /// the `k` best next items, best first, never one of the history's own items. An empty
  /// history gets what the model predicts from no context. INVALID_ARGUMENT for an item id out
  /// of range.
  absl::StatusOr<std::vector<std::vector<ScoredItem>>> TopK(
      std::span<const std::vector<uint32_t>> histories, size_t k) const;

  /// For each history, the scores of its `candidates` (same order; -inf for an item of the
  /// history). INVALID_ARGUMENT for an item id out of range or a size mismatch.
  absl::StatusOr<std::vector<std::vector<float>>> ScoreItems(
      std::span<const std::vector<uint32_t>> histories,
      std::span<const std::vector<uint32_t>> candidates) const;

  const SeqRecConfig& config() const;

 private:
  struct Impl;
  explicit SeqRecModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::model
