// The WordPiece tokenizer on arbitrary bytes, single texts and pairs: ids stay inside the
// vocabulary, start with [CLS], end with [SEP], respect max_length, and types match ids.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "souk/text/wordpiece_tokenizer.h"

namespace {

// Special tokens, a few words and pieces (Latin, digits, CJK, accents) so that the greedy
// longest-match loop has something to match.
std::vector<std::string> Vocab() {
  std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (const char* w : {"drill", "dr", "##ill", "##s", "cord", "##less", "18", "##v", "a",   "b",
                        "无",    "线", "耳",    "机",  "cafe", "##é",    "-",  ",",   "##1", "x"}) {
    v.push_back(w);
  }
  return v;
}

const souk::text::WordPieceTokenizer& TheTokenizer() {
  static const std::unique_ptr<souk::text::WordPieceTokenizer> tokenizer = [] {
    auto created = souk::text::WordPieceTokenizer::FromVocab(Vocab());
    if (!created.ok()) std::abort();
    return std::move(*created);
  }();
  return *tokenizer;
}

void Check(const souk::text::Encoding& e, size_t max_length, size_t vocab_size) {
  if (e.ids.size() < 2 || e.ids.size() > max_length || e.ids.size() != e.token_type_ids.size() ||
      e.ids.front() != 2 || e.ids.back() != 3) {
    std::abort();
  }
  for (int64_t id : e.ids) {
    if (id < 0 || static_cast<size_t>(id) >= vocab_size) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte picks max_length (3..66); the rest is split in two at its middle for pairs.
  const size_t max_length = 3 + data[0] % 64;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const size_t vocab_size = Vocab().size();
  Check(TheTokenizer().Encode(text, max_length), max_length, vocab_size);
  Check(TheTokenizer().EncodePair(text.substr(0, text.size() / 2), text.substr(text.size() / 2),
                                  max_length),
        max_length, vocab_size);
  return 0;
}
