// The GPU serves what the CPU serves: the same model directory encodes to the same vectors on
// CUDA (fp32, and fp16 / bf16 within their precision), and the exact vector index on CUDA finds
// the CPU's neighbours. Runs where libtorch sees a CUDA device (bench/gpu/run.sh); skipped
// elsewhere, which is every CI machine.

#include <torch/cuda.h>

#include <cmath>
#include <random>
#include <set>

#include "souk/encoder/model_directory.h"
#include "souk/encoder/text_encoder.h"
#include "souk/vector/exact_index.h"
#include "support/test_support.h"

namespace souk::encoder {
namespace {

using ::souk::testing::TempDir;

model::BertConfig ParityConfig() {
  model::BertConfig c;
  c.vocab_size = 40;
  c.hidden_size = 64;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.intermediate_size = 128;
  c.max_position_embeddings = 64;
  return c;
}

std::vector<std::string> Vocab() {
  std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (const char* w : {"usb", "charger", "wireless", "earbuds", "garden", "hose", "drill",
                        "cordless", "fast", "white", "black", "##s", "##ing", "the", "for"}) {
    v.push_back(w);
  }
  return v;
}

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * b[i];
    na += double(a[i]) * a[i];
    nb += double(b[i]) * b[i];
  }
  return dot / std::sqrt(na * nb);
}

class DeviceParityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device: runs on GPU machines";
    ASSERT_OK(WriteRandomModelDirectory(dir_.File("model"), ParityConfig(), {}, Vocab(), 3));
  }

  std::unique_ptr<TextEncoder> Make(const std::string& device, const std::string& precision) {
    EncoderOptions options;
    options.model_dir = dir_.File("model");
    options.device = device;
    options.cuda_precision = precision;
    options.cache_entries = 0;
    auto encoder = TextEncoder::Create(options);
    EXPECT_OK(encoder);
    return encoder.ok() ? std::move(*encoder) : nullptr;
  }

  TempDir dir_;
};

TEST_F(DeviceParityTest, CudaEncodesAsTheCpuDoes) {
  const std::vector<std::string> texts = {"usb charger", "fast wireless earbuds white",
                                          "cordless drill for the garden hose", "black"};
  auto cpu = Make("cpu", "fp32");
  ASSERT_NE(cpu, nullptr);
  for (const auto& [precision, floor] : std::vector<std::pair<std::string, double>>{
           {"fp32", 0.99999}, {"fp16", 0.999}, {"bf16", 0.99}}) {
    auto cuda = Make("cuda", precision);
    ASSERT_NE(cuda, nullptr);
    auto batch = cuda->EncodeBatch(texts);
    auto reference = cpu->EncodeBatch(texts);
    ASSERT_OK(batch);
    ASSERT_OK(reference);
    for (size_t i = 0; i < texts.size(); ++i) {
      EXPECT_GE(Cosine((*batch)[i], (*reference)[i]), floor) << precision << " " << texts[i];
      auto one = cuda->Encode(texts[i]);  // the query path: batcher, transfer back
      ASSERT_OK(one);
      EXPECT_GE(Cosine(*one, (*reference)[i]), floor) << precision << " " << texts[i];
    }
  }
}

TEST_F(DeviceParityTest, CudaExactSearchFindsTheCpuNeighbours) {
  constexpr size_t kDim = 64, kRows = 20000, kQueries = 50;
  std::mt19937 rng(5);
  std::normal_distribution<float> normal;
  std::vector<float> rows(kRows * kDim), queries(kQueries * kDim);
  for (float& x : rows) x = normal(rng);
  for (float& x : queries) x = normal(rng);
  std::vector<uint32_t> ids(kRows);
  for (size_t i = 0; i < kRows; ++i) ids[i] = static_cast<uint32_t>(i * 7);
  for (bool fp16 : {false, true}) {
    auto cpu = vector::ExactVectorIndex::Create(kDim, {.device = "cpu"});
    auto cuda = vector::ExactVectorIndex::Create(kDim, {.device = "cuda", .fp16_on_cuda = fp16});
    ASSERT_OK(cpu);
    ASSERT_OK(cuda);
    ASSERT_OK((*cpu)->Add(ids, rows));
    ASSERT_OK((*cuda)->Add(ids, rows));
    auto expected = (*cpu)->Search(queries, 10);
    auto found = (*cuda)->Search(queries, 10);
    ASSERT_OK(expected);
    ASSERT_OK(found);
    size_t agree = 0;
    for (size_t q = 0; q < kQueries; ++q) {
      std::set<uint32_t> truth;
      for (const auto& n : (*expected)[q]) truth.insert(n.id);
      for (const auto& n : (*found)[q]) agree += truth.count(n.id);
      // Scores: fp16 rows keep about 3 significant digits of inner products near 10.
      EXPECT_NEAR((*found)[q][0].score, (*expected)[q][0].score, fp16 ? 0.05 : 1e-3);
    }
    EXPECT_GE(double(agree) / (kQueries * 10), fp16 ? 0.95 : 0.999) << "fp16 " << fp16;
  }
}

}  // namespace
}  // namespace souk::encoder
