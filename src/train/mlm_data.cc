#include <algorithm>

#include "mlm_data_internal.h"
#include "souk/text/analyzed_tokenizer.h"
#include "souk/text/sentencepiece_tokenizer.h"

namespace souk::train::internal {
namespace {

PieceStyle StyleOf(const text::Tokenizer& tokenizer) {
  if (const auto* analyzed = dynamic_cast<const text::AnalyzedTokenizer*>(&tokenizer)) {
    return StyleOf(analyzed->wrapped());
  }
  return dynamic_cast<const text::SentencePieceTokenizer*>(&tokenizer) != nullptr
             ? PieceStyle::kSentencePiece
             : PieceStyle::kWordPiece;
}

}  // namespace

std::vector<TokenizedLine> TokenizeLines(const std::vector<std::string>& lines,
                                         const text::Tokenizer& tokenizer,
                                         const text::Analyzer& analyzer, int64_t max_length) {
  const PieceStyle style = StyleOf(tokenizer);
  std::vector<TokenizedLine> out;
  out.reserve(lines.size());
  for (const std::string& line : lines) {
    text::Encoding encoding = tokenizer.Encode(line, static_cast<size_t>(max_length));
    if (encoding.ids.size() <= 2) continue;
    const size_t pieces_kept = encoding.ids.size() - 2;
    std::vector<int32_t> words =
        AssignWordIds(tokenizer.Tokenize(line), style, analyzer.Analyze(line));
    // Tokenize() and Encode() segment alike; should they ever not, each token is its own word.
    if (words.size() < pieces_kept) {
      words.resize(pieces_kept);
      for (size_t i = 0; i < pieces_kept; ++i) words[i] = static_cast<int32_t>(i);
    }
    TokenizedLine tokenized;
    tokenized.ids = std::move(encoding.ids);
    tokenized.word_ids.reserve(tokenized.ids.size());
    tokenized.word_ids.push_back(-1);
    tokenized.word_ids.insert(tokenized.word_ids.end(), words.begin(),
                              words.begin() + static_cast<std::ptrdiff_t>(pieces_kept));
    tokenized.word_ids.push_back(-1);
    out.push_back(std::move(tokenized));
  }
  return out;
}

MlmBatch MakeMlmBatch(const std::vector<TokenizedLine>& lines, const std::vector<int64_t>& rows,
                      const MaskingOptions& masking, const MaskVocabulary& vocabulary,
                      int64_t pad_id, Rng& rng) {
  size_t longest = 0;
  for (int64_t r : rows) longest = std::max(longest, lines[static_cast<size_t>(r)].ids.size());
  const auto b = static_cast<int64_t>(rows.size());
  const auto t = static_cast<int64_t>(longest);
  MlmBatch batch;
  batch.input_ids = torch::full({b, t}, pad_id, torch::kLong);
  batch.attention_mask = torch::zeros({b, t}, torch::kLong);
  batch.labels = torch::full({b, t}, kIgnoreLabel, torch::kLong);
  auto ids = batch.input_ids.accessor<int64_t, 2>();
  auto mask = batch.attention_mask.accessor<int64_t, 2>();
  auto labels = batch.labels.accessor<int64_t, 2>();
  for (int64_t i = 0; i < b; ++i) {
    const TokenizedLine& line = lines[static_cast<size_t>(rows[static_cast<size_t>(i)])];
    const MaskedSequence masked = MaskSequence(line.ids, line.word_ids, masking, vocabulary, rng);
    for (size_t j = 0; j < masked.input_ids.size(); ++j) {
      ids[i][static_cast<int64_t>(j)] = masked.input_ids[j];
      mask[i][static_cast<int64_t>(j)] = 1;
      labels[i][static_cast<int64_t>(j)] = masked.labels[j];
    }
  }
  return batch;
}

MaskVocabulary MaskVocabularyOf(const text::Tokenizer& tokenizer) {
  MaskVocabulary vocabulary;
  vocabulary.vocab_size = static_cast<int64_t>(tokenizer.vocab_size());
  vocabulary.mask_id = tokenizer.mask_id();
  vocabulary.special_ids = {tokenizer.pad_id(), tokenizer.cls_id(), tokenizer.sep_id(),
                            tokenizer.mask_id(), tokenizer.unk_id()};
  return vocabulary;
}

}  // namespace souk::train::internal
