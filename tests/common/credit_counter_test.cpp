// pnm_credit_counter against an integer model under random legal take/give traffic, and the
// protocol-error path: overspending and over-returning set the sticky error and fire the
// assertions (which proves the assertion macros are live in the simulated model).
#include <gtest/gtest.h>

#include PNM_MODEL_HEADER
#include "rng.hpp"
#include "seed.hpp"
#include "sim.hpp"

namespace {
using namespace pnm::tb;
constexpr unsigned kMax = PNM_P_MaxCredits;
constexpr unsigned kInit = PNM_P_InitCredits;

struct Bench {
  Bench() : sim(::testing::UnitTest::GetInstance()->current_test_info()->name(), test_seed()), rng(sim.seed()) {
    sim.dut().take_i = 0;
    sim.dut().give_i = 0;
    sim.reset();
  }
  Sim<PNM_MODEL> sim;
  Rng rng;
};

TEST(CreditCounter, RandomLegalTraffic) {
  Bench b;
  unsigned model = kInit;
  unsigned hit_zero = 0, hit_max = 0;
  for (int i = 0; i < 20000; ++i) {
    ASSERT_EQ(b.sim.dut().credits_o, model) << "cycle " << b.sim.cycle();
    ASSERT_EQ(b.sim.dut().available_o != 0, model > 0);
    ASSERT_EQ(b.sim.dut().error_o, 0);
    hit_zero += model == 0;
    hit_max += model == kMax;
    // Random sender that only spends held credits; random receiver that only returns spent ones.
    const bool take = model > 0 && b.rng.chance(0.5);
    const bool give = model < kMax && b.rng.chance(0.45);
    b.sim.dut().take_i = take;
    b.sim.dut().give_i = give;
    b.sim.step();
    model = model - (take ? 1 : 0) + (give ? 1 : 0);
  }
  EXPECT_GT(hit_zero, 0u) << "stimulus never exhausted the credits";
  EXPECT_GT(hit_max, 0u) << "stimulus never returned all credits";
}

TEST(CreditCounter, SimultaneousTakeAndGiveCancel) {
  Bench b;
  b.sim.dut().take_i = 1;
  b.sim.dut().give_i = 1;
  b.sim.run(10);
  EXPECT_EQ(b.sim.dut().credits_o, kInit);
  EXPECT_EQ(b.sim.dut().error_o, 0);
}

TEST(CreditCounter, OverspendIsFlaggedAndAsserted) {
  Bench b;
  b.sim.expect_assertion_failures(true);
  b.sim.dut().take_i = 1;
  b.sim.run(kInit);
  EXPECT_EQ(b.sim.dut().credits_o, 0u);
  EXPECT_FALSE(b.sim.assertion_failed());
  b.sim.step();  // one take too many
  b.sim.dut().take_i = 0;
  b.sim.run(3);
  EXPECT_EQ(b.sim.dut().credits_o, 0u) << "count wrapped";
  EXPECT_EQ(b.sim.dut().error_o, 1) << "error not flagged";
  EXPECT_TRUE(b.sim.assertion_failed()) << "NoUnderflow_A did not fire";
}

TEST(CreditCounter, OverReturnIsFlaggedAndAsserted) {
  Bench b;
  b.sim.expect_assertion_failures(true);
  b.sim.dut().give_i = 1;
  b.sim.step();
  b.sim.dut().give_i = 0;
  b.sim.run(3);
  EXPECT_EQ(b.sim.dut().credits_o, kMax);
  EXPECT_EQ(b.sim.dut().error_o, 1);
  EXPECT_TRUE(b.sim.assertion_failed()) << "NoOverflow_A did not fire";
}
}  // namespace
