// SentimentClassifier: how positive a review reads, from a fine-tuned
// `BertForSequenceClassification` directory (`souk train sentiment`, or a Hugging Face sentiment
// model with a WordPiece or SentencePiece tokenizer).
//
// The score of a text is the softmax probability of the label config.json's id2label names
// "positive" (or "pos", any case); a two-label model without such a name counts label 1 as
// positive, as Hugging Face's default LABEL_0 / LABEL_1 and the binary datasets do.
//
// Thread-safety: Score may be called from many threads; calls run one at a time (the caller
// batches). The model runs in fp32 on the CPU and in fp16 on CUDA.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace souk::encoder {

struct SentimentOptions {
  std::string model_dir;       ///< A BertForSequenceClassification directory.
  std::string device = "cpu";  ///< As EncoderOptions::device.
  size_t batch_size = 32;      ///< Texts per forward pass.
  /// libtorch's intra-op threads (process-wide, as EncoderOptions::threads): 1 keeps the
  /// scorer off the cores serving searches; 0 leaves libtorch's own setting (every core).
  int threads = 1;

  absl::Status Validate() const;
};

class SentimentClassifier {
 public:
  /// Errors name the directory and the file or tensor at fault (a model that is not a
  /// classifier, a missing weight, no label to call positive).
  static absl::StatusOr<std::unique_ptr<SentimentClassifier>> Load(const SentimentOptions& options);
  ~SentimentClassifier();
  SentimentClassifier(const SentimentClassifier&) = delete;
  SentimentClassifier& operator=(const SentimentClassifier&) = delete;

  /// P(positive) in [0, 1] of each text, in order. Empty text scores like any other.
  absl::StatusOr<std::vector<float>> Score(std::span<const std::string> texts) const;

  const std::string& model_dir() const;

 private:
  struct Impl;
  explicit SentimentClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace souk::encoder
