// Bit-exact reference of the SEC-DED (72,64) extended Hamming code of DESIGN.md section 4.1,
// written from the code's definition (docs/common.md), not from the RTL. Shared by the RTL unit
// tests, the flash die model (to store check bits) and the flash reference.
#pragma once

#include <cstdint>

namespace pnm::ref {

enum class SecdedStatus { kOk, kCorrected, kUncorrectable };

struct SecdedResult {
  uint64_t data;        // corrected data (meaningless when uncorrectable)
  SecdedStatus status;
  uint8_t syndrome;     // 7-bit Hamming syndrome
};

// Hamming position (3..71, never a power of two) of data bit i (0..63).
unsigned secded_data_position(unsigned i);

uint8_t secded_encode(uint64_t data);
SecdedResult secded_decode(uint64_t data, uint8_t ecc);

}  // namespace pnm::ref
