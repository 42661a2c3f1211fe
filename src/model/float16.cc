#include "souk/model/float16.h"

#include <bit>
#include <cstdint>

namespace souk::model {
namespace {

constexpr uint32_t kFloatExpMask = 0x7f800000u;
constexpr uint32_t kFloatAbsMask = 0x7fffffffu;

// Rounds `value >> shift` to nearest, ties to even, from the bits shifted out.
uint32_t ShiftRightRoundEven(uint32_t value, int shift) {
  const uint32_t quotient = value >> shift;
  const uint32_t remainder = value & ((1u << shift) - 1);
  const uint32_t half = 1u << (shift - 1);
  if (remainder > half || (remainder == half && (quotient & 1u))) return quotient + 1;
  return quotient;
}

}  // namespace

float HalfToFloat(uint16_t bits) {
  const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1fu;
  const uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24, exact in float.
    const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 0x1f) return std::bit_cast<float>(sign | kFloatExpMask | (mantissa << 13));
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

uint16_t FloatToHalf(float value) {
  const uint32_t bits = std::bit_cast<uint32_t>(value);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const uint32_t abs = bits & kFloatAbsMask;
  if (abs > kFloatExpMask) {
    // NaN: keep the top payload bits and force the quiet bit so the result stays a NaN.
    return static_cast<uint16_t>(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
  }
  if (abs >= 0x47800000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 2^16 or inf
  const uint32_t exponent = abs >> 23;
  if (exponent < 113) {
    // Below 2^-14, the smallest normal half: a subnormal in units of 2^-24. The float's
    // significand (with its implicit bit) is shifted by 126 - exponent; 25 or more rounds to 0.
    const int shift = 126 - static_cast<int>(exponent);
    if (exponent == 0 || shift > 24) return static_cast<uint16_t>(sign);
    const uint32_t significand = (abs & 0x7fffffu) | 0x800000u;
    return static_cast<uint16_t>(sign | ShiftRightRoundEven(significand, shift));
  }
  // Normal: rebias the exponent and round the mantissa; a carry out of the mantissa correctly
  // bumps the exponent, up to infinity (0x7c00) for values in [65520, 65536).
  const uint32_t rebased = abs - (112u << 23);
  return static_cast<uint16_t>(sign | ShiftRightRoundEven(rebased, 13));
}

float BFloat16ToFloat(uint16_t bits) {
  return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16);
}

uint16_t FloatToBFloat16(float value) {
  const uint32_t bits = std::bit_cast<uint32_t>(value);
  if ((bits & kFloatAbsMask) > kFloatExpMask) {
    return static_cast<uint16_t>((bits >> 16) | 0x0040u);  // quiet NaN, sign kept
  }
  // Adding 0x7fff plus the lowest kept bit rounds to nearest even; overflow carries into inf.
  const uint32_t rounding = 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

}  // namespace souk::model
