// pnm_mul_reg against the formula: operands captured when in_en_i, p_o = the low PWidth bits
// of the signed product of the captured operands, captured when out_en_i, held otherwise.
#include <gtest/gtest.h>

#include <cstdint>

#include PNM_MODEL_HEADER
#include "rng.hpp"
#include "seed.hpp"
#include "sim.hpp"

namespace {
using namespace pnm::tb;
constexpr unsigned kA = PNM_P_AWidth;
constexpr unsigned kB = PNM_P_BWidth;
constexpr unsigned kP = PNM_P_PWidth;
static_assert(kA <= 18 && kB <= 18 && kP <= 36, "one DSP's operands");

uint64_t mask(unsigned w) { return w >= 64 ? ~0ull : (1ull << w) - 1; }
int64_t sext(uint64_t v, unsigned w) {
  const uint64_t m = 1ull << (w - 1);
  v &= mask(w);
  return static_cast<int64_t>((v ^ m) - m);
}
// The low kP bits of a * b, operands signed kA and kB bits wide.
uint64_t product(uint64_t a, uint64_t b) {
  return static_cast<uint64_t>(sext(a, kA) * sext(b, kB)) & mask(kP);
}

struct Bench {
  Bench() : sim(::testing::UnitTest::GetInstance()->current_test_info()->name(), test_seed()), rng(sim.seed()) {
    sim.dut().in_en_i = 0;
    sim.dut().out_en_i = 0;
    sim.reset();
  }
  // One cycle; returns p_o after the edge.
  uint64_t cycle(bool in_en, uint64_t a, uint64_t b, bool out_en) {
    sim.dut().in_en_i = in_en;
    sim.dut().a_i = a & mask(kA);
    sim.dut().b_i = b & mask(kB);
    sim.dut().out_en_i = out_en;
    sim.step();
    return static_cast<uint64_t>(sim.dut().p_o) & mask(kP);
  }
  Sim<PNM_MODEL> sim;
  Rng rng;
};

TEST(MulReg, ProductTwoEnablesAfterTheOperands) {
  Bench b;
  b.cycle(true, 3, mask(kB), false);  // 3 * -1
  EXPECT_EQ(b.cycle(false, 0, 0, true), product(3, mask(kB)));
  // Held while out_en_i is low, even when new operands come in.
  EXPECT_EQ(b.cycle(true, 5, 7, false), product(3, mask(kB)));
  EXPECT_EQ(b.cycle(false, 0, 0, true), product(5, 7));
}

TEST(MulReg, ExtremeOperands) {
  Bench b;
  const uint64_t amin = 1ull << (kA - 1), amax = amin - 1;
  const uint64_t bmin = 1ull << (kB - 1), bmax = bmin - 1;
  const uint64_t as[] = {0, 1, amax, amin, mask(kA)};
  const uint64_t bs[] = {0, 1, bmax, bmin, mask(kB)};
  for (uint64_t a : as) {
    for (uint64_t x : bs) {
      b.cycle(true, a, x, false);
      ASSERT_EQ(b.cycle(false, 0, 0, true), product(a, x)) << "a " << sext(a, kA) << " b " << sext(x, kB);
    }
  }
}

TEST(MulReg, RandomEnables) {
  Bench b;
  uint64_t a_q = 0, b_q = 0, p_q = 0;
  bool have_ops = false, have_p = false;
  unsigned holds = 0;
  for (int i = 0; i < 20000; ++i) {
    const bool in_en = b.rng.chance(0.5), out_en = b.rng.chance(0.5);
    const uint64_t a = b.rng.next() & mask(kA), x = b.rng.next() & mask(kB);
    const uint64_t p = b.cycle(in_en, a, x, out_en);
    if (out_en && have_ops) {
      p_q = product(a_q, b_q);
      have_p = true;
    } else if (have_p) {
      ++holds;
    }
    if (in_en) {
      a_q = a;
      b_q = x;
      have_ops = true;
    }
    if (have_p) {
      ASSERT_EQ(p, p_q) << "cycle " << b.sim.cycle();
    }
    if (out_en && !have_ops) have_p = false;  // a product of operands never loaded: unknown
  }
  EXPECT_GT(holds, 1000u) << "stimulus never held the product";
}
}  // namespace
