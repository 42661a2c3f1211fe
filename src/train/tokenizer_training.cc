#include "souk/train/tokenizer_training.h"

#include "souk/base/file_util.h"
#include "souk/base/logging.h"
#include "souk/base/status_macros.h"
#include "souk/base/str_cat.h"
#include "souk/encoder/model_directory.h"
#include "souk/text/sentencepiece_tokenizer.h"

namespace souk::train {

absl::StatusOr<TokenizerTrainingResult> TrainTokenizer(const TokenizerTrainingOptions& options) {
  if (options.out_dir.empty()) return absl::InvalidArgumentError("out_dir: empty");
  TokenizerTrainingResult result;
  SOUK_ASSIGN_OR_RETURN(std::vector<std::string> lines, ReadCorpus(options.corpus, &result.corpus));
  result.sentences = lines.size();
  if (options.analyzer) {
    SOUK_ASSIGN_OR_RETURN(std::unique_ptr<text::Analyzer> analyzer,
                          text::Analyzer::Create(*options.analyzer));
    for (std::string& line : lines) line = analyzer->AnalyzedText(line);
  }
  SOUK_RETURN_IF_ERROR(MakeDirectories(options.out_dir));
  // SentencePiece trains from a file: the corpus goes to a temporary one beside the model.
  const std::string input = StrCat(options.out_dir, "/.tokenizer-corpus.txt");
  std::string text;
  for (const std::string& line : lines) {
    text += line;
    text += '\n';
  }
  SOUK_RETURN_IF_ERROR(WriteFileAtomically(input, text));
  text.clear();
  text.shrink_to_fit();
  text::SentencePieceTrainOptions train;
  train.input_path = input;
  train.model_prefix = StrCat(options.out_dir, "/spiece");
  train.vocab_size = options.vocab_size;
  train.model_type = options.model_type;
  train.byte_fallback = options.model_type == text::SentencePieceModelType::kUnigram;
  train.input_sentence_size = options.max_sentences;
  train.num_threads = options.threads;
  train.case_fold = options.lowercase;
  train.seed = static_cast<uint32_t>(options.seed);
  absl::Status trained = text::TrainSentencePiece(train);
  (void)RemoveFileIfExists(input);
  const std::string message(trained.message());
  if (!trained.ok() && message.find("Vocabulary size") != std::string::npos) {
    // The corpus cannot fill the vocabulary: the user's setting, not an internal failure.
    return absl::InvalidArgumentError(StrCat("vocab_size ", options.vocab_size, ": ", message));
  }
  SOUK_RETURN_IF_ERROR(trained);
  if (options.analyzer) {
    SOUK_RETURN_IF_ERROR(encoder::WriteAnalyzerConfig(options.out_dir, *options.analyzer));
  } else {
    // A directory trained again without the analyzer must not keep the old setting.
    SOUK_RETURN_IF_ERROR(
        RemoveFileIfExists(StrCat(options.out_dir, "/", encoder::kTokenizerConfigFile)));
  }
  result.model_path = StrCat(options.out_dir, "/spiece.model");
  SOUK_LOG_INFO("train", "tokenizer: ", options.vocab_size, " pieces from ", result.sentences,
                " lines -> ", result.model_path);
  return result;
}

}  // namespace souk::train
