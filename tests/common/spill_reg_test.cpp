// pnm_spill_reg: order and integrity under random backpressure, full throughput, capacity of
// exactly two beats, and ready_o independent of ready_i in the same cycle (registered).
#include <gtest/gtest.h>

#include PNM_MODEL_HEADER
#include "bits.hpp"
#include "seed.hpp"
#include "sim.hpp"
#include "stream.hpp"

namespace {
using namespace pnm::tb;
constexpr unsigned kWidth = PNM_P_Width;

struct Bench {
  Bench(Backpressure in, Backpressure out)
      : sim(::testing::UnitTest::GetInstance()->current_test_info()->name(), test_seed()),
        rng(sim.seed()),
        src(rng, sim.dut().valid_i, sim.dut().ready_o,
            [this](const Words& w) { to_port(sim.dut().data_i, w); }, in),
        sink(rng, sim.dut().valid_o, sim.dut().ready_i,
             [this] { return from_port(sim.dut().data_o, kWidth); }, out) {
    sim.add(src);
    sim.add(sink);
    sim.reset();
  }
  std::vector<Words> send(unsigned n) {
    std::vector<Words> s;
    for (unsigned i = 0; i < n; ++i) {
      s.push_back(random_words(rng, kWidth));
      src.push(s.back());
    }
    return s;
  }
  void check(const std::vector<Words>& expected) {
    sim.run_until([&] { return sink.count() >= expected.size(); }, 100 * expected.size() + 100,
                  "all beats");
    sim.run(4);
    ASSERT_EQ(sink.count(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(sink.received()[i], expected[i]) << i;
    EXPECT_TRUE(sink.violations().empty()) << sink.violations().front();
  }
  Sim<PNM_MODEL> sim;
  Rng rng;
  StreamSource<Words> src;
  StreamSink<Words> sink;
};

TEST(SpillReg, RandomBackpressureBothSides) {
  Bench b(Backpressure::random(0.7), Backpressure::random(0.6));
  b.check(b.send(5000));
}

TEST(SpillReg, FullThroughput) {
  Bench b(Backpressure::none(), Backpressure::none());
  const auto s = b.send(300);
  const uint64_t start = b.sim.cycle();
  b.check(s);
  EXPECT_EQ(b.sim.cycle() - start, 300u + 1 + 4);  // one cycle of latency
}

TEST(SpillReg, HoldsExactlyTwoBeatsWhenStalled) {
  Bench b(Backpressure::none(), {0.0, 0.0, 0});
  b.send(5);
  b.sim.run(20);
  EXPECT_EQ(b.src.sent(), 2u);
  EXPECT_EQ(b.sim.dut().ready_o, 0);
  b.sink.set_backpressure(Backpressure::none());
  b.sim.run_until([&] { return b.sink.count() == 5; }, 50, "drain");
}

TEST(SpillReg, ReadyOutIsRegistered) {
  // Changing ready_i alone (no clock edge) must not change ready_o: no combinational path.
  Bench b(Backpressure::none(), {0.0, 0.0, 0});
  b.send(1);
  b.sim.run(3);
  for (int r = 0; r < 2; ++r) {
    const uint8_t before = b.sim.dut().ready_o;
    b.sim.dut().ready_i = static_cast<uint8_t>(r);
    b.sim.dut().eval();
    EXPECT_EQ(b.sim.dut().ready_o, before);
  }
}
}  // namespace
