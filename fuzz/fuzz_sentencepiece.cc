// The SentencePiece tokenizer on arbitrary bytes, with a unigram model trained at start-up on a
// small Chinese and English shop corpus (case-folded, byte fallback: as `souk train tokenizer`
// trains them). Encodings stay inside the vocabulary, framed by [CLS] ... [SEP] and within
// max_length; the pieces of any text decode; and the input read as a list of ids decodes or is
// refused, never crashes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "souk/text/sentencepiece_tokenizer.h"

namespace {

using souk::fuzz::Fail;
using souk::text::SentencePieceTokenizer;

std::string Corpus() {
  const char* lines[] = {"Cordless drill 18V with battery and charger",
                         "Garden hose, 50 ft, kink free",
                         "蓝牙耳机 无线 降噪 长续航",
                         "LED ceiling light 4000K dimmable",
                         "质量很好 价格便宜 快递很快 非常满意",
                         "Stainless steel kitchen sink with faucet",
                         "儿童 运动鞋 透气 防滑 红色 蓝色",
                         "Wood screws #8 x 1-1/4 in. (100-pack)"};
  std::string corpus;
  for (int round = 0; round < 40; ++round) {
    for (const char* line : lines) corpus += std::string(line) + " " + std::to_string(round) + "\n";
  }
  return corpus;
}

const SentencePieceTokenizer& TheTokenizer() {
  static const SentencePieceTokenizer* tokenizer = [] {
    souk::text::SentencePieceTrainOptions options;
    options.input_path = souk::fuzz::WriteScratchFile("corpus.txt", Corpus());
    options.model_prefix = souk::fuzz::ScratchDir() + "/spiece";
    options.vocab_size = 360;
    options.case_fold = true;
    if (const absl::Status trained = souk::text::TrainSentencePiece(options); !trained.ok()) {
      Fail("training the model: " + trained.ToString());
    }
    auto loaded = SentencePieceTokenizer::Load(options.model_prefix + ".model");
    if (!loaded.ok()) Fail("loading the trained model");
    return loaded->release();
  }();
  return *tokenizer;
}

void CheckEncoding(const souk::text::Encoding& e, size_t max_length) {
  const SentencePieceTokenizer& tok = TheTokenizer();
  if (e.ids.size() < 2 || e.ids.size() > max_length || e.ids.size() != e.token_type_ids.size()) {
    Fail("an encoding of the wrong length");
  }
  if (e.ids.front() != tok.cls_id() || e.ids.back() != tok.sep_id()) Fail("unframed encoding");
  for (int64_t id : e.ids) {
    if (id < 0 || static_cast<size_t>(id) >= tok.vocab_size()) Fail("an id outside the vocab");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  souk::fuzz::QuietLogs();
  TheTokenizer();  // trains once, before the first input is timed
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const SentencePieceTokenizer& tok = TheTokenizer();
  // The first byte picks max_length (3..66); the rest is the text, split at its middle for pairs.
  const size_t max_length = 3 + data[0] % 64;
  const std::string_view text = souk::fuzz::AsText(data + 1, size - 1);
  CheckEncoding(tok.Encode(text, max_length), max_length);
  CheckEncoding(
      tok.EncodePair(text.substr(0, text.size() / 2), text.substr(text.size() / 2), max_length),
      max_length);
  const std::vector<int64_t> pieces = tok.TokenizeToIds(text);
  if (!tok.Decode(pieces).ok()) Fail("the pieces of a text do not decode");
  // The same bytes as little-endian 16-bit ids less 1000: negative, in and beyond the vocabulary.
  std::vector<int64_t> ids;
  for (size_t i = 0; i + 1 < size; i += 2) ids.push_back((data[i] | (data[i + 1] << 8)) - 1000);
  (void)tok.Decode(ids, /*skip_special_tokens=*/(data[0] & 1) != 0);
  return 0;
}
