#include "souk/encoder/term_expander.h"

#include <torch/torch.h>

#include <algorithm>
#include <mutex>

#include "length_batches_internal.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/model/bert_config.h"
#include "souk/model/bert_heads.h"
#include "souk/model/device.h"
#include "souk/model/padding.h"
#include "souk/model/serving_config.h"
#include "souk/model/tensor_io.h"
#include "souk/text/analyzed_tokenizer.h"
#include "souk/text/sentencepiece_tokenizer.h"
#include "souk/text/wordpiece_tokenizer.h"

namespace souk::encoder {
namespace {

constexpr char kMlmHeadWeight[] = "cls.predictions.transform.dense.weight";
constexpr std::string_view kWordStart = "\u2581";  // SentencePiece's "▁"

bool HasLetter(std::string_view word) {
  // Bytes >= 0x80 are parts of non-ASCII characters: CJK words have no ASCII letter.
  return std::any_of(word.begin(), word.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
  });
}

// The whole word each vocabulary id stands for, "" for pieces that are not one.
std::vector<std::string> VocabularyWords(const text::Tokenizer& tokenizer, int64_t vocab_size) {
  const text::Tokenizer* base = &tokenizer;
  if (const auto* analyzed = dynamic_cast<const text::AnalyzedTokenizer*>(base)) {
    base = &analyzed->wrapped();
  }
  const auto* sentencepiece = dynamic_cast<const text::SentencePieceTokenizer*>(base);
  const auto* wordpiece = dynamic_cast<const text::WordPieceTokenizer*>(base);
  const std::vector<int64_t> specials = {tokenizer.pad_id(), tokenizer.cls_id(), tokenizer.sep_id(),
                                         tokenizer.mask_id(), tokenizer.unk_id()};
  std::vector<std::string> words(static_cast<size_t>(vocab_size));
  for (int64_t id = 0; id < vocab_size; ++id) {
    if (std::find(specials.begin(), specials.end(), id) != specials.end()) continue;
    std::string word;
    if (sentencepiece != nullptr) {
      const std::string piece = sentencepiece->IdToToken(id);
      if (piece.starts_with(kWordStart)) word = piece.substr(kWordStart.size());
    } else if (wordpiece != nullptr) {
      const std::string_view piece = wordpiece->IdToToken(id);
      if (!piece.starts_with("##") && !piece.starts_with("[")) word = std::string(piece);
    }
    if (HasLetter(word)) words[static_cast<size_t>(id)] = std::move(word);
  }
  return words;
}

}  // namespace

std::vector<ExpandedTerm> ChooseExpansionTerms(std::vector<ExpansionCandidate> candidates,
                                               const ExpansionOptions& options) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.probability > b.probability; });
  std::vector<ExpandedTerm> chosen;
  for (ExpansionCandidate& c : candidates) {
    if (chosen.size() == options.terms) break;
    if (!(c.probability > 0) || c.probability < options.min_probability) break;
    // A word no likelier here than after any title ("with", "kit") says nothing of this
    // product. The mean includes this text's own probability: > 0 wherever probability is.
    if (c.probability < options.min_lift * c.mean_probability) continue;
    chosen.push_back({std::move(c.word), c.probability});
  }
  return chosen;
}

// A text's likeliest words: ids and probabilities, best first.
struct Candidates {
  std::vector<int64_t> ids;
  std::vector<float> probabilities;
};

struct TermExpander::Impl {
  ExpansionOptions options;
  std::unique_ptr<text::Tokenizer> tokenizer;
  model::BertForMaskedLM mlm{nullptr};
  torch::Device device{torch::kCPU};
  int64_t max_length = 128;
  std::vector<std::string> words;  // by vocabulary id; "" for pieces that are not words
  torch::Tensor not_word;          // [vocab] bool: true where words[id] is ""
  std::mutex forward_mutex;        // one forward pass at a time: the module is not reentrant

  /// How many candidates a text keeps for the final choice.
  int64_t CandidateCount() const {
    return static_cast<int64_t>(std::min(words.size(), std::max<size_t>(64, 4 * options.terms)));
  }
  /// `rows` (each ending in the mask slots and [SEP]) -> each row's candidates; adds each
  /// word's probability, summed over the rows, to `probability_sum` ([vocab], on the CPU).
  absl::StatusOr<std::vector<Candidates>> PredictBatch(
      const std::vector<const std::vector<int64_t>*>& rows, torch::Tensor* probability_sum);
  /// The words of `c` that pass the thresholds, given each word's mean probability.
  std::vector<ExpandedTerm> Choose(const Candidates& c, const float* mean_probability) const;
};

absl::StatusOr<std::unique_ptr<TermExpander>> TermExpander::Load(const ExpansionOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  if (!options.enabled()) return absl::InvalidArgumentError("expansion.model_dir: empty");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  const std::string& dir = options.model_dir;
  SOUK_ASSIGN_OR_RETURN(impl->device, model::ResolveDevice(options.device, "expansion.device"));
  SOUK_ASSIGN_OR_RETURN(const model::BertConfig config,
                        model::BertConfig::Load(StrCat(dir, "/", kConfigFile)));
  impl->max_length = config.max_position_embeddings;
  absl::StatusOr<model::ServingConfig> serving =
      model::ServingConfig::Load(StrCat(dir, "/", kServingFile));
  if (serving.ok()) {
    impl->max_length = std::min(serving->max_length, impl->max_length);
  } else if (!absl::IsNotFound(serving.status())) {
    return serving.status();
  }
  const auto slots = static_cast<int64_t>(options.mask_slots);
  if (impl->max_length < slots + 3) {
    return absl::InvalidArgumentError(StrCat(dir, ": max_length ", impl->max_length,
                                             " leaves no room for a text and ", slots,
                                             " mask slots (expansion.mask_slots)"));
  }
  SOUK_ASSIGN_OR_RETURN(auto weights, model::ReadTensors(StrCat(dir, "/", kWeightsFile)));
  if (!weights.contains(kMlmHeadWeight)) {
    return absl::FailedPreconditionError(
        StrCat(dir, "/", kWeightsFile, ": no ", kMlmHeadWeight,
               ": not a masked-LM model (souk train pretrain writes one)"));
  }
  SOUK_ASSIGN_OR_RETURN(impl->tokenizer, LoadTokenizer(dir));
  impl->words = VocabularyWords(*impl->tokenizer, config.vocab_size);
  std::vector<uint8_t> not_word(impl->words.size());
  for (size_t id = 0; id < not_word.size(); ++id) not_word[id] = impl->words[id].empty();
  try {
    if (options.threads > 0) at::set_num_threads(options.threads);
    impl->not_word = torch::tensor(not_word, torch::kBool).to(impl->device);
    SOUK_ASSIGN_OR_RETURN(auto mlm, model::BertForMaskedLMImpl::Create(config));
    SOUK_RETURN_IF_ERROR(mlm->LoadStateDict(weights, /*strict=*/true));
    mlm->eval();
    if (impl->device.is_cuda()) mlm->to(impl->device, torch::kHalf);
    impl->mlm = model::BertForMaskedLM(mlm);
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat(dir, ": ", e.what_without_backtrace()));
  }
  SOUK_LOG_INFO("expansion", "loaded ", dir, ": ",
                std::count_if(impl->words.begin(), impl->words.end(),
                              [](const std::string& w) { return !w.empty(); }),
                " words of ", config.vocab_size, " pieces, ", slots, " slots, ",
                impl->device.str());
  return std::unique_ptr<TermExpander>(new TermExpander(std::move(impl)));
}

TermExpander::TermExpander(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TermExpander::~TermExpander() = default;

const std::string& TermExpander::model_dir() const { return impl_->options.model_dir; }

absl::StatusOr<std::vector<Candidates>> TermExpander::Impl::PredictBatch(
    const std::vector<const std::vector<int64_t>*>& rows, torch::Tensor* probability_sum) {
  const auto [ids, mask] = model::PadRows(rows, tokenizer->pad_id());
  const auto b = static_cast<int64_t>(rows.size());
  const auto slots = static_cast<int64_t>(options.mask_slots);
  // Row r's slots sit just before its final [SEP].
  std::vector<int64_t> positions;
  positions.reserve(static_cast<size_t>(b * slots));
  for (const std::vector<int64_t>* row : rows) {
    const auto first = static_cast<int64_t>(row->size()) - 1 - slots;
    for (int64_t s = 0; s < slots; ++s) positions.push_back(first + s);
  }
  const int64_t k = CandidateCount();
  torch::Tensor top_probability, top_id;
  try {
    torch::InferenceMode inference;
    std::lock_guard<std::mutex> lock(forward_mutex);
    const torch::Tensor hidden =
        mlm->bert()->forward(ids.to(device), mask.to(device)).last_hidden_state;  // [B, T, H]
    const torch::Tensor at = torch::tensor(positions).view({b, slots, 1}).to(device);
    const torch::Tensor slot_hidden = hidden.gather(1, at.expand({b, slots, hidden.size(2)}));
    torch::Tensor probability =
        torch::softmax(mlm->Logits(slot_hidden).to(torch::kFloat), -1).amax(1);  // [B, V]
    probability.masked_fill_(not_word, 0);
    *probability_sum += probability.sum(0).to(torch::kCPU);
    probability.scatter_(1, ids.to(device), 0);  // the text's own tokens (and padding)
    std::tie(top_probability, top_id) = probability.topk(k, 1);
    top_probability = top_probability.to(torch::kCPU).contiguous();
    top_id = top_id.to(torch::kCPU).contiguous();
  } catch (const c10::Error& e) {
    return absl::InternalError(StrCat("expansion forward: ", e.what_without_backtrace()));
  }
  std::vector<Candidates> out(static_cast<size_t>(b));
  const float* p = top_probability.data_ptr<float>();
  const int64_t* id = top_id.data_ptr<int64_t>();
  for (int64_t r = 0; r < b; ++r) {
    out[static_cast<size_t>(r)].ids.assign(id + r * k, id + (r + 1) * k);
    out[static_cast<size_t>(r)].probabilities.assign(p + r * k, p + (r + 1) * k);
  }
  return out;
}

std::vector<ExpandedTerm> TermExpander::Impl::Choose(const Candidates& c,
                                                     const float* mean_probability) const {
  std::vector<ExpansionCandidate> candidates;
  candidates.reserve(c.ids.size());
  for (size_t j = 0; j < c.ids.size(); ++j) {
    const auto id = static_cast<size_t>(c.ids[j]);
    candidates.push_back({words[id], c.probabilities[j], mean_probability[id]});
  }
  return ChooseExpansionTerms(std::move(candidates), options);
}

// Texts are batched shortest first (length_batches_internal.h).
absl::StatusOr<std::vector<std::vector<ExpandedTerm>>> TermExpander::Expand(
    std::span<const std::string> texts) const {
  const auto slots = static_cast<int64_t>(impl_->options.mask_slots);
  std::vector<std::vector<int64_t>> rows;
  std::vector<size_t> lengths;
  rows.reserve(texts.size());
  lengths.reserve(texts.size());
  for (const std::string& text : texts) {
    std::vector<int64_t> row =
        impl_->tokenizer->Encode(text, static_cast<size_t>(impl_->max_length - slots)).ids;
    row.insert(row.end() - 1, static_cast<size_t>(slots), impl_->tokenizer->mask_id());
    lengths.push_back(row.size());
    rows.push_back(std::move(row));
  }
  std::vector<Candidates> candidates(texts.size());
  torch::Tensor probability_sum = torch::zeros({static_cast<int64_t>(impl_->words.size())});
  std::vector<const std::vector<int64_t>*> batch;
  for (const std::vector<size_t>& positions :
       internal::LengthSortedBatches(lengths, impl_->options.batch_size)) {
    batch.clear();
    for (size_t i : positions) batch.push_back(&rows[i]);
    SOUK_ASSIGN_OR_RETURN(auto part, impl_->PredictBatch(batch, &probability_sum));
    for (size_t j = 0; j < positions.size(); ++j) candidates[positions[j]] = std::move(part[j]);
  }
  const torch::Tensor mean =
      (probability_sum / static_cast<double>(std::max<size_t>(1, texts.size()))).contiguous();
  std::vector<std::vector<ExpandedTerm>> terms(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    terms[i] = impl_->Choose(candidates[i], mean.data_ptr<float>());
  }
  return terms;
}

}  // namespace souk::encoder
