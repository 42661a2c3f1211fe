#include <torch/torch.h>

#include <tuple>

#include "gtest/gtest.h"
#include "short_linear_internal.h"

namespace souk::model::internal {
namespace {

// Max |a - b| relative to max |b|.
double RelativeError(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
}

class ShortLinearTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(7); }
};

TEST_F(ShortLinearTest, RowsMatchTorchsLinearForEveryBlockAndEdge) {
  // Row counts around the blocks of four, odd output counts, inputs shorter and longer than
  // a vector of 16 floats and not a multiple of it.
  for (int64_t rows : {1, 2, 3, 4, 5, 7, 8, 9, 16}) {
    for (auto [in, out] : {std::tuple<int64_t, int64_t>{256, 1024},
                           {1024, 256},
                           {17, 3},
                           {5, 2},
                           {32, 1},
                           {48, 7}}) {
      const torch::Tensor x = torch::randn({rows, in}), w = torch::randn({out, in});
      const torch::Tensor b = torch::randn({out});
      torch::Tensor y = torch::empty({rows, out});
      ShortLinearRows(x.data_ptr<float>(), rows, in, w.data_ptr<float>(), b.data_ptr<float>(), out,
                      y.data_ptr<float>());
      EXPECT_LT(RelativeError(y, torch::linear(x, w, b)), 1e-5)
          << rows << " rows, in " << in << ", out " << out;
      ShortLinearRows(x.data_ptr<float>(), rows, in, w.data_ptr<float>(), nullptr, out,
                      y.data_ptr<float>());
      EXPECT_LT(RelativeError(y, torch::linear(x, w)), 1e-5) << "no bias, " << rows << " rows";
    }
  }
}

TEST_F(ShortLinearTest, ApplyLinearKeepsShapesAndTakesStridedInput) {
  torch::nn::Linear linear(torch::nn::LinearOptions(64, 24));
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::randn({2, 5, 64});
  const torch::Tensor y = ApplyLinear(linear, x);
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 5, 24}));
  EXPECT_LT(RelativeError(y, linear(x)), 1e-5);
  // A column of a larger tensor, as the pooler's [CLS] slice: not contiguous.
  const torch::Tensor cls = x.select(1, 0);
  ASSERT_FALSE(cls.is_contiguous());
  EXPECT_LT(RelativeError(ApplyLinear(linear, cls), linear(cls)), 1e-5);
}

TEST_F(ShortLinearTest, GradientsAndLongInputsGoToTheModule) {
  torch::nn::Linear linear(torch::nn::LinearOptions(8, 4));
  // Recording gradients: the module's result, which has a gradient function.
  const torch::Tensor y = ApplyLinear(linear, torch::randn({3, 8}));
  EXPECT_TRUE(y.requires_grad());
  y.sum().backward();
  EXPECT_TRUE(linear->weight.grad().defined());
  torch::NoGradGuard no_grad;
  const torch::Tensor many = torch::randn({kShortLinearMaxRows + 1, 8});
  EXPECT_TRUE(ApplyLinear(linear, many).equal(linear(many)));  // sgemm, bit for bit
  const torch::Tensor doubles = torch::randn({2, 8}, torch::kDouble);
  linear->to(torch::kDouble);
  EXPECT_TRUE(ApplyLinear(linear, doubles).equal(linear(doubles)));
}

}  // namespace
}  // namespace souk::model::internal
