// splitmix64 (Steele, Lea, Flood 2014): the one mixing function of the project. It derives every
// test seed (tb/common/seed.cpp) and generates the procedural flash contents (flash_ref.hpp).
#pragma once

#include <cstdint>

namespace pnm::ref {

// Advances `state` by the golden-ratio increment and returns the mixed value.
inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace pnm::ref
