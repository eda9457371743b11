// pnm_rr_arb against a reference of the round-robin rule (grant = first valid input at or after
// the priority pointer; pointer moves past the winner on a handshake; a stalled grant holds),
// plus per-input order/integrity and the starvation bound, under random backpressure.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include PNM_MODEL_HEADER
#include "seed.hpp"
#include "sim.hpp"
#include "stream.hpp"

namespace {
using namespace pnm::tb;
constexpr unsigned kN = PNM_P_NumIn;
constexpr unsigned kW = PNM_P_Width;
static_assert(kW == 16, "beat encoding below assumes 16-bit data");
using Flat = std::remove_reference_t<decltype(std::declval<PNM_MODEL>().data_i)>;
using ValidVec = std::remove_reference_t<decltype(std::declval<PNM_MODEL>().valid_i)>;

// Drives input k's valid and data slice; valid_i is one vector, so each source owns one bit.
struct InputPort {
  uint8_t valid = 0;
  uint8_t ready = 0;
  uint16_t data = 0;
};

class ArbBench : public Component {
 public:
  ArbBench(Sim<PNM_MODEL>& sim, Rng& rng, double in_rate, Backpressure out)
      : sim_(sim), sink_(rng, sim.dut().valid_o, sim.dut().ready_i,
                                    [&sim] { return static_cast<uint32_t>(sim.dut().data_o); }, out) {
    for (unsigned k = 0; k < kN; ++k) {
      srcs_.push_back(std::make_unique<StreamSource<uint16_t>>(
          rng, ports_[k].valid, ports_[k].ready, [this, k](const uint16_t& d) { ports_[k].data = d; },
          Backpressure::random(in_rate)));
    }
  }
  void load(unsigned per_input) {
    for (unsigned k = 0; k < kN; ++k)
      for (unsigned s = 0; s < per_input; ++s) srcs_[k]->push(static_cast<uint16_t>((k << 12) | s));
    expected_total_ += kN * per_input;
  }
  // Component: sources write into ports_, which are packed into the flat DUT ports.
  void drive() override {
    sink_.drive();
    uint32_t valid = 0;
    Flat flat = 0;
    for (unsigned k = 0; k < kN; ++k) {
      ports_[k].valid = 0;
      srcs_[k]->drive();
      valid |= static_cast<uint32_t>(ports_[k].valid) << k;
      flat |= static_cast<Flat>(ports_[k].data) << (k * kW);
    }
    sim_.dut().valid_i = static_cast<ValidVec>(valid);
    sim_.dut().data_i = flat;
  }
  void sample() override {
    auto& d = sim_.dut();
    for (unsigned k = 0; k < kN; ++k) ports_[k].ready = (d.ready_o >> k) & 1u;
    check_reference();
    for (auto& s : srcs_) s->sample();
    const size_t before = sink_.count();
    sink_.sample();
    if (sink_.count() != before) on_grant(d.idx_o, sink_.received().back());
  }
  void run() {
    sim_.run_until([&] { return sink_.count() >= expected_total_; }, 200 * expected_total_ + 100,
                   "all beats through the arbiter");
    sim_.run(5);
    EXPECT_EQ(sink_.count(), expected_total_);
    EXPECT_TRUE(sink_.violations().empty()) << sink_.violations().front();
  }
  std::string error;
  unsigned max_wait = 0;  // most grants to others while one input was waiting

 private:
  void check_reference() {
    auto& d = sim_.dut();
    const uint32_t valid = d.valid_i;
    if (!valid) {
      if (d.valid_o && error.empty()) error = "valid_o without any request";
      return;
    }
    unsigned expect = 0;
    if (held_) {
      expect = *held_;
    } else {
      for (unsigned n = 0; n < kN; ++n) {
        const unsigned c = (prio_ + n) % kN;
        if ((valid >> c) & 1u) {
          expect = c;
          break;
        }
      }
    }
    if (error.empty() && (!d.valid_o || d.idx_o != expect)) {
      error = "cycle " + std::to_string(sim_.cycle()) + ": granted " + std::to_string(d.idx_o) +
              " (valid_o " + std::to_string(d.valid_o) + "), reference expects " +
              std::to_string(expect);
    }
    if (d.valid_o && d.ready_i) {
      prio_ = (d.idx_o + 1) % kN;
      held_.reset();
    } else if (d.valid_o) {
      held_ = d.idx_o;
    }
  }
  void on_grant(unsigned idx, uint32_t beat) {
    const unsigned src = beat >> 12;
    const unsigned seq = beat & 0xfff;
    if (error.empty() && src != idx) error = "data from input " + std::to_string(src) + " tagged " + std::to_string(idx);
    if (error.empty() && seq != next_seq_[src]) {
      error = "input " + std::to_string(src) + ": got beat " + std::to_string(seq) + ", expected " +
              std::to_string(next_seq_[src]);
    }
    next_seq_[src] = seq + 1;
    const uint32_t valid = sim_.dut().valid_i;
    for (unsigned k = 0; k < kN; ++k) {
      if (k == idx) waits_[k] = 0;
      else if ((valid >> k) & 1u) max_wait = std::max(max_wait, ++waits_[k]);
    }
  }

  Sim<PNM_MODEL>& sim_;
  InputPort ports_[kN];
  std::vector<std::unique_ptr<StreamSource<uint16_t>>> srcs_;
  StreamSink<uint32_t> sink_;
  unsigned prio_ = 0;
  std::optional<unsigned> held_;
  unsigned next_seq_[kN] = {};
  unsigned waits_[kN] = {};
  size_t expected_total_ = 0;
};

void run_case(double in_rate, Backpressure out, unsigned per_input, bool expect_full_contention) {
  Sim<PNM_MODEL> sim(::testing::UnitTest::GetInstance()->current_test_info()->name(), test_seed());
  Rng rng(sim.seed());
  ArbBench bench(sim, rng, in_rate, out);
  sim.add(bench);
  sim.reset();
  bench.load(per_input);
  bench.run();
  EXPECT_EQ(bench.error, "");
  EXPECT_LE(bench.max_wait, kN - 1) << "an input waited longer than NumIn-1 grants";
  if (expect_full_contention) {
    EXPECT_EQ(bench.max_wait, kN - 1);
  }
}

TEST(RrArb, RandomRequestsRandomBackpressure) { run_case(0.4, Backpressure::random(0.5), 800, false); }
TEST(RrArb, SaturatedInputsRotateFairly) { run_case(1.0, Backpressure::random(0.7), 600, true); }
TEST(RrArb, SaturatedNoBackpressure) { run_case(1.0, Backpressure::none(), 600, true); }
TEST(RrArb, SparseRequests) { run_case(0.05, Backpressure::random(0.3, 0.05, 40), 200, false); }
}  // namespace
