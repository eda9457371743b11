// SEC-DED (72,64) reference (see secded.hpp). The code word is Hamming positions 1..71 plus an
// overall parity bit; check bit j is at position 2^j, data bits fill the other positions in order.
#include "secded.hpp"

#include <array>

namespace pnm::ref {
namespace {
bool is_pow2(unsigned v) { return v != 0 && (v & (v - 1)) == 0; }

const std::array<unsigned, 64>& positions() {
  static const std::array<unsigned, 64> table = [] {
    std::array<unsigned, 64> t{};
    unsigned n = 0;
    for (unsigned pos = 1; n < 64; ++pos) {
      if (!is_pow2(pos)) t[n++] = pos;
    }
    return t;
  }();
  return table;
}

unsigned parity64(uint64_t v) { return static_cast<unsigned>(__builtin_parityll(v)); }

// XOR of the positions of all set data bits: the 7 Hamming check bits.
uint8_t hamming_bits(uint64_t data) {
  unsigned acc = 0;
  for (unsigned i = 0; i < 64; ++i) {
    if ((data >> i) & 1u) acc ^= positions()[i];
  }
  return static_cast<uint8_t>(acc & 0x7f);
}
}  // namespace

unsigned secded_data_position(unsigned i) { return positions().at(i); }

uint8_t secded_encode(uint64_t data) {
  const uint8_t h = hamming_bits(data);
  const unsigned overall = parity64(data) ^ parity64(h);
  return static_cast<uint8_t>(h | (overall << 7));
}

SecdedResult secded_decode(uint64_t data, uint8_t ecc) {
  const uint8_t syndrome = static_cast<uint8_t>((hamming_bits(data) ^ ecc) & 0x7f);
  const bool odd = (parity64(data) ^ parity64(ecc)) != 0;
  if (!odd) {
    return {data, syndrome == 0 ? SecdedStatus::kOk : SecdedStatus::kUncorrectable, syndrome};
  }
  // Odd number of flips: a single error if the syndrome names a position of the code word.
  if (syndrome == 0 || is_pow2(syndrome)) return {data, SecdedStatus::kCorrected, syndrome};
  for (unsigned i = 0; i < 64; ++i) {
    if (positions()[i] == syndrome) return {data ^ (1ull << i), SecdedStatus::kCorrected, syndrome};
  }
  return {data, SecdedStatus::kUncorrectable, syndrome};  // position 72..127: >= 3 flips
}

}  // namespace pnm::ref
