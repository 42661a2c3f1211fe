// Loading and saving model directories with libtorch (private to encoder/; the public,
// torch-free side is souk/encoder/model_directory.h).
#pragma once

#include <torch/types.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "souk/model/bert.h"
#include "souk/model/bert_config.h"
#include "souk/model/serving_config.h"
#include "souk/text/tokenizer.h"

namespace souk::encoder::internal {

struct LoadedModel {
  model::BertConfig config;
  model::ServingConfig serving;
  model::BertModel bert{nullptr};
  torch::Tensor token_log_weights;  ///< [vocab_size] when the weights have them (weighted_mean)
  torch::Tensor log_length_pivot;   ///< [1] when the weights have it (souk.json length_pivot)
  std::unique_ptr<text::Tokenizer> tokenizer;
};

/// Reads every file of `dir`; errors name the file (and the tensor, for weights).
absl::StatusOr<LoadedModel> LoadModelDirectory(const std::string& dir);

}  // namespace souk::encoder::internal
