// Model directories as the trainers read and write them (the layout of
// souk/encoder/model_directory.h): config, serving settings, tokenizer and weights.
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

namespace souk::train::internal {

struct ModelFiles {
  model::BertConfig config;
  model::ServingConfig serving;
  std::map<std::string, torch::Tensor> weights;  ///< As stored (with or without "bert.").
};

/// config.json, souk.json (defaults when absent) and model.safetensors of `dir`.
absl::StatusOr<ModelFiles> ReadModelFiles(const std::string& dir);

/// A BertModel with `config` holding `files.weights` (strictly: every encoder tensor present; an
/// MLM head is ignored), with a pooler when the weights have one. FAILED_PRECONDITION naming
/// `dir` when `pooling` is kPooler and they have none.
absl::StatusOr<model::BertModel> BuildBert(const model::BertConfig& config, model::Pooling pooling,
                                           const ModelFiles& files, const std::string& dir);

/// Copies the tokenizer files (spiece.model, spiece.vocab, vocab.txt, tokenizer_config.json,
/// whichever exist) from `from_dir` into `to_dir`. Nothing to do when they are the same.
absl::Status CopyTokenizerFiles(const std::string& from_dir, const std::string& to_dir);

/// Writes a complete model directory: weights first, then config.json and souk.json, then the
/// tokenizer files, each file atomically.
absl::Status WriteModelDirectory(const std::string& dir, const model::BertConfig& config,
                                 const model::ServingConfig& serving,
                                 const std::map<std::string, torch::Tensor>& weights,
                                 const std::string& tokenizer_dir);

}  // namespace souk::train::internal
