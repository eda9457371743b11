// pnm_pipe_reg against a one-line model: valid_o is last cycle's valid_i (0 out of reset), and
// data_o is the data of the last valid beat, held while the input is idle (the load enable).
#include <gtest/gtest.h>

#include PNM_MODEL_HEADER
#include "bits.hpp"
#include "rng.hpp"
#include "seed.hpp"
#include "sim.hpp"

namespace {
using namespace pnm::tb;
constexpr unsigned kWidth = PNM_P_Width;

struct Bench {
  Bench() : sim(::testing::UnitTest::GetInstance()->current_test_info()->name(), test_seed()), rng(sim.seed()) {
    sim.dut().valid_i = 0;
    to_port(sim.dut().data_i, Words(words_for(kWidth), 0));
    sim.reset();
  }
  Sim<PNM_MODEL> sim;
  Rng rng;
};

TEST(PipeReg, ValidIsResetAndFollowsOneCycleLate) {
  Bench b;
  EXPECT_EQ(b.sim.dut().valid_o, 0);
  b.sim.dut().valid_i = 1;
  b.sim.dut().eval();
  EXPECT_EQ(b.sim.dut().valid_o, 0) << "valid_o must come from a flop, not from valid_i";
  b.sim.step();
  EXPECT_EQ(b.sim.dut().valid_o, 1);
  b.sim.dut().valid_i = 0;
  b.sim.step();
  EXPECT_EQ(b.sim.dut().valid_o, 0);
}

TEST(PipeReg, RandomBeatsLoadOnlyWhenValid) {
  Bench b;
  Words held;
  bool have = false;
  unsigned holds = 0;
  for (int i = 0; i < 20000; ++i) {
    const bool v = b.rng.chance(0.5);
    const Words d = random_words(b.rng, kWidth);
    b.sim.dut().valid_i = v;
    to_port(b.sim.dut().data_i, d);
    b.sim.step();
    ASSERT_EQ(b.sim.dut().valid_o, v ? 1 : 0) << "cycle " << b.sim.cycle();
    if (v) {
      held = d;
      have = true;
    } else if (have) {
      ++holds;
    }
    if (have) {
      ASSERT_EQ(from_port(b.sim.dut().data_o, kWidth), held) << "cycle " << b.sim.cycle();
    }
  }
  EXPECT_GT(holds, 1000u) << "stimulus never left the register idle";
}
}  // namespace
