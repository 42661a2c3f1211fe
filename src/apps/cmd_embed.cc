// souk embed / souk tokenize: a model directory applied to lines of stdin, one JSON array per
// line on stdout, so that outside tools (and Python checks) can compare Souk with other stacks.

#include <charconv>
#include <iostream>
#include <string>
#include <vector>

#include "cmd_util.h"
#include "commands.h"
#include "souk/encoder/text_encoder.h"

namespace souk::apps {

namespace {
constexpr char kEmbedUsage[] =
    R"(usage: souk embed --model DIR [--pooling cls|mean|pooler] [--no-normalize]
                  [--max-length N] [--device cpu|cuda|cuda:N|auto] [--threads N] [--batch N]
                  [--queries]

Reads UTF-8 lines on stdin and writes one JSON array of floats per line (the embedding).
Pooling, normalization and max length default to the model's souk.json. Lines are product
texts, or queries with --queries (the two differ for a model with a length pivot).
)";
constexpr char kTokenizeUsage[] = R"(usage: souk tokenize --model DIR [--max-length N]

Reads UTF-8 lines on stdin and writes one JSON array of token ids per line, [CLS] and [SEP]
included, as the model sees them.
)";

constexpr size_t kLinesPerChunk = 1024;  // bounds memory on long inputs

template <typename T>
void PrintJsonArray(const std::vector<T>& values) {
  std::string line = "[";
  char buf[32];
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) line += ',';
    // Shortest text that reads back to the same value.
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), values[i]);
    line.append(buf, end);
  }
  line += "]\n";
  std::cout << line;
}

absl::StatusOr<encoder::EncoderOptions> OptionsFromFlags(const Flags& flags) {
  encoder::EncoderOptions options;
  options.model_dir = flags.Get("model");
  options.device = flags.Get("device", "cpu");
  auto threads = flags.GetInt("threads", 1);
  if (!threads.ok()) return threads.status();
  options.threads = static_cast<int>(*threads);
  options.cache_entries = 0;
  if (flags.Has("pooling")) {
    options.pooling = model::ParsePooling(flags.Get("pooling"));
    if (!options.pooling) {
      return absl::InvalidArgumentError("--pooling: expected cls, mean, weighted_mean or pooler");
    }
  }
  if (flags.Has("no-normalize")) options.normalize = false;
  if (flags.Has("max-length")) {
    auto max_length = flags.GetInt("max-length", 0);
    if (!max_length.ok()) return max_length.status();
    options.max_length = *max_length;
  }
  return options;
}

}  // namespace

int RunEmbed(int argc, char** argv) {
  auto flags =
      Flags::Parse(argc, argv, 2,
                   {.with_value = {"model", "pooling", "max-length", "device", "threads", "batch"},
                    .boolean = {"no-normalize", "queries", "help"}});
  if (!flags.ok()) return Fail("souk embed", flags.status());
  if (flags->Has("help") || !flags->Has("model")) return Usage(kEmbedUsage, flags->Has("help"));
  auto options = OptionsFromFlags(*flags);
  if (!options.ok()) return Fail("souk embed", options.status());
  auto batch = flags->GetInt("batch", 32);
  if (!batch.ok() || *batch < 1) {
    return Fail("souk embed", absl::InvalidArgumentError("--batch must be an integer >= 1"));
  }
  auto encoder = encoder::TextEncoder::Create(*options);
  if (!encoder.ok()) return Fail("souk embed", encoder.status());

  const model::TextRole role =
      flags->Has("queries") ? model::TextRole::kQuery : model::TextRole::kProduct;
  std::vector<std::string> lines;
  auto flush = [&]() -> absl::Status {
    auto vectors = (*encoder)->EncodeBatch(lines, static_cast<size_t>(*batch), role);
    if (!vectors.ok()) return vectors.status();
    for (const auto& v : *vectors) PrintJsonArray(v);
    lines.clear();
    return absl::OkStatus();
  };
  for (std::string line; std::getline(std::cin, line);) {
    lines.push_back(std::move(line));
    if (lines.size() == kLinesPerChunk) {
      if (absl::Status s = flush(); !s.ok()) return Fail("souk embed", s);
    }
  }
  if (absl::Status s = flush(); !s.ok()) return Fail("souk embed", s);
  return 0;
}

int RunTokenize(int argc, char** argv) {
  auto flags =
      Flags::Parse(argc, argv, 2, {.with_value = {"model", "max-length"}, .boolean = {"help"}});
  if (!flags.ok()) return Fail("souk tokenize", flags.status());
  if (flags->Has("help") || !flags->Has("model")) {
    return Usage(kTokenizeUsage, flags->Has("help"));
  }
  auto options = OptionsFromFlags(*flags);
  if (!options.ok()) return Fail("souk tokenize", options.status());
  auto encoder = encoder::TextEncoder::Create(*options);
  if (!encoder.ok()) return Fail("souk tokenize", encoder.status());
  for (std::string line; std::getline(std::cin, line);) PrintJsonArray((*encoder)->Tokenize(line));
  return 0;
}

}  // namespace souk::apps
