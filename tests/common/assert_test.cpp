// The assertion macros (rtl/common/pnm_assert.svh) in the Verilated model: each rule broken on
// purpose fires, legal random traffic with random backpressure and the exempt cases do not, and
// nothing fires in reset. The macros are clocked immediate assertions (docs/decisions.md), so
// these tests pin down that they still mean what the concurrent properties meant.
#include <gtest/gtest.h>

#include PNM_MODEL_HEADER
#include "rng.hpp"
#include "seed.hpp"
#include "sim.hpp"

namespace {
using namespace pnm::tb;

struct Bench {
  Bench() : sim(::testing::UnitTest::GetInstance()->current_test_info()->name(), test_seed()), rng(sim.seed()) {
    auto& d = sim.dut();
    d.s_valid_i = d.s_ready_i = 0;
    d.s_data_i = 0;
    d.f_valid_i = d.f_ready_i = d.f_abort_i = 0;
    d.f_data_i = 0;
    d.a_i = d.b_i = d.c_i = 0;
    sim.expect_assertion_failures(true);
    sim.reset();
  }
  Sim<PNM_MODEL> sim;
  Rng rng;
};

// A stall on the S stream: valid with data 0x123 and no ready for one cycle.
void stall_s(Bench& b) {
  b.sim.dut().s_valid_i = 1;
  b.sim.dut().s_data_i = 0x123;
  b.sim.dut().s_ready_i = 0;
  b.sim.step();
}

TEST(Assert, LegalRandomStreamsDoNotFire) {
  Bench b;
  auto& d = b.sim.dut();
  uint64_t beats = 0, stalls = 0;
  bool s_pending = false, f_pending = false;
  for (int i = 0; i < 20000; ++i) {
    // Producers that follow the rule: a stalled beat stays, unchanged, until it is taken; the F
    // stream's beat may also be dropped after a cycle with abort (a flush).
    if (!s_pending) {
      d.s_valid_i = b.rng.chance(0.6);
      d.s_data_i = b.rng.next() & ((uint64_t{1} << 40) - 1);  // free while nothing is stalled
    }
    if (!f_pending) {
      d.f_valid_i = b.rng.chance(0.5);
      d.f_data_i = b.rng.next() & 0xff;
    }
    d.f_abort_i = f_pending && b.rng.chance(0.05);
    d.s_ready_i = b.rng.chance(0.4);
    d.f_ready_i = b.rng.chance(0.4);
    d.b_i = b.rng.chance(0.5);
    d.a_i = d.b_i && b.rng.chance(0.5);
    b.sim.step();
    beats += d.s_valid_i && d.s_ready_i;
    stalls += d.s_valid_i && !d.s_ready_i;
    s_pending = d.s_valid_i && !d.s_ready_i;
    f_pending = d.f_valid_i && !d.f_ready_i && !d.f_abort_i;
  }
  EXPECT_FALSE(b.sim.assertion_failed()) << "seed " << b.sim.seed();
  EXPECT_GT(beats, 1000u);
  EXPECT_GT(stalls, 1000u);
}

TEST(Assert, StreamValidRetractedFires) {
  Bench b;
  stall_s(b);
  b.sim.dut().s_valid_i = 0;
  b.sim.step();
  b.sim.step();
  EXPECT_TRUE(b.sim.assertion_failed()) << "S_A_hold did not fire";
}

TEST(Assert, StreamDataChangedFires) {
  Bench b;
  stall_s(b);
  b.sim.dut().s_data_i = 0x124;
  b.sim.step();
  b.sim.step();
  EXPECT_TRUE(b.sim.assertion_failed()) << "S_A_stable did not fire";
}

TEST(Assert, StreamDataChangedInTopBitFires) {
  Bench b;
  stall_s(b);
  b.sim.dut().s_data_i = 0x123 | (uint64_t{1} << 39);
  b.sim.step();
  b.sim.step();
  EXPECT_TRUE(b.sim.assertion_failed()) << "S_A_stable missed bit 39";
}

TEST(Assert, StreamAcceptedBeatMayChange) {
  Bench b;
  stall_s(b);
  b.sim.dut().s_ready_i = 1;  // taken in this cycle
  b.sim.step();
  b.sim.dut().s_valid_i = 0;
  b.sim.dut().s_data_i = 0x456;
  b.sim.run(3);
  EXPECT_FALSE(b.sim.assertion_failed());
}

TEST(Assert, StreamAbortExemptsTheNextCycle) {
  Bench b;
  auto& d = b.sim.dut();
  d.f_valid_i = 1;
  d.f_data_i = 7;
  d.f_abort_i = 1;  // flush in the stall cycle
  b.sim.step();
  d.f_abort_i = 0;
  d.f_valid_i = 0;
  b.sim.run(3);
  EXPECT_FALSE(b.sim.assertion_failed());
}

TEST(Assert, StreamWithoutAbortStillChecked) {
  Bench b;
  auto& d = b.sim.dut();
  d.f_valid_i = 1;
  d.f_data_i = 7;
  b.sim.step();
  d.f_data_i = 8;
  b.sim.run(2);
  EXPECT_TRUE(b.sim.assertion_failed()) << "F_A_stable did not fire";
}

TEST(Assert, ImpliesFiresOnlyWhenConsequentFails) {
  {
    Bench b;
    b.sim.dut().a_i = 1;
    b.sim.dut().b_i = 1;
    b.sim.run(3);
    b.sim.dut().a_i = 0;
    b.sim.dut().b_i = 0;
    b.sim.run(3);
    EXPECT_FALSE(b.sim.assertion_failed());
  }
  Bench b;
  b.sim.dut().a_i = 1;
  b.sim.step();
  b.sim.step();
  EXPECT_TRUE(b.sim.assertion_failed()) << "AImpliesB_A did not fire";
}

TEST(Assert, NeverFires) {
  Bench b;
  b.sim.dut().c_i = 1;
  b.sim.step();
  b.sim.step();
  EXPECT_TRUE(b.sim.assertion_failed()) << "NeverC_A did not fire";
}

TEST(Assert, NothingFiresInReset) {
  Bench b;
  auto& d = b.sim.dut();
  d.rst_ni = 0;
  d.c_i = 1;
  d.a_i = 1;
  stall_s(b);
  d.s_valid_i = 0;
  d.c_i = 0;
  d.a_i = 0;
  b.sim.run(3);
  d.rst_ni = 1;
  b.sim.run(3);
  EXPECT_FALSE(b.sim.assertion_failed());
}
}  // namespace
