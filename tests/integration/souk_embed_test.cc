// `souk embed` and `souk tokenize` as outside tools call them: lines on stdin, one JSON array per
// line on stdout, equal to what the library computes.

#include <cstdio>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "souk/encoder/model_directory.h"
#include "souk/encoder/text_encoder.h"
#include "support/test_support.h"

namespace souk {
namespace {

using ::souk::testing::TempDir;

template <typename... Args>
std::string StrCatForTest(const Args&... args) {
  std::string out;
  ((out += args), ...);
  return out;
}

// Runs `command` through the shell and returns its stdout lines.
std::vector<std::string> RunLines(const std::string& command, int* exit_code) {
  std::vector<std::string> lines;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return lines;
  std::string current;
  for (int c; (c = std::fgetc(pipe)) != EOF;) {
    if (c == '\n') {
      lines.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(c));
    }
  }
  *exit_code = ::pclose(pipe);
  return lines;
}

class SoukEmbedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model::BertConfig config;
    config.vocab_size = 16;
    config.hidden_size = 16;
    config.num_hidden_layers = 1;
    config.num_attention_heads = 2;
    config.intermediate_size = 32;
    config.max_position_embeddings = 32;
    model::ServingConfig serving;
    serving.max_length = 16;
    ASSERT_OK(encoder::WriteRandomModelDirectory(
        tmp_.File("model"), config, serving,
        {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "red", "shoe", "##s", "蓝", "牙"}, 3));
    input_ = tmp_.WriteFile("in.txt", "red shoes\n蓝牙\n\nunknown words\n");
  }

  TempDir tmp_;
  std::string input_;
  const std::vector<std::string> texts_ = {"red shoes", "蓝牙", "", "unknown words"};
};

TEST_F(SoukEmbedTest, EmbedWritesOneArrayPerLineEqualToTheLibrary) {
  int code = -1;
  auto lines = RunLines(
      StrCatForTest(SOUK_PATH, " embed --model ", tmp_.File("model"), " < ", input_), &code);
  ASSERT_EQ(code, 0);
  ASSERT_EQ(lines.size(), texts_.size());
  encoder::EncoderOptions options;
  options.model_dir = tmp_.File("model");
  auto encoder = encoder::TextEncoder::Create(options);
  ASSERT_OK(encoder);
  auto expected = (*encoder)->EncodeBatch(texts_);
  ASSERT_OK(expected);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto got = nlohmann::json::parse(lines[i]).get<std::vector<float>>();
    EXPECT_EQ(got, (*expected)[i]) << texts_[i];
  }
}

TEST_F(SoukEmbedTest, TokenizeWritesTheIdsTheModelSees) {
  int code = -1;
  auto lines = RunLines(
      StrCatForTest(SOUK_PATH, " tokenize --model ", tmp_.File("model"), " < ", input_), &code);
  ASSERT_EQ(code, 0);
  ASSERT_EQ(lines.size(), texts_.size());
  EXPECT_EQ(lines[0], "[2,5,6,7,3]");  // [CLS] red shoe ##s [SEP]
  EXPECT_EQ(lines[1], "[2,8,9,3]");    // CJK characters split
  EXPECT_EQ(lines[2], "[2,3]");
  EXPECT_EQ(lines[3], "[2,1,1,3]");  // [UNK] [UNK]
}

TEST_F(SoukEmbedTest, ABadModelDirectoryFailsWithItsName) {
  int code = -1;
  RunLines(StrCatForTest(SOUK_PATH, " embed --model ", tmp_.File("nope"), " < ", input_, " 2> ",
                         tmp_.File("err")),
           &code);
  EXPECT_NE(code, 0);
  std::FILE* f = std::fopen(tmp_.File("err").c_str(), "r");
  ASSERT_NE(f, nullptr);
  char buf[512] = {0};
  const size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  EXPECT_NE(std::string(buf, n).find("nope"), std::string::npos) << buf;
}

}  // namespace
}  // namespace souk
