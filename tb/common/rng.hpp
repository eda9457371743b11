// Small deterministic random source for stimulus (std::mt19937_64 behind a few helpers).
#pragma once

#include <cstdint>
#include <random>

namespace pnm::tb {

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  uint64_t next() { return gen_(); }
  // Uniform integer in [lo, hi] (inclusive).
  uint64_t range(uint64_t lo, uint64_t hi) {
    return std::uniform_int_distribution<uint64_t>(lo, hi)(gen_);
  }
  int64_t range_signed(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(gen_);
  }
  bool chance(double p) {
    if (p >= 1.0) return true;
    if (p <= 0.0) return false;
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen_) < p;
  }

 private:
  std::mt19937_64 gen_;
};

}  // namespace pnm::tb
