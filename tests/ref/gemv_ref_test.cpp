// The GEMV/requant reference against vectors worked out by hand from the gemmlowp definitions
// (each comment shows the arithmetic), so the reference itself is checked before RTL is held to it.
#include <gtest/gtest.h>

#include <limits>

#include "gemv_ref.hpp"

namespace {
using namespace pnm::ref;
constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

TEST(Srdhm, HandCheckedVectors) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin, kMin), kMax);  // the only saturation
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin, kMax), -kMax);  // -2^62+2^31 -> -(2^31-1)
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMax, kMax), kMax - 1);  // (2^31-1)^2/2^31 = 2^31-2+2^-31
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1 << 30, 1 << 30), 1 << 29);  // 0.5 * 0.5
  EXPECT_EQ(saturating_rounding_doubling_high_mul(3, 1 << 30), 2);    // 1.5: (3*2^30+2^30)/2^31 = 2
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-3, 1 << 30), -1);  // -1.5: (-2^32+1)/2^31 -> -1 (trunc)
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1, 1 << 30), 1);    // 0.5 -> 1
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-1, 1 << 30), 0);   // -0.5: (-2^31+1)/2^31 -> 0
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1000, 1 << 30), 500);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-1000, 1 << 30), -500);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(0, kMin), 0);
}

TEST(RoundingDivideByPot, HandCheckedVectors) {
  EXPECT_EQ(rounding_divide_by_pot(5, 1), 3);    // 2.5 -> 3
  EXPECT_EQ(rounding_divide_by_pot(-5, 1), -3);  // -2.5 -> -3 (ties away from zero)
  EXPECT_EQ(rounding_divide_by_pot(-3, 1), -2);  // -1.5 -> -2
  EXPECT_EQ(rounding_divide_by_pot(-1, 1), -1);  // -0.5 -> -1
  EXPECT_EQ(rounding_divide_by_pot(7, 2), 2);    // 1.75
  EXPECT_EQ(rounding_divide_by_pot(6, 2), 2);    // 1.5
  EXPECT_EQ(rounding_divide_by_pot(-6, 2), -2);  // -1.5: rem 2, threshold 2 -> -2
  EXPECT_EQ(rounding_divide_by_pot(-7, 2), -2);  // -1.75
  EXPECT_EQ(rounding_divide_by_pot(-5, 2), -1);  // -1.25
  EXPECT_EQ(rounding_divide_by_pot(12345, 0), 12345);  // shift 0 is the identity
  EXPECT_EQ(rounding_divide_by_pot(-12345, 0), -12345);
  EXPECT_EQ(rounding_divide_by_pot(kMax, 31), 1);        // 0.99999 -> 1
  EXPECT_EQ(rounding_divide_by_pot(kMin, 31), -1);       // exactly -1
  EXPECT_EQ(rounding_divide_by_pot(1 << 30, 31), 1);     // 0.5 -> 1
  EXPECT_EQ(rounding_divide_by_pot(-(1 << 30), 31), -1);  // -0.5 -> -1
  EXPECT_EQ(rounding_divide_by_pot((1 << 30) - 1, 31), 0);
}

TEST(Requantize, HandCheckedVectors) {
  EXPECT_EQ(requantize(1000, 1 << 30, 2, 0), 125);    // 1000 * 0.5 / 4
  EXPECT_EQ(requantize(1000, 1 << 30, 1, 0), 127);    // 250 clamps
  EXPECT_EQ(requantize(-1000, 1 << 30, 1, 0), -128);  // -250 clamps
  EXPECT_EQ(requantize(-1000, 1 << 30, 2, 0), -125);
  EXPECT_EQ(requantize(1000, 1 << 30, 2, 3), 127);    // 125 + 3 clamps
  EXPECT_EQ(requantize(-1000, 1 << 30, 2, -3), -128);
  EXPECT_EQ(requantize(kMin, kMin, 0, 0), 127);       // saturated SRDHM, then clamp
  EXPECT_EQ(requantize(kMin, kMin, 31, 0), 1);        // INT32_MAX / 2^31 rounds to 1
  EXPECT_EQ(requantize(-6, 1 << 30, 1, 0), -2);       // -3 / 2 = -1.5 -> -2
}

TEST(Int4, UnpackAndSignExtension) {
  const uint8_t row[] = {0x8F, 0x71, 0x08};
  EXPECT_EQ(int4_element(row, 0), -1);  // low nibble F
  EXPECT_EQ(int4_element(row, 1), -8);  // high nibble 8: INT4 minimum
  EXPECT_EQ(int4_element(row, 2), 1);
  EXPECT_EQ(int4_element(row, 3), 7);   // INT4 maximum
  EXPECT_EQ(int4_element(row, 4), -8);
  EXPECT_EQ(int4_element(row, 5), 0);
}

TEST(Gemv, HandCheckedInt8AndInt4) {
  // 2 rows, K = 3, rows padded to 4 bytes; two batch vectors.
  const uint8_t w8[] = {1, 0xFF /*-1*/, 2, 0xAA, 0x80 /*-128*/, 0x7F /*127*/, 3, 0xAA};
  const std::vector<std::vector<int8_t>> x = {{10, 20, 30}, {-128, 127, -1}};
  const auto y = gemv(w8, 2, 3, 4, GemvWeights::kInt8, x);
  EXPECT_EQ(y[0][0], 10 - 20 + 60);
  EXPECT_EQ(y[0][1], -1280 + 2540 + 90);
  EXPECT_EQ(y[1][0], -128 - 127 - 2);
  EXPECT_EQ(y[1][1], 16384 + 16129 - 3);
  // INT4: row 0 = {-1, -8, 1, 7}, row 1 = {7, 7, -8, -8}; K = 4, stride 2 bytes.
  const uint8_t w4[] = {0x8F, 0x71, 0x77, 0x88};
  const auto y4 = gemv(w4, 2, 4, 2, GemvWeights::kInt4, {{1, 2, 3, 4}});
  EXPECT_EQ(y4[0][0], -1 - 16 + 3 + 28);
  EXPECT_EQ(y4[0][1], 7 + 14 - 24 - 32);
}

TEST(Gemv, ExtremeOperandsStayExactAtMaxK) {
  // K = 65536 with all -128 x -128: 2^30, the documented bound of exact INT32 accumulation.
  const uint32_t k = 65536;
  std::vector<uint8_t> w(k, 0x80);
  const auto y = gemv(w.data(), 1, k, k, GemvWeights::kInt8, {std::vector<int8_t>(k, -128)});
  EXPECT_EQ(y[0][0], 1 << 30);
}
}  // namespace
