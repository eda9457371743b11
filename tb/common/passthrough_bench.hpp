// Bench for any block that passes a valid/ready stream through unchanged and in order (FIFOs,
// spill registers, pipeline stages): a random source on valid_i/ready_o/data_i, a random sink on
// valid_o/ready_i/data_o, and a check that every beat arrived once, in order, intact.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bits.hpp"
#include "seed.hpp"
#include "sim.hpp"
#include "stream.hpp"

namespace pnm::tb {

template <class Model, unsigned Width>
struct PassThroughBench {
  PassThroughBench(Backpressure in, Backpressure out)
      : sim(::testing::UnitTest::GetInstance()->current_test_info()->name(), test_seed()),
        rng(sim.seed()),
        src(rng, sim.dut().valid_i, sim.dut().ready_o,
            [this](const Words& w) { to_port(sim.dut().data_i, w); }, in),
        sink(rng, sim.dut().valid_o, sim.dut().ready_i,
             [this] { return from_port(sim.dut().data_o, Width); }, out) {
    sim.add(src);
    sim.add(sink);
  }

  std::vector<Words> send_random(unsigned n) {
    std::vector<Words> sent;
    for (unsigned i = 0; i < n; ++i) {
      sent.push_back(random_words(rng, Width));
      src.push(sent.back());
    }
    return sent;
  }

  // Waits for every expected beat, then `settle` more cycles in which nothing else may arrive.
  void check(const std::vector<Words>& expected, unsigned settle = 8) {
    sim.run_until([&] { return sink.count() >= expected.size(); }, 100 * expected.size() + 1000,
                  "all beats at the sink");
    sim.run(settle);
    ASSERT_EQ(sink.count(), expected.size()) << "beats duplicated";
    for (size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(sink.received()[i], expected[i]) << "beat " << i << " wrong";
    }
    EXPECT_TRUE(sink.violations().empty()) << sink.violations().front();
  }

  Sim<Model> sim;
  Rng rng;
  StreamSource<Words> src;
  StreamSink<Words> sink;
};

}  // namespace pnm::tb
