#include "souk/model/float16.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace souk::model {
namespace {

TEST(HalfToFloatTest, DecodesEdgeValues) {
  EXPECT_EQ(HalfToFloat(0x0000), 0.0f);
  EXPECT_TRUE(std::signbit(HalfToFloat(0x8000)));
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xc000), -2.0f);
  EXPECT_EQ(HalfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(HalfToFloat(0x7bff), 65504.0f);            // largest finite
  EXPECT_EQ(HalfToFloat(0x0400), 0x1p-14f);            // smallest normal
  EXPECT_EQ(HalfToFloat(0x0001), 0x1p-24f);            // smallest subnormal
  EXPECT_EQ(HalfToFloat(0x03ff), 1023.0f * 0x1p-24f);  // largest subnormal
  EXPECT_EQ(HalfToFloat(0x8001), -0x1p-24f);
  EXPECT_EQ(HalfToFloat(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(HalfToFloat(0xfc00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7e00)));
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7c01)));  // signalling NaN stays a NaN
  EXPECT_TRUE(std::signbit(HalfToFloat(0xfe00)));
}

TEST(FloatToHalfTest, EncodesEdgeValues) {
  EXPECT_EQ(FloatToHalf(0.0f), 0x0000);
  EXPECT_EQ(FloatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(FloatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(FloatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(FloatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(FloatToHalf(65519.0f), 0x7bff);  // below the midpoint to infinity
  EXPECT_EQ(FloatToHalf(65520.0f), 0x7c00);  // the midpoint rounds to even: infinity
  EXPECT_EQ(FloatToHalf(1e6f), 0x7c00);
  EXPECT_EQ(FloatToHalf(-1e6f), 0xfc00);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(FloatToHalf(0x1p-14f), 0x0400);
  EXPECT_EQ(FloatToHalf(0x1p-24f), 0x0001);
  EXPECT_EQ(FloatToHalf(-0x1p-24f), 0x8001);
  EXPECT_EQ(FloatToHalf(0x1p-25f), 0x0000);            // tie between 0 and 2^-24: even is 0
  EXPECT_EQ(FloatToHalf(0x1.000002p-25f), 0x0001);     // just above the tie
  EXPECT_EQ(FloatToHalf(0x1.8p-24f), 0x0002);          // 1.5 ulp: tie, rounds to even 2
  EXPECT_EQ(FloatToHalf(0x1.4p-24f), 0x0001);          // 1.25 ulp
  EXPECT_EQ(FloatToHalf(1023.5f * 0x1p-24f), 0x0400);  // largest subnormal + tie -> normal
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
  const uint16_t nan = FloatToHalf(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7c00, 0x7c00);
  EXPECT_NE(nan & 0x03ff, 0);
  // A float NaN whose payload lives only in the low bits must not become infinity.
  EXPECT_NE(FloatToHalf(std::bit_cast<float>(0x7f800001u)) & 0x03ff, 0);
}

TEST(FloatToHalfTest, RoundsToNearestEvenInNormalRange) {
  // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: even mantissa (1.0) wins.
  EXPECT_EQ(FloatToHalf(1.0f + 0x1p-11f), 0x3c00);
  // 1 + 3 * 2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
  EXPECT_EQ(FloatToHalf(1.0f + 3 * 0x1p-11f), 0x3c02);
  EXPECT_EQ(FloatToHalf(1.0f + 0x1p-11f + 0x1p-20f), 0x3c01);
}

TEST(FloatToHalfTest, RoundTripsEveryHalf) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto h = static_cast<uint16_t>(bits);
    const float f = HalfToFloat(h);
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(HalfToFloat(FloatToHalf(f)))) << bits;
    } else {
      ASSERT_EQ(FloatToHalf(f), h) << bits;
    }
  }
}

TEST(BFloat16Test, ConvertsBothWays) {
  EXPECT_EQ(BFloat16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(BFloat16ToFloat(0xc040), -3.0f);
  EXPECT_EQ(BFloat16ToFloat(0x0001), std::bit_cast<float>(0x00010000u));  // subnormal
  EXPECT_EQ(BFloat16ToFloat(0x7f80), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(BFloat16ToFloat(0x7fc0)));
  EXPECT_EQ(FloatToBFloat16(1.0f), 0x3f80);
  EXPECT_EQ(FloatToBFloat16(-3.0f), 0xc040);
  // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1.0).
  EXPECT_EQ(FloatToBFloat16(1.0f + 0x1p-8f), 0x3f80);
  EXPECT_EQ(FloatToBFloat16(1.0f + 3 * 0x1p-8f), 0x3f82);
  EXPECT_EQ(FloatToBFloat16(1.0f + 0x1p-8f + 0x1p-20f), 0x3f81);
  EXPECT_EQ(FloatToBFloat16(std::numeric_limits<float>::max()), 0x7f80);  // rounds to inf
  EXPECT_EQ(FloatToBFloat16(-std::numeric_limits<float>::infinity()), 0xff80);
  EXPECT_EQ(FloatToBFloat16(std::bit_cast<float>(0x00010000u)), 0x0001);
  const uint16_t nan = FloatToBFloat16(std::bit_cast<float>(0x7f800001u));
  EXPECT_TRUE(std::isnan(BFloat16ToFloat(nan)));
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const float f = BFloat16ToFloat(static_cast<uint16_t>(bits));
    if (!std::isnan(f)) {
      ASSERT_EQ(FloatToBFloat16(f), bits) << bits;
    }
  }
}

}  // namespace
}  // namespace souk::model
