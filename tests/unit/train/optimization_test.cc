// The learning-rate schedule: linear warm-up to the peak, linear decay to zero.

#include "souk/train/optimization.h"

#include "support/test_support.h"

namespace souk::train {
namespace {

TEST(LearningRateTest, WarmsUpLinearlyThenDecaysToZero) {
  OptimizerOptions options;
  options.learning_rate = 1.0;
  options.warmup_fraction = 0.1;  // 10 of 100 steps
  EXPECT_EQ(WarmupSteps(100, options), 10);
  EXPECT_DOUBLE_EQ(LearningRateAt(0, 100, options), 0.1);  // the first step already learns
  EXPECT_DOUBLE_EQ(LearningRateAt(4, 100, options), 0.5);
  EXPECT_DOUBLE_EQ(LearningRateAt(9, 100, options), 1.0);
  EXPECT_DOUBLE_EQ(LearningRateAt(10, 100, options), 1.0);
  EXPECT_DOUBLE_EQ(LearningRateAt(55, 100, options), 0.5);
  EXPECT_DOUBLE_EQ(LearningRateAt(99, 100, options), 1.0 / 90);
  EXPECT_DOUBLE_EQ(LearningRateAt(100, 100, options), 0.0);
  EXPECT_DOUBLE_EQ(LearningRateAt(150, 100, options), 0.0);
}

TEST(LearningRateTest, NoWarmupStartsAtThePeak) {
  OptimizerOptions options;
  options.learning_rate = 2.0;
  options.warmup_fraction = 0;
  EXPECT_DOUBLE_EQ(LearningRateAt(0, 4, options), 2.0);
  EXPECT_DOUBLE_EQ(LearningRateAt(2, 4, options), 1.0);
}

TEST(OptimizerOptionsTest, InvalidValuesNameTheField) {
  using ::souk::testing::StatusIs;
  OptimizerOptions options;
  options.warmup_fraction = 1.5;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "warmup_fraction"));
  options = {};
  options.beta2 = 1.0;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "beta2"));
  options = {};
  options.learning_rate = 0;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, "learning_rate"));
}

}  // namespace
}  // namespace souk::train
