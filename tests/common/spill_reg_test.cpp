// pnm_spill_reg: order and integrity under random backpressure, full throughput, capacity of
// exactly two beats, and ready_o independent of ready_i in the same cycle (registered).
#include <gtest/gtest.h>

#include PNM_MODEL_HEADER
#include "passthrough_bench.hpp"

namespace {
using namespace pnm::tb;
constexpr unsigned kWidth = PNM_P_Width;

struct Bench : PassThroughBench<PNM_MODEL, kWidth> {
  Bench(Backpressure in, Backpressure out) : PassThroughBench(in, out) { sim.reset(); }
  void check(const std::vector<Words>& expected) { PassThroughBench::check(expected, 4); }
};

TEST(SpillReg, RandomBackpressureBothSides) {
  Bench b(Backpressure::random(0.7), Backpressure::random(0.6));
  b.check(b.send_random(5000));
}

TEST(SpillReg, FullThroughput) {
  Bench b(Backpressure::none(), Backpressure::none());
  const auto s = b.send_random(300);
  const uint64_t start = b.sim.cycle();
  b.check(s);
  EXPECT_EQ(b.sim.cycle() - start, 300u + 1 + 4);  // one cycle of latency
}

TEST(SpillReg, HoldsExactlyTwoBeatsWhenStalled) {
  Bench b(Backpressure::none(), {0.0, 0.0, 0});
  b.send_random(5);
  b.sim.run(20);
  EXPECT_EQ(b.src.sent(), 2u);
  EXPECT_EQ(b.sim.dut().ready_o, 0);
  b.sink.set_backpressure(Backpressure::none());
  b.sim.run_until([&] { return b.sink.count() == 5; }, 50, "drain");
}

TEST(SpillReg, ReadyOutIsRegistered) {
  // Changing ready_i alone (no clock edge) must not change ready_o: no combinational path.
  Bench b(Backpressure::none(), {0.0, 0.0, 0});
  b.send_random(1);
  b.sim.run(3);
  for (int r = 0; r < 2; ++r) {
    const uint8_t before = b.sim.dut().ready_o;
    b.sim.dut().ready_i = static_cast<uint8_t>(r);
    b.sim.dut().eval();
    EXPECT_EQ(b.sim.dut().ready_o, before);
  }
}
}  // namespace
