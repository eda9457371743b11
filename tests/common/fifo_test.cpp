// pnm_fifo against a queue model: order, no loss or duplication, fill level and flags every cycle,
// full throughput without backpressure, flush, under random backpressure on both sides.
#include <gtest/gtest.h>

#include <deque>

#include PNM_MODEL_HEADER
#include "passthrough_bench.hpp"

namespace {
using namespace pnm::tb;
constexpr unsigned kWidth = PNM_P_Width;
constexpr unsigned kDepth = PNM_P_Depth;

// Checks usage_o/full_o/empty_o against a count model in every cycle.
class LevelMonitor : public Component {
 public:
  explicit LevelMonitor(PNM_MODEL& dut) : dut_(dut) {}
  void drive() override {}
  void sample() override {
    if (dut_.usage_o != count_) error("usage_o " + std::to_string(dut_.usage_o));
    if ((dut_.full_o != 0) != (count_ == kDepth)) error("full_o");
    if ((dut_.empty_o != 0) != (count_ == 0)) error("empty_o");
    if (dut_.flush_i) {
      count_ = 0;
      return;
    }
    count_ += (dut_.valid_i && dut_.ready_o) ? 1 : 0;
    count_ -= (dut_.valid_o && dut_.ready_i) ? 1 : 0;
    max_seen_ = std::max(max_seen_, count_);
  }
  unsigned max_seen() const { return max_seen_; }
  const std::string& first_error() const { return first_error_; }

 private:
  void error(const std::string& what) {
    if (first_error_.empty()) first_error_ = what + " wrong, model count " + std::to_string(count_);
  }
  PNM_MODEL& dut_;
  unsigned count_ = 0;
  unsigned max_seen_ = 0;
  std::string first_error_;
};

struct Bench : PassThroughBench<PNM_MODEL, kWidth> {
  Bench(Backpressure in, Backpressure out) : PassThroughBench(in, out), mon(sim.dut()) {
    sim.add(mon);
    sim.dut().flush_i = 0;
    sim.reset();
  }
  void check(const std::vector<Words>& expected) {
    PassThroughBench::check(expected);
    EXPECT_EQ(mon.first_error(), "");
  }
  LevelMonitor mon;
};

TEST(Fifo, RandomTrafficRandomBackpressure) {
  Bench b(Backpressure::random(0.6), Backpressure::random(0.5));
  b.check(b.send_random(4000));
}

TEST(Fifo, SlowConsumerFillsToFull) {
  Bench b(Backpressure::none(), Backpressure::random(0.15, 0.05, 64));
  b.check(b.send_random(1500));
  EXPECT_EQ(b.mon.max_seen(), kDepth) << "never reached full";
}

TEST(Fifo, SlowProducerRunsEmpty) {
  Bench b(Backpressure::random(0.1), Backpressure::none());
  b.check(b.send_random(500));
}

TEST(Fifo, FullThroughputWithoutBackpressure) {
  Bench b(Backpressure::none(), Backpressure::none());
  const auto sent = b.send_random(200);
  const uint64_t start = b.sim.cycle();
  b.check(sent);
  // One beat per cycle (every other cycle at Depth 1: a full FIFO takes no push) plus one cycle
  // of latency (written, then visible); check() adds 8 cycles.
  const uint64_t per_beat = kDepth == 1 ? 2 : 1;
  EXPECT_EQ(b.sim.cycle() - start, 200u * per_beat + 1 + 8 - (per_beat - 1));
}

TEST(Fifo, FlushDropsStoredBeats) {
  Bench b(Backpressure::none(), Backpressure::none());
  b.sink.set_backpressure({0.0, 0.0, 0});  // hold everything inside
  b.send_random(kDepth);
  b.sim.run_until([&] { return b.src.idle(); }, 100, "FIFO filled");
  b.sim.dut().flush_i = 1;
  b.sim.step();
  b.sink.forget_stall();
  b.sim.dut().flush_i = 0;
  b.sim.step();
  EXPECT_TRUE(b.sim.dut().empty_o);
  EXPECT_EQ(b.sim.dut().usage_o, 0u);
  b.sink.set_backpressure(Backpressure::none());
  b.check(b.send_random(3 * kDepth));  // only beats after the flush come out
}
}  // namespace
