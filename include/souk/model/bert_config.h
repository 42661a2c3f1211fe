// BertConfig: the architecture of a BERT encoder, as Hugging Face's `config.json` describes it
// (transformers.BertConfig; Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional
// Transformers for Language Understanding", section 3).
//
// Defaults are BertConfig's own (bert-base-uncased), so a config.json that omits a key means what
// it means to transformers. Keys this encoder cannot honour are errors naming the key
// (hidden_act other than "gelu", position_embedding_type other than "absolute", is_decoder,
// add_cross_attention). Other keys transformers writes (transformers_version, torch_dtype,
// id2label, ...) are kept verbatim in `extra` and written back by ToJson, so a model passes
// through Souk without losing what its HF tools need.
// Thread-safety: a plain value type.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::model {

struct BertConfig {
  int64_t vocab_size = 30522;        ///< rows of embeddings.word_embeddings
  int64_t hidden_size = 768;         ///< width of every layer
  int64_t num_hidden_layers = 12;    ///< transformer blocks
  int64_t num_attention_heads = 12;  ///< must divide hidden_size
  int64_t intermediate_size = 3072;  ///< feed-forward inner width
  std::string hidden_act = "gelu";   ///< only "gelu": the exact erf GELU (Hendrycks & Gimpel 2016)
  double hidden_dropout_prob = 0.1;  ///< training only
  double attention_probs_dropout_prob = 0.1;  ///< training only
  int64_t max_position_embeddings = 512;      ///< longest input in tokens
  int64_t type_vocab_size = 2;                ///< segment (token type) embeddings
  double layer_norm_eps = 1e-12;              ///< LayerNorm epsilon
  int64_t pad_token_id = 0;                   ///< id of [PAD]
  double initializer_range = 0.02;            ///< stddev of the initial weights (training)
  std::string model_type = "bert";            ///< must be "bert"
  std::vector<std::string> architectures;     ///< e.g. {"BertModel"}; empty: not written
  /// Keys Souk does not interpret, each as its JSON text (`"4.30.2"`, `{"0": "neg"}`), in key
  /// order; written back unchanged.
  std::map<std::string, std::string> extra;

  /// hidden_size / num_attention_heads.
  int64_t head_dim() const { return hidden_size / num_attention_heads; }
  /// INVALID_ARGUMENT naming the first key out of range (sizes positive, heads dividing
  /// hidden_size, probabilities in [0, 1), pad_token_id inside the vocabulary, ...).
  absl::Status Validate() const;

  /// Parses and validates config.json text; `source` (the path) prefixes errors.
  static absl::StatusOr<BertConfig> FromJson(std::string_view text, std::string_view source);
  /// Reads and parses the file `path`.
  static absl::StatusOr<BertConfig> Load(const std::string& path);
  /// config.json text (pretty-printed, keys sorted, as transformers writes it).
  std::string ToJson() const;
  /// Writes ToJson() to `path` atomically.
  absl::Status Save(const std::string& path) const;
};

}  // namespace souk::model
