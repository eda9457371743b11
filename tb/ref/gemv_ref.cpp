// GEMV and requantisation reference (see gemv_ref.hpp), transcribed from the gemmlowp formulas.
#include "gemv_ref.hpp"

#include <cassert>
#include <cstdlib>
#include <limits>

namespace pnm::ref {

int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  const bool overflow = a == b && a == std::numeric_limits<int32_t>::min();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (1ll << 30) : (1ll - (1ll << 30));
  const int32_t high = static_cast<int32_t>((ab + nudge) / (1ll << 31));  // truncates toward zero
  return overflow ? std::numeric_limits<int32_t>::max() : high;
}

int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  assert(exponent >= 0 && exponent <= 31);
  const int32_t mask = static_cast<int32_t>((1ll << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);  // >> is arithmetic (C++20, g++)
}

int8_t requantize(int32_t acc, int32_t m0, int shift, int32_t zero_point) {
  const int64_t q = static_cast<int64_t>(
                        rounding_divide_by_pot(saturating_rounding_doubling_high_mul(acc, m0), shift)) +
                    zero_point;
  return static_cast<int8_t>(q < -128 ? -128 : (q > 127 ? 127 : q));
}

int8_t int4_element(const uint8_t* packed_row, uint32_t k) {
  const uint8_t byte = packed_row[k / 2];
  const int nibble = (k % 2) ? (byte >> 4) : (byte & 0xF);
  return static_cast<int8_t>(nibble >= 8 ? nibble - 16 : nibble);
}

std::vector<std::vector<int32_t>> gemv(const uint8_t* weights, uint32_t rows, uint32_t k,
                                       uint32_t row_stride, GemvWeights format,
                                       const std::vector<std::vector<int8_t>>& x) {
  std::vector<std::vector<int32_t>> y(x.size(), std::vector<int32_t>(rows));
  for (size_t b = 0; b < x.size(); ++b) {
    assert(x[b].size() >= k);
    for (uint32_t r = 0; r < rows; ++r) {
      const uint8_t* row = weights + static_cast<size_t>(r) * row_stride;
      int64_t acc = 0;
      for (uint32_t i = 0; i < k; ++i) {
        const int w = format == GemvWeights::kInt8 ? static_cast<int8_t>(row[i]) : int4_element(row, i);
        acc += static_cast<int64_t>(w) * x[b][i];
      }
      // |acc| <= K * 128 * 128 = 2^30 for K <= 65536: always exact in INT32 (DESIGN.md section 3).
      if (acc < std::numeric_limits<int32_t>::min() || acc > std::numeric_limits<int32_t>::max()) std::abort();
      y[b][r] = static_cast<int32_t>(acc);
    }
  }
  return y;
}

}  // namespace pnm::ref
