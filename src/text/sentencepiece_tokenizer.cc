#include "souk/text/sentencepiece_tokenizer.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"

// sentencepiece_processor.h declares `namespace absl { using std::string_view; }`. Debian's
// Abseil has its own absl::string_view class (in an inline namespace), so that using-declaration
// makes every later `string_view` inside Abseil ambiguous. Renaming the namespace while the
// sentencepiece headers are read keeps both apart; sentencepiece's API takes std::string_view
// either way, so its mangled names and ABI are unchanged. Abseil is fully included above.
#define absl souk_sentencepiece_absl
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>
#undef absl

namespace souk::text {
namespace {

constexpr char kComponent[] = "text";

// sentencepiece's util::StatusCode mirrors absl::StatusCode value for value.
absl::Status FromSpm(const sentencepiece::util::Status& status, std::string_view context) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(static_cast<int>(status.code())),
                      StrCat(context, ": ", status.error_message()));
}

absl::Status FromException(std::string_view context) {
  try {
    throw;
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat(context, ": ", e.what()));
  } catch (...) {
    return absl::InternalError(StrCat(context, ": unknown exception"));
  }
}

// HF's "longest_first" (transformers' truncate_sequences): drop the last piece of the longer
// segment, of the second one on a tie, until both fit in `budget`.
void TruncateLongestFirst(size_t budget, std::vector<int>* a, std::vector<int>* b) {
  while (a->size() + b->size() > budget) {
    if (a->size() > b->size()) {
      a->pop_back();
    } else {
      b->pop_back();
    }
  }
}

void AppendSegment(const std::vector<int>& pieces, int64_t sep, int64_t type, Encoding* out) {
  out->ids.insert(out->ids.end(), pieces.begin(), pieces.end());
  out->ids.push_back(sep);
  out->token_type_ids.resize(out->ids.size(), type);
}

}  // namespace

struct SentencePieceTokenizer::Impl {
  sentencepiece::SentencePieceProcessor processor;

  // Encode only fails on a processor without a model, which Load() rules out; a failure is
  // logged and reads as no pieces rather than taking a serving process down.
  std::vector<int> Ids(std::string_view text) const {
    std::vector<int> ids;
    try {
      const auto status = processor.Encode(text, &ids);
      if (status.ok()) return ids;
      SOUK_LOG_ERROR(kComponent, "sentencepiece encode failed: ", status.ToString());
    } catch (const std::exception& e) {
      SOUK_LOG_ERROR(kComponent, "sentencepiece encode threw: ", e.what());
    }
    return {};
  }
};

absl::Status SentencePieceOptions::Validate() const {
  for (const std::string* token : {&pad_token, &unk_token, &cls_token, &sep_token, &mask_token}) {
    if (token->empty()) return absl::InvalidArgumentError("special tokens must not be empty");
  }
  return absl::OkStatus();
}

SentencePieceTokenizer::SentencePieceTokenizer(const SentencePieceOptions& options,
                                               std::unique_ptr<Impl> impl)
    : options_(options), impl_(std::move(impl)) {}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

absl::StatusOr<std::unique_ptr<SentencePieceTokenizer>> SentencePieceTokenizer::Load(
    const std::string& spiece_model_path, const SentencePieceOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const std::string context = StrCat("loading sentencepiece model ", spiece_model_path);
  SOUK_ASSIGN_OR_RETURN(std::string serialized, ReadFileToString(spiece_model_path));
  auto impl = std::make_unique<Impl>();
  try {
    const auto status = impl->processor.LoadFromSerializedProto(serialized);
    if (!status.ok()) {
      return absl::InvalidArgumentError(StrCat(context, ": ", status.error_message()));
    }
  } catch (...) {
    return FromException(context);
  }
  auto tokenizer =
      std::unique_ptr<SentencePieceTokenizer>(new SentencePieceTokenizer(options, std::move(impl)));
  const std::pair<const std::string*, int64_t*> specials[] = {
      {&options.pad_token, &tokenizer->pad_id_},
      {&options.unk_token, &tokenizer->unk_id_},
      {&options.cls_token, &tokenizer->cls_id_},
      {&options.sep_token, &tokenizer->sep_id_},
      {&options.mask_token, &tokenizer->mask_id_}};
  for (const auto& [token, id] : specials) {
    const std::optional<int64_t> found = tokenizer->TokenToId(*token);
    if (!found) {
      return absl::InvalidArgumentError(
          StrCat(context, ": special token \"", *token, "\" is not a piece of the model"));
    }
    *id = *found;
  }
  SOUK_LOG_INFO(kComponent, "loaded sentencepiece model ", spiece_model_path, " (",
                tokenizer->vocab_size(), " pieces)");
  return tokenizer;
}

Encoding SentencePieceTokenizer::Encode(std::string_view text, size_t max_length) const {
  std::vector<int> pieces = impl_->Ids(text);
  pieces.resize(std::min(pieces.size(), std::max<size_t>(max_length, 2) - 2));
  Encoding out;
  out.ids.push_back(cls_id_);
  AppendSegment(pieces, sep_id_, 0, &out);
  return out;
}

Encoding SentencePieceTokenizer::EncodePair(std::string_view a, std::string_view b,
                                            size_t max_length) const {
  std::vector<int> first = impl_->Ids(a);
  std::vector<int> second = impl_->Ids(b);
  TruncateLongestFirst(std::max<size_t>(max_length, 3) - 3, &first, &second);
  Encoding out;
  out.ids.push_back(cls_id_);
  AppendSegment(first, sep_id_, 0, &out);
  AppendSegment(second, sep_id_, 1, &out);
  return out;
}

std::vector<std::string> SentencePieceTokenizer::Tokenize(std::string_view text) const {
  std::vector<std::string> pieces;
  for (int id : impl_->Ids(text)) pieces.push_back(impl_->processor.IdToPiece(id));
  return pieces;
}

std::vector<int64_t> SentencePieceTokenizer::TokenizeToIds(std::string_view text) const {
  const std::vector<int> ids = impl_->Ids(text);
  return std::vector<int64_t>(ids.begin(), ids.end());
}

absl::StatusOr<std::string> SentencePieceTokenizer::Decode(const std::vector<int64_t>& ids,
                                                           bool skip_special_tokens) const {
  // sentencepiece does not range-check ids (protobuf's Get() is only debug-checked).
  const int64_t size = static_cast<int64_t>(vocab_size());
  std::vector<int> kept;
  kept.reserve(ids.size());
  for (int64_t id : ids) {
    if (id < 0 || id >= size) {
      return absl::InvalidArgumentError(StrCat("decoding: id ", id, " is outside [0, ", size, ")"));
    }
    if (skip_special_tokens &&
        (id == pad_id_ || id == cls_id_ || id == sep_id_ || id == mask_id_)) {
      continue;
    }
    kept.push_back(static_cast<int>(id));
  }
  std::string text;
  try {
    SOUK_RETURN_IF_ERROR(FromSpm(impl_->processor.Decode(kept, &text), "decoding"));
  } catch (...) {
    return FromException("decoding");
  }
  return text;
}

std::optional<int64_t> SentencePieceTokenizer::TokenToId(std::string_view token) const {
  // PieceToId answers unk_id() for an unknown piece: only a round trip proves the piece exists.
  const int id = impl_->processor.PieceToId(token);
  if (id < 0 || id >= impl_->processor.GetPieceSize()) return std::nullopt;
  if (impl_->processor.IdToPiece(id) != token) return std::nullopt;
  return id;
}

std::string SentencePieceTokenizer::IdToToken(int64_t id) const {
  if (id < 0 || id >= static_cast<int64_t>(vocab_size())) return "";
  return impl_->processor.IdToPiece(static_cast<int>(id));
}

size_t SentencePieceTokenizer::vocab_size() const {
  return static_cast<size_t>(impl_->processor.GetPieceSize());
}

// ---- training ----------------------------------------------------------------------------

absl::Status SentencePieceTrainOptions::Validate() const {
  if (input_path.empty()) return absl::InvalidArgumentError("input_path is empty");
  if (model_prefix.empty()) return absl::InvalidArgumentError("model_prefix is empty");
  if (vocab_size < 16)
    return absl::InvalidArgumentError(StrCat("vocab_size ", vocab_size, " < 16"));
  if (!(character_coverage > 0 && character_coverage <= 1)) {
    return absl::InvalidArgumentError(
        StrCat("character_coverage ", character_coverage, " is outside (0, 1]"));
  }
  if (num_threads < 1) return absl::InvalidArgumentError("num_threads must be >= 1");
  if (byte_fallback && model_type == SentencePieceModelType::kWord) {
    return absl::InvalidArgumentError("byte_fallback needs a unigram model, not a word model");
  }
  // sentencepiece reserves the all-ones seed for "seed from std::random_device".
  if (seed == std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError("seed 4294967295 is reserved (non-deterministic)");
  }
  SOUK_RETURN_IF_ERROR(special_tokens.Validate());
  for (const std::string* token :
       {&special_tokens.cls_token, &special_tokens.sep_token, &special_tokens.mask_token}) {
    // They travel as one comma-separated user_defined_symbols flag.
    if (token->find(',') != std::string::npos) {
      return absl::InvalidArgumentError(StrCat("special token \"", *token, "\" contains ','"));
    }
  }
  return absl::OkStatus();
}

absl::Status TrainSentencePiece(const SentencePieceTrainOptions& options) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  const SentencePieceOptions& special = options.special_tokens;
  const std::unordered_map<std::string, std::string> flags = {
      {"input", options.input_path},
      {"model_prefix", options.model_prefix},
      {"model_type", options.model_type == SentencePieceModelType::kWord ? "word" : "unigram"},
      {"vocab_size", StrCat(options.vocab_size)},
      {"character_coverage", StrCat(options.character_coverage)},
      {"byte_fallback", options.byte_fallback ? "true" : "false"},
      {"normalization_rule_name", options.case_fold ? "nmt_nfkc_cf" : "nmt_nfkc"},
      {"input_sentence_size", StrCat(options.input_sentence_size)},
      {"shuffle_input_sentence", "true"},
      {"num_threads", StrCat(options.num_threads)},
      {"pad_id", "0"},
      {"pad_piece", special.pad_token},
      {"unk_id", "1"},
      {"unk_piece", special.unk_token},
      {"bos_id", "-1"},
      {"eos_id", "-1"},
      {"user_defined_symbols",
       StrCat(special.cls_token, ",", special.sep_token, ",", special.mask_token)},
      {"minloglevel", options.verbose ? "0" : "1"},
  };
  const std::string context =
      StrCat("training sentencepiece model ", options.model_prefix, " from ", options.input_path);
  static std::mutex* const mu = new std::mutex;
  std::lock_guard<std::mutex> lock(*mu);
  try {
    sentencepiece::SetRandomGeneratorSeed(options.seed);
    SOUK_RETURN_IF_ERROR(FromSpm(sentencepiece::SentencePieceTrainer::Train(flags), context));
  } catch (...) {
    return FromException(context);
  }
  SOUK_LOG_INFO(kComponent, "trained sentencepiece model ", options.model_prefix, ".model (",
                options.vocab_size, " pieces)");
  return absl::OkStatus();
}

}  // namespace souk::text
