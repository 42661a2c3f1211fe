#include "souk/encoder/text_encoder.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <numeric>

#include "absl/strings/str_join.h"
#include "model_directory_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/lru_cache.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/device.h"
#include "souk/model/pooling.h"
#include "souk/text/analyzed_tokenizer.h"

namespace souk::encoder {

using Batcher = DynamicBatcher<text::Encoding, std::vector<float>>;

struct TextEncoder::Impl {
  EncoderOptions options;
  internal::LoadedModel model;
  const text::AnalyzedTokenizer* analyzed = nullptr;  // model.tokenizer, when it reads terms
  model::Pooling pooling = model::Pooling::kCls;
  bool distinct_tokens = false;  // the model's souk.json; applies to weighted_mean only
  bool length_pivot = false;     // the model's souk.json, with weighted_mean and normalize
  bool normalize = true;
  int64_t max_length = 128;
  torch::Device device{torch::kCPU};
  torch::Dtype dtype = torch::kFloat;
  std::string fingerprint;
  std::unique_ptr<LruCache<std::string, std::vector<float>>> cache;
  std::atomic<int> in_flight{0};          // Encode() calls past the cache, not yet answered
  std::atomic<uint64_t> direct_calls{0};  // answered on the caller's thread
  std::unique_ptr<Batcher> batcher;       // last: its worker calls Forward()

  absl::StatusOr<std::vector<float>> ForwardOne(text::Encoding encoding,
                                                Clock::time_point deadline);
  // Through the cache: `key` is the text (or, for an analyzed model, its terms) `encoding` is of.
  absl::StatusOr<std::vector<float>> CachedForwardOne(const std::string& key,
                                                      const std::function<text::Encoding()>& encode,
                                                      Clock::time_point deadline);

  absl::StatusOr<std::vector<std::vector<float>>> Forward(const std::vector<text::Encoding>& batch,
                                                          model::TextRole role);
};

namespace {

// The BLAS library actually bound at run time (libtorch's own build settings say "generic" on
// Debian whatever the system provides): the reference BLAS is 10-35x slower than OpenBLAS, so
// the start-up log must show which one serves sgemm.
std::string BlasLibrary() {
  void* sgemm = ::dlsym(RTLD_DEFAULT, "sgemm_");
  Dl_info info;
  if (sgemm == nullptr || ::dladdr(sgemm, &info) == 0 || info.dli_fname == nullptr) {
    return "blas unknown";
  }
  // libblas.so.3 is a Debian alternatives link: the target names the implementation.
  std::error_code ec;
  const std::filesystem::path real = std::filesystem::canonical(info.dli_fname, ec);
  return StrCat("blas ", ec ? std::string(info.dli_fname) : real.string());
}

// See TextEncoder::fingerprint().
absl::StatusOr<std::string> Fingerprint(const std::string& dir, model::Pooling pooling,
                                        bool distinct_tokens, bool length_pivot, bool normalize,
                                        int64_t max_length) {
  uint32_t crc = 0;
  for (const char* name :
       {kWeightsFile, kConfigFile, kVocabFile, kSentencePieceFile, kTokenizerConfigFile}) {
    const std::string path = StrCat(dir, "/", name);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    SOUK_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path));
    crc = Crc32(bytes, crc);
  }
  return StrCat("crc32 ", absl::Hex(crc, absl::kZeroPad8), ", pooling ",
                model::PoolingName(pooling), distinct_tokens ? " of distinct tokens" : "",
                length_pivot ? " with a length pivot" : "", normalize ? " + L2" : "",
                ", max_length ", max_length);
}

}  // namespace

absl::StatusOr<std::vector<std::vector<float>>> TextEncoder::Impl::Forward(
    const std::vector<text::Encoding>& batch, model::TextRole role) {
  size_t longest = 0;
  for (const text::Encoding& e : batch) longest = std::max(longest, e.ids.size());
  const auto b = static_cast<int64_t>(batch.size());
  const auto t = static_cast<int64_t>(longest);
  torch::Tensor ids = torch::full({b, t}, model.tokenizer->pad_id(), torch::kLong);
  torch::Tensor types = torch::zeros({b, t}, torch::kLong);
  torch::Tensor mask = torch::zeros({b, t}, torch::kLong);
  auto ids_a = ids.accessor<int64_t, 2>();
  auto types_a = types.accessor<int64_t, 2>();
  auto mask_a = mask.accessor<int64_t, 2>();
  for (int64_t i = 0; i < b; ++i) {
    const text::Encoding& e = batch[static_cast<size_t>(i)];
    for (size_t j = 0; j < e.ids.size(); ++j) {
      ids_a[i][static_cast<int64_t>(j)] = e.ids[j];
      types_a[i][static_cast<int64_t>(j)] = e.token_type_ids[j];
      mask_a[i][static_cast<int64_t>(j)] = 1;
    }
  }
  try {
    torch::InferenceMode inference;
    ids = ids.to(device);
    types = types.to(device);
    mask = mask.to(device);
    SOUK_ASSIGN_OR_RETURN(model::BertModelOutput out, model.bert->CheckedForward(ids, mask, types));
    torch::Tensor weights;
    if (pooling == model::Pooling::kWeightedMean) {
      weights = model::TokenWeights(model.token_log_weights, ids, mask, distinct_tokens);
    }
    const model::LengthPivot pivot{model.log_length_pivot, role};
    torch::Tensor pooled = model::PoolEmbeddings(out, mask, pooling, normalize, weights,
                                                 length_pivot ? &pivot : nullptr)
                               .to(torch::kCPU, torch::kFloat);
    pooled = pooled.contiguous();
    std::vector<std::vector<float>> rows(batch.size());
    const int64_t dim = pooled.size(1);
    const float* data = pooled.data_ptr<float>();
    for (int64_t i = 0; i < b; ++i) rows[i].assign(data + i * dim, data + (i + 1) * dim);
    return rows;
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("encoder forward: ", e.what_without_backtrace()));
  }
}

absl::StatusOr<std::unique_ptr<TextEncoder>> TextEncoder::Create(const EncoderOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  SOUK_ASSIGN_OR_RETURN(impl->device, model::ResolveDevice(options.device, "encoder.device"));
  SOUK_ASSIGN_OR_RETURN(impl->model, internal::LoadModelDirectory(options.model_dir));
  impl->analyzed = dynamic_cast<const text::AnalyzedTokenizer*>(impl->model.tokenizer.get());
  impl->pooling = options.pooling.value_or(impl->model.serving.pooling);
  impl->distinct_tokens =
      impl->model.serving.distinct_tokens && impl->pooling == model::Pooling::kWeightedMean;
  impl->normalize = options.normalize.value_or(impl->model.serving.normalize);
  impl->length_pivot = impl->model.serving.length_pivot &&
                       impl->pooling == model::Pooling::kWeightedMean && impl->normalize;
  impl->max_length = options.max_length.value_or(impl->model.serving.max_length);
  if (impl->max_length < 2 || impl->max_length > impl->model.config.max_position_embeddings) {
    return absl::InvalidArgumentError(StrCat("encoder.max_length: ", impl->max_length,
                                             " is outside 2..max_position_embeddings (",
                                             impl->model.config.max_position_embeddings, ")"));
  }
  if (impl->pooling == model::Pooling::kPooler && !impl->model.bert->has_pooler()) {
    return absl::FailedPreconditionError("encoder.pooling: pooler, but the model has no pooler");
  }
  SOUK_ASSIGN_OR_RETURN(impl->fingerprint,
                        Fingerprint(options.model_dir, impl->pooling, impl->distinct_tokens,
                                    impl->length_pivot, impl->normalize, impl->max_length));
  if (impl->pooling == model::Pooling::kWeightedMean && !impl->model.token_log_weights.defined()) {
    return absl::FailedPreconditionError(
        "encoder.pooling: weighted_mean, but the model has no token weights");
  }
  try {
    at::set_num_threads(options.threads);
    if (impl->device.is_cuda()) {
      impl->dtype = options.cuda_precision == "bf16"   ? torch::kBFloat16
                    : options.cuda_precision == "fp16" ? torch::kHalf
                                                       : torch::kFloat;
      impl->model.bert->to(impl->device, impl->dtype);
      if (impl->model.token_log_weights.defined()) {
        impl->model.token_log_weights = impl->model.token_log_weights.to(impl->device);
      }
      if (impl->model.log_length_pivot.defined()) {
        impl->model.log_length_pivot = impl->model.log_length_pivot.to(impl->device);
      }
    }
  } catch (const c10::Error& e) {
    return absl::InternalError(
        StrCat("moving the model to ", options.device, ": ", e.what_without_backtrace()));
  }
  impl->cache = std::make_unique<LruCache<std::string, std::vector<float>>>(options.cache_entries);
  Impl* raw = impl.get();
  impl->batcher =
      std::make_unique<Batcher>(options.batching, [raw](std::vector<text::Encoding>& batch) {
        return raw->Forward(batch, model::TextRole::kQuery);
      });
  std::unique_ptr<TextEncoder> encoder(new TextEncoder(std::move(impl)));
  SOUK_LOG_INFO("encoder", "loaded ", options.model_dir, ": ", encoder->RuntimeSummary());
  return encoder;
}

TextEncoder::TextEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextEncoder::~TextEncoder() = default;

std::vector<int64_t> TextEncoder::Tokenize(std::string_view text) const {
  return impl_->model.tokenizer->Encode(text, static_cast<size_t>(impl_->max_length)).ids;
}

// A query that finds no other in flight has nothing to be batched with: it runs on the
// caller's thread, which saves the hand-off to the batcher's worker and back (0.3-0.4 ms on a
// 2-vCPU machine, more than tokenizing and pooling together). Queries that overlap go through
// the batcher. Either way the output is the same: padding and batching do not change it.
absl::StatusOr<std::vector<float>> TextEncoder::Impl::ForwardOne(text::Encoding encoding,
                                                                 Clock::time_point deadline) {
  struct InFlight {
    std::atomic<int>& count;
    ~InFlight() { count.fetch_sub(1); }
  };
  const bool alone = in_flight.fetch_add(1) == 0;
  InFlight guard{in_flight};
  if (!alone) return batcher->Run(std::move(encoding), deadline);
  if (Clock::now() >= deadline) return absl::DeadlineExceededError("deadline passed");
  direct_calls.fetch_add(1);
  SOUK_ASSIGN_OR_RETURN(auto rows, Forward({std::move(encoding)}, model::TextRole::kQuery));
  return std::move(rows.front());
}

absl::StatusOr<std::vector<float>> TextEncoder::Impl::CachedForwardOne(
    const std::string& key, const std::function<text::Encoding()>& encode,
    Clock::time_point deadline) {
  if (std::optional<std::vector<float>> hit = cache->Get(key)) return *std::move(hit);
  SOUK_ASSIGN_OR_RETURN(std::vector<float> vector, ForwardOne(encode(), deadline));
  cache->Put(key, vector);
  return vector;
}

absl::StatusOr<std::vector<float>> TextEncoder::Encode(std::string_view text,
                                                       Clock::time_point deadline) {
  if (impl_->analyzed != nullptr) {
    return EncodeTerms(impl_->analyzed->analyzer().Analyze(text), deadline);
  }
  return impl_->CachedForwardOne(
      std::string(text),
      [&] { return impl_->model.tokenizer->Encode(text, static_cast<size_t>(impl_->max_length)); },
      deadline);
}

absl::StatusOr<std::vector<float>> TextEncoder::EncodeTerms(const std::vector<std::string>& terms,
                                                            Clock::time_point deadline) {
  if (impl_->analyzed == nullptr) {
    return absl::FailedPreconditionError(
        "EncodeTerms: the model reads text as given, not analyzed terms");
  }
  // Terms never hold spaces: joined, they key the cache unambiguously.
  return impl_->CachedForwardOne(
      absl::StrJoin(terms, " "),
      [&] { return impl_->analyzed->EncodeTerms(terms, static_cast<size_t>(impl_->max_length)); },
      deadline);
}

absl::StatusOr<std::vector<std::vector<float>>> TextEncoder::EncodeBatch(
    const std::vector<std::string>& texts, size_t batch_size, model::TextRole role) {
  if (batch_size == 0) return absl::InvalidArgumentError("batch_size: must be >= 1");
  std::vector<text::Encoding> encodings;
  encodings.reserve(texts.size());
  for (const std::string& t : texts) {
    encodings.push_back(impl_->model.tokenizer->Encode(t, static_cast<size_t>(impl_->max_length)));
  }
  // Similar lengths together: a batch pads to its longest text.
  std::vector<size_t> order(texts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return encodings[a].ids.size() < encodings[b].ids.size();
  });
  std::vector<std::vector<float>> out(texts.size());
  for (size_t start = 0; start < order.size(); start += batch_size) {
    std::vector<text::Encoding> batch;
    const size_t end = std::min(order.size(), start + batch_size);
    for (size_t i = start; i < end; ++i) batch.push_back(encodings[order[i]]);
    SOUK_ASSIGN_OR_RETURN(auto rows, impl_->Forward(batch, role));
    for (size_t i = start; i < end; ++i) out[order[i]] = std::move(rows[i - start]);
  }
  return out;
}

const text::Analyzer* TextEncoder::analyzer() const {
  return impl_->analyzed != nullptr ? &impl_->analyzed->analyzer() : nullptr;
}

size_t TextEncoder::dimension() const {
  return static_cast<size_t>(impl_->model.config.hidden_size) + (impl_->length_pivot ? 1 : 0);
}

uint64_t TextEncoder::cache_hits() const { return impl_->cache->hits(); }
uint64_t TextEncoder::cache_misses() const { return impl_->cache->misses(); }
uint64_t TextEncoder::direct_calls() const { return impl_->direct_calls.load(); }
BatcherStats TextEncoder::batcher_stats() const { return impl_->batcher->stats(); }

const std::string& TextEncoder::fingerprint() const { return impl_->fingerprint; }

std::string TextEncoder::RuntimeSummary() const {
  const model::BertConfig& c = impl_->model.config;
  return StrCat(
      "BERT L", c.num_hidden_layers, " H", c.hidden_size, " A", c.num_attention_heads, ", device ",
      impl_->device.str(), ", dtype ", c10::toString(impl_->dtype), ", threads ",
      at::get_num_threads(), ", pooling ", model::PoolingName(impl_->pooling),
      impl_->length_pivot ? " with a length pivot" : "", impl_->normalize ? " + L2" : "",
      ", max_length ", impl_->max_length, ", batch <= ", impl_->options.batching.max_batch_size,
      " within ", impl_->options.batching.max_wait.count(), " us, cache ",
      impl_->options.cache_entries, ", ", BlasLibrary());
}

}  // namespace souk::encoder
