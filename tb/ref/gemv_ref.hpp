// Bit-exact reference of the GEMV arithmetic of DESIGN.md section 3, written from the formulas:
// INT8/INT4 weights, INT8 activations, exact INT32 accumulation, and TFLite/gemmlowp fixed-point
// requantisation. Plain C++, no knowledge of the RTL.
#pragma once

#include <cstdint>
#include <vector>

namespace pnm::ref {

// gemmlowp SaturatingRoundingDoublingHighMul: round(a*b / 2^31) with nudge 2^30 (or 1-2^30 for a
// negative product) and truncating division; only INT32_MIN*INT32_MIN saturates (to INT32_MAX).
int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b);

// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero; exponent 0..31.
int32_t rounding_divide_by_pot(int32_t x, int exponent);

// clamp(RoundingDivideByPOT(SRDHM(acc, m0), shift) + zero_point, -128, 127); shift 0..31.
int8_t requantize(int32_t acc, int32_t m0, int shift, int32_t zero_point);

// INT4 weight k of a packed row: element 2j in bits [3:0] of byte j, 2j+1 in bits [7:4];
// two's complement, -8..7.
int8_t int4_element(const uint8_t* packed_row, uint32_t k);

enum class GemvWeights { kInt8, kInt4 };

// y[b][r] = sum_k W[r][k] * x[b][k] for rows r < rows, k < K, batch b < x.size().
// `weights` is row-major; each row occupies `row_stride` bytes (padded, e.g. to LANE_BYTES).
std::vector<std::vector<int32_t>> gemv(const uint8_t* weights, uint32_t rows, uint32_t k,
                                       uint32_t row_stride, GemvWeights format,
                                       const std::vector<std::vector<int8_t>>& x);

}  // namespace pnm::ref
