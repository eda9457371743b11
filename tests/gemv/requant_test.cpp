// requant (the INT32 -> INT8 stage of gemv_unit) against ref::requantize on operands the GEMV
// datapath can never produce (INT32_MIN x INT32_MIN, INT32_MAX, every shift 0..31, negative
// ties), mixed with bypassed INT32 values, under random backpressure on both sides.
#include <gtest/gtest.h>

#include <climits>

#include PNM_MODEL_HEADER
#include "gemv_ref.hpp"
#include "seed.hpp"
#include "sim.hpp"
#include "stream.hpp"

namespace {
using namespace pnm::tb;

struct In {
  int32_t acc, m0;
  uint32_t shift;
  int32_t zp;
  bool bypass;
  uint32_t tag;
};
struct Out {
  int32_t value;
  uint32_t tag;
  bool operator==(const Out& o) const { return value == o.value && tag == o.tag; }
};

Out expected(const In& in) {
  const int32_t v = in.bypass ? in.acc : pnm::ref::requantize(in.acc, in.m0, static_cast<int>(in.shift), in.zp);
  return {v, in.tag};
}

struct RequantBench {
  RequantBench(Backpressure in_bp, Backpressure out_bp)
      : sim(::testing::UnitTest::GetInstance()->current_test_info()->name(), test_seed()),
        rng(sim.seed()),
        src(rng, sim.dut().valid_i, sim.dut().ready_o, [this](const In& in) { drive(in); }, in_bp),
        sink(rng, sim.dut().valid_o, sim.dut().ready_i,
             [this] {
               return Out{static_cast<int32_t>(sim.dut().value_o), sim.dut().tag_o};
             },
             out_bp) {
    sim.add(src);
    sim.add(sink);
    sim.reset();
  }
  void drive(const In& in) {
    auto& d = sim.dut();
    d.acc_i = static_cast<uint32_t>(in.acc);
    d.m0_i = static_cast<uint32_t>(in.m0);
    d.shift_i = in.shift;
    d.zp_i = static_cast<uint8_t>(in.zp);
    d.bypass_i = in.bypass;
    d.tag_i = in.tag;
  }
  void send(const In& in) {
    src.push(in);
    sent.push_back(in);
  }
  void check() {
    sim.run_until([&] { return sink.count() >= sent.size(); }, 50 * sent.size() + 100, "results");
    sim.run(10);
    ASSERT_EQ(sink.count(), sent.size());
    unsigned bad = 0;
    for (size_t i = 0; i < sent.size() && bad < 10; ++i) {
      const Out e = expected(sent[i]);
      const Out& g = sink.received()[i];
      if (!(g == e)) {
        ++bad;
        ADD_FAILURE() << "acc " << sent[i].acc << " m0 " << sent[i].m0 << " shift " << sent[i].shift
                      << " zp " << sent[i].zp << (sent[i].bypass ? " bypass" : "") << ": expected "
                      << e.value << ", actual " << g.value << " (tag " << g.tag << "), seed stream "
                      << sim.seed();
      }
    }
    EXPECT_TRUE(sink.violations().empty());
  }
  Sim<PNM_MODEL> sim;
  Rng rng;
  StreamSource<In> src;
  StreamSink<Out> sink;
  std::vector<In> sent;
};

int32_t pick(Rng& rng) {
  static const int32_t special[] = {INT32_MIN, INT32_MIN + 1, INT32_MAX, 0, 1, -1, 1 << 30, -(1 << 30),
                                    (1 << 30) + 1, 3, -3};
  if (rng.chance(0.25)) return special[rng.range(0, sizeof(special) / sizeof(special[0]) - 1)];
  return static_cast<int32_t>(rng.next());
}

TEST(Requant, RandomOperandsRandomBackpressure) {
  RequantBench b(Backpressure::random(0.7), Backpressure::random(0.6));
  for (uint32_t i = 0; i < 20000; ++i) {
    In in{pick(b.rng), pick(b.rng), static_cast<uint32_t>(b.rng.range(0, 31)),
          static_cast<int32_t>(b.rng.range_signed(-128, 127)), b.rng.chance(0.1), i & 0xff};
    b.send(in);
  }
  b.check();
}

TEST(Requant, NamedCorners) {
  RequantBench b(Backpressure::none(), Backpressure::random(0.5));
  uint32_t tag = 0;
  auto add = [&](int32_t acc, int32_t m0, uint32_t shift, int32_t zp) {
    b.send({acc, m0, shift, zp, false, tag++ & 0xff});
  };
  add(INT32_MIN, INT32_MIN, 0, 0);    // the one saturating SRDHM case -> INT32_MAX -> 127
  add(INT32_MIN, INT32_MIN, 31, -128);
  add(INT32_MIN, INT32_MAX, 0, 0);
  add(INT32_MAX, INT32_MAX, 31, 0);
  add(-3, 1 << 30, 1, 0);             // SRDHM -1.5 -> -1 (toward +inf); then -0.5 -> -1 (away)
  add(-1, 1 << 30, 0, 0);             // SRDHM -0.5 tie rounds toward +inf -> 0
  add(5, INT32_MAX, 1, 0);            // 2.5 tie -> 3
  add(-5, INT32_MAX, 1, 0);           // -2.5 tie -> -3
  for (uint32_t s = 0; s < 32; ++s) {
    add(123456789, 1518500250, s, 3);  // every shift
    add(-123456789, 1518500250, s, -3);
  }
  add(1000, 1 << 30, 0, 127);         // clamp high with zero point
  add(-1000, 1 << 30, 0, -128);       // clamp low
  b.send({INT32_MIN, 7, 5, 9, true, 1});  // bypass passes INT32 through untouched
  b.check();
}

TEST(Requant, FullThroughputAndLatency) {
  RequantBench b(Backpressure::none(), Backpressure::none());
  for (uint32_t i = 0; i < 100; ++i) b.send({static_cast<int32_t>(i), 1 << 30, 0, 0, false, i});
  const uint64_t start = b.sim.cycle();
  b.sim.run_until([&] { return b.sink.count() == 100; }, 1000, "results");
  // First result after 6 register stages, then one per cycle.
  EXPECT_EQ(b.sim.cycle() - start, 100u + 6u);
  b.check();
}

}  // namespace
