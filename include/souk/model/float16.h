// Conversions between float and the two 16-bit floating-point formats found in model files:
// IEEE 754 binary16 ("F16", 1 sign, 5 exponent, 10 mantissa bits) and bfloat16 ("BF16", the top
// half of a float32: 1 sign, 8 exponent, 7 mantissa bits).
//
// Widening to float is exact for every input, subnormals, infinities and NaNs included.
// Narrowing rounds to nearest, ties to even (IEEE 754-2008 section 4.3.1), overflows to infinity,
// and keeps a NaN a (quiet) NaN of the same sign.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace souk::model {

/// The float value of the binary16 bit pattern `bits`.
float HalfToFloat(uint16_t bits);
/// `value` rounded to binary16 (round to nearest even; beyond 65504 rounds to infinity).
uint16_t FloatToHalf(float value);
/// The float value of the bfloat16 bit pattern `bits`.
float BFloat16ToFloat(uint16_t bits);
/// `value` rounded to bfloat16 (round to nearest even).
uint16_t FloatToBFloat16(float value);

}  // namespace souk::model
