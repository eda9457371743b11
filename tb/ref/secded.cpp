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

// XOR of the positions of all set data bits: the 7 Hamming check bits. Check bit j is the parity
// of the data bits whose position has bit j set; the seven masks are built once from positions()
// (the die model encodes every flash word with this, so it is on the simulation's hot path).
uint8_t hamming_bits(uint64_t data) {
  static const std::array<uint64_t, 7> masks = [] {
    std::array<uint64_t, 7> m{};
    for (unsigned i = 0; i < 64; ++i) {
      for (unsigned j = 0; j < 7; ++j) {
        if ((positions()[i] >> j) & 1u) m[j] |= 1ull << i;
      }
    }
    return m;
  }();
  unsigned acc = 0;
  for (unsigned j = 0; j < 7; ++j) acc |= parity64(data & masks[j]) << j;
  return static_cast<uint8_t>(acc);
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
