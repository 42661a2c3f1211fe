#include "souk/text/wordpiece_tokenizer.h"

#include <algorithm>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "basic_tokenizer_internal.h"
#include "souk/base/file_util.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/base/text_lines.h"

namespace souk::text {
namespace {

constexpr std::string_view kContinuationPrefix = "##";

internal::BasicTokenizerConfig MakeBasicConfig(const WordPieceOptions& options) {
  internal::BasicTokenizerConfig config;
  config.lower_case = options.do_lower_case;
  config.strip_accents = options.StripsAccents();
  config.tokenize_chinese_chars = options.tokenize_chinese_chars;
  config.SetSpecialTokens({options.pad_token, options.unk_token, options.cls_token,
                           options.sep_token, options.mask_token});
  return config;
}

// HF's truncate_sequences("longest_first"): drop the last piece of the longer segment, of the
// second one on ties, until both fit in `budget`.
void TruncateLongestFirst(size_t budget, std::vector<int64_t>* a, std::vector<int64_t>* b) {
  while (a->size() + b->size() > budget) {
    if (a->size() > b->size()) {
      a->pop_back();
    } else {
      b->pop_back();
    }
  }
}

}  // namespace

absl::Status WordPieceOptions::Validate() const {
  for (const std::string* token : {&pad_token, &unk_token, &cls_token, &sep_token, &mask_token}) {
    if (token->empty()) {
      return absl::InvalidArgumentError("wordpiece: special tokens must not be empty");
    }
  }
  if (max_input_chars_per_word == 0) {
    return absl::InvalidArgumentError("wordpiece: max_input_chars_per_word must be positive");
  }
  return absl::OkStatus();
}

// ---- Loading.

WordPieceTokenizer::WordPieceTokenizer(const WordPieceOptions& options,
                                       std::vector<std::string> tokens)
    : options_(options),
      tokens_(std::move(tokens)),
      basic_(std::make_unique<internal::BasicTokenizerConfig>(MakeBasicConfig(options))) {}

WordPieceTokenizer::~WordPieceTokenizer() = default;

absl::StatusOr<std::unique_ptr<WordPieceTokenizer>> WordPieceTokenizer::Load(
    const std::string& vocab_txt_path, const WordPieceOptions& options) {
  SOUK_ASSIGN_OR_RETURN(const std::string contents, ReadFileToString(vocab_txt_path));
  std::vector<std::string> tokens;
  LineCursor cursor(contents);
  std::string_view line;
  while (cursor.Next(&line)) tokens.emplace_back(line);
  auto where = [](size_t index) { return StrCat("line ", index + 1); };
  absl::StatusOr<std::unique_ptr<WordPieceTokenizer>> tokenizer =
      Build(std::move(tokens), options, where);
  if (!tokenizer.ok()) {
    return Annotate(tokenizer.status(), StrCat("loading WordPiece vocab ", vocab_txt_path));
  }
  return tokenizer;
}

absl::StatusOr<std::unique_ptr<WordPieceTokenizer>> WordPieceTokenizer::FromVocab(
    std::vector<std::string> tokens, const WordPieceOptions& options) {
  auto where = [](size_t index) { return StrCat("vocab entry ", index); };
  return Build(std::move(tokens), options, where);
}

absl::StatusOr<std::unique_ptr<WordPieceTokenizer>> WordPieceTokenizer::Build(
    std::vector<std::string> tokens, const WordPieceOptions& options,
    absl::FunctionRef<std::string(size_t index)> where) {
  SOUK_RETURN_IF_ERROR(options.Validate());
  auto tokenizer =
      std::unique_ptr<WordPieceTokenizer>(new WordPieceTokenizer(options, std::move(tokens)));
  const std::vector<std::string>& vocab = tokenizer->tokens_;
  tokenizer->word_start_.reserve(vocab.size());
  for (size_t id = 0; id < vocab.size(); ++id) {
    const std::string& token = vocab[id];
    // An empty line keeps its id (HF counts lines) but no word is ever empty.
    if (token.empty()) continue;
    const auto [it, inserted] = tokenizer->word_start_.emplace(token, static_cast<int64_t>(id));
    if (!inserted) {
      return absl::InvalidArgumentError(StrCat(where(id), ": duplicate token \"", token,
                                               "\" (first at ",
                                               where(static_cast<size_t>(it->second)), ")"));
    }
    if (token.size() > kContinuationPrefix.size() && token.starts_with(kContinuationPrefix)) {
      tokenizer->continuation_.emplace(token.substr(kContinuationPrefix.size()),
                                       static_cast<int64_t>(id));
    }
  }
  const std::pair<const std::string*, int64_t*> specials[] = {
      {&options.pad_token, &tokenizer->pad_id_},   {&options.unk_token, &tokenizer->unk_id_},
      {&options.cls_token, &tokenizer->cls_id_},   {&options.sep_token, &tokenizer->sep_id_},
      {&options.mask_token, &tokenizer->mask_id_},
  };
  for (const auto& [token, id] : specials) {
    const std::optional<int64_t> found = tokenizer->TokenToId(*token);
    if (!found.has_value()) {
      return absl::InvalidArgumentError(StrCat(
          "special token \"", *token, "\" is not in the vocabulary (", vocab.size(), " tokens)"));
    }
    *id = *found;
  }
  return tokenizer;
}

// ---- Lookups.

std::optional<int64_t> WordPieceTokenizer::Find(
    const absl::flat_hash_map<std::string, int64_t>& map, std::string_view key) const {
  const auto it = map.find(absl::string_view(key.data(), key.size()));
  if (it == map.end()) return std::nullopt;
  return it->second;
}

std::optional<int64_t> WordPieceTokenizer::TokenToId(std::string_view token) const {
  return Find(word_start_, token);
}

std::string_view WordPieceTokenizer::IdToToken(int64_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens_.size()) return {};
  return tokens_[static_cast<size_t>(id)];
}

// ---- WordPiece (HF's WordpieceTokenizer.tokenize): greedy longest match first over code
// points. A continuation "##x" is looked up as "x" in continuation_, so no string is built.
void WordPieceTokenizer::AppendWordIds(std::string_view word, std::vector<int64_t>* ids) const {
  absl::InlinedVector<uint32_t, 64> bounds;  // byte offset of every code point, then the end
  for (size_t i = 0; i < word.size(); ++i) {
    if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80)
      bounds.push_back(static_cast<uint32_t>(i));
  }
  const size_t chars = bounds.size();
  bounds.push_back(static_cast<uint32_t>(word.size()));
  if (chars > options_.max_input_chars_per_word) {
    ids->push_back(unk_id_);
    return;
  }
  const size_t first_piece = ids->size();
  size_t start = 0;
  while (start < chars) {
    std::optional<int64_t> piece;
    size_t end = chars;
    for (; end > start; --end) {
      const std::string_view sub = word.substr(bounds[start], bounds[end] - bounds[start]);
      piece = Find(start == 0 ? word_start_ : continuation_, sub);
      if (piece.has_value()) break;
    }
    if (!piece.has_value()) {
      ids->resize(first_piece);
      ids->push_back(unk_id_);
      return;
    }
    ids->push_back(*piece);
    start = end;
  }
}

std::vector<int64_t> WordPieceTokenizer::TokenizeToIds(std::string_view text) const {
  std::vector<int64_t> ids;
  ids.reserve(text.size() / 3 + 4);
  internal::BasicTokenize(text, *basic_, [&](std::string_view word, bool is_special) {
    if (is_special) {
      // Special tokens are checked to be in the vocabulary at load time.
      ids.push_back(TokenToId(word).value_or(unk_id_));
    } else {
      AppendWordIds(word, &ids);
    }
  });
  return ids;
}

std::vector<std::string> WordPieceTokenizer::Tokenize(std::string_view text) const {
  const std::vector<int64_t> ids = TokenizeToIds(text);
  std::vector<std::string> pieces;
  pieces.reserve(ids.size());
  for (const int64_t id : ids) pieces.emplace_back(IdToToken(id));
  return pieces;
}

// ---- Framing and truncation (HF's build_inputs_with_special_tokens and
// create_token_type_ids_from_sequences; truncation side "right").

Encoding WordPieceTokenizer::Encode(std::string_view text, size_t max_length) const {
  std::vector<int64_t> pieces = TokenizeToIds(text);
  const size_t budget = std::max<size_t>(max_length, 2) - 2;
  if (pieces.size() > budget) pieces.resize(budget);
  Encoding encoding;
  encoding.ids.reserve(pieces.size() + 2);
  encoding.ids.push_back(cls_id_);
  encoding.ids.insert(encoding.ids.end(), pieces.begin(), pieces.end());
  encoding.ids.push_back(sep_id_);
  encoding.token_type_ids.assign(encoding.ids.size(), 0);
  return encoding;
}

Encoding WordPieceTokenizer::EncodePair(std::string_view a, std::string_view b,
                                        size_t max_length) const {
  std::vector<int64_t> first = TokenizeToIds(a);
  std::vector<int64_t> second = TokenizeToIds(b);
  TruncateLongestFirst(std::max<size_t>(max_length, 3) - 3, &first, &second);
  Encoding encoding;
  encoding.ids.reserve(first.size() + second.size() + 3);
  encoding.ids.push_back(cls_id_);
  encoding.ids.insert(encoding.ids.end(), first.begin(), first.end());
  encoding.ids.push_back(sep_id_);
  encoding.token_type_ids.assign(encoding.ids.size(), 0);
  encoding.ids.insert(encoding.ids.end(), second.begin(), second.end());
  encoding.ids.push_back(sep_id_);
  encoding.token_type_ids.resize(encoding.ids.size(), 1);
  return encoding;
}

}  // namespace souk::text
