// ring_link: every flit and every credit comes out exactly Latency cycles after it went in,
// unchanged, with random gaps; the flit counter counts them; idle_o is high exactly when no flit
// and no credit is in the pipeline (quiet stretches make it go high).
#include <gtest/gtest.h>

#include <deque>

#include PNM_MODEL_HEADER
#include "bits.hpp"
#include "seed.hpp"
#include "sim.hpp"

namespace {
using namespace pnm::tb;
constexpr unsigned kWidth = PNM_P_FlitWidth;
constexpr unsigned kVc = PNM_P_NumVc;
constexpr unsigned kLatency = PNM_P_Latency;

// Drives random flits and credits and checks what leaves against a delay-line model.
class LinkChecker : public Component {
 public:
  LinkChecker(PNM_MODEL& dut, Rng& rng) : dut_(dut), rng_(rng) {}
  void drive() override {
    const bool quiet = (drives_++ % 64) >= 48;  // 16 quiet cycles out of 64
    in_valid_ = !quiet && rng_.chance(0.6);
    in_flit_ = random_words(rng_, kWidth);
    in_credit_ = quiet ? 0u : static_cast<uint32_t>(rng_.range(0, (1u << kVc) - 1));
    dut_.flit_valid_i = in_valid_;
    to_port(dut_.flit_i, in_flit_);
    dut_.credit_i = in_credit_;
  }
  void sample() override {
    // The pipeline holds what entered in the last kLatency cycles (zeros after reset).
    bool busy = false;
    for (const Entry& e : history_) busy = busy || e.valid || e.credit != 0;
    if ((dut_.idle_o != 0) == busy) ++errors;
    idle_seen += dut_.idle_o != 0;
    // What leaves now entered kLatency cycles ago.
    if (history_.size() == kLatency) {
      const Entry& e = history_.front();
      if ((dut_.flit_valid_o != 0) != e.valid) ++errors;
      if (e.valid && from_port(dut_.flit_o, kWidth) != e.flit) ++errors;
      if (dut_.credit_o != e.credit) ++errors;
      history_.pop_front();
      ++checked;
    } else if (dut_.flit_valid_o || dut_.credit_o) {
      ++errors;  // nothing may leave before the first flit could arrive
    }
    history_.push_back({in_valid_, in_flit_, in_credit_});
    sent += in_valid_;
  }
  uint64_t errors = 0, checked = 0, sent = 0, idle_seen = 0;

 private:
  struct Entry {
    bool valid;
    Words flit;
    uint32_t credit;
  };
  PNM_MODEL& dut_;
  Rng& rng_;
  std::deque<Entry> history_;
  uint64_t drives_ = 0;
  bool in_valid_ = false;
  Words in_flit_;
  uint32_t in_credit_ = 0;
};

TEST(RingLink, FlitsAndCreditsDelayedExactlyByLatency) {
  Sim<PNM_MODEL> sim("ring_link", test_seed());
  Rng rng(sim.seed());
  auto& d = sim.dut();
  d.flit_valid_i = 0;
  d.credit_i = 0;
  sim.reset();
  LinkChecker chk(d, rng);
  sim.add(chk);
  sim.run(5000);
  EXPECT_EQ(chk.errors, 0u) << "seed stream " << sim.seed();
  EXPECT_GT(chk.checked, 4000u);
  EXPECT_GT(chk.idle_seen, 100u) << "the quiet stretches should empty the pipeline";
  EXPECT_EQ(d.cnt_flits_o, chk.sent);
}

}  // namespace
