// hbf_ctrl on flash_emu (the FPGA flash stand-in) instead of the die model: the same functional
// checks at a small size. The emulator's pages are loaded through its word port with the
// contents the address map puts at each physical page.
#include <gtest/gtest.h>

#include <memory>

#include PNM_MODEL_HEADER
#include "hbf_ctrl_tb.hpp"
#include "seed.hpp"

namespace {
using namespace pnm::tb;
using namespace pnm::tb::flash;
using pnm::ref::PhysPage;

class EmuBench : public CtrlBench<PNM_MODEL> {
 public:
  EmuBench(const std::string& name, uint64_t seed, Backpressure out_bp, uint32_t tr)
      : CtrlBench<PNM_MODEL>(params_of_build(), name, seed, out_bp, 0xE3C0) {
    sim.dut().cfg_tr_cycles_i = tr;
    sim.dut().load_we_i = 0;
    start();
    const auto& g = p_.geometry;
    for (uint64_t lpn = 0; lpn < g.total_pages(); ++lpn) load_page(pnm::ref::flash_map(g, lpn), lpn);
  }

 protected:
  void on_remap(const pnm::ref::FlashRemap::Key& bad, uint32_t spare) override {
    // The data of the bad block's pages now lives in the spare block.
    const auto& g = p_.geometry;
    remap_.add(bad, spare);
    for (uint32_t page = 0; page < g.pages; ++page) {
      const PhysPage from{bad.channel, bad.die, bad.plane, bad.block, page};
      load_page({bad.channel, bad.die, bad.plane, spare, page}, pnm::ref::flash_unmap(g, from));
    }
  }
  void on_force_flips(uint64_t word, const std::vector<unsigned>& bits) override {
    const auto& g = p_.geometry;
    const uint64_t lpn = word * 8 / g.page_bytes;
    Words flip(3, 0);
    for (unsigned b : bits) set_bits(flip, b, 1, 1);
    load_word(remap_.apply(pnm::ref::flash_map(g, lpn)), static_cast<uint32_t>(word % (g.page_bytes / 8)),
              pnm::ref::flash_word(data_seed(), word), flip);
  }

 private:
  pnm::ref::FlashRemap remap_;

  void load_page(const PhysPage& at, uint64_t lpn) {
    const uint32_t words = p_.geometry.page_bytes / 8;
    for (uint32_t w = 0; w < words; ++w) {
      load_word(at, w, pnm::ref::flash_word(data_seed(), lpn * words + w), Words(3, 0));
    }
  }
  void load_word(const PhysPage& at, uint32_t w, uint64_t data, const Words& flip) {
    const auto& g = p_.geometry;
    auto& d = sim.dut();
    const uint64_t page_index = ((static_cast<uint64_t>(at.die) * g.planes + at.plane) * g.blocks + at.block) *
                                    g.pages + at.page;
    d.load_we_i = 1;
    d.load_ch_i = at.channel;
    d.load_addr_i = page_index * (g.page_bytes / 8) + w;
    d.load_data_i = data;
    to_port(d.load_flip_i, flip);
    sim.step();
    d.load_we_i = 0;
  }
};

std::unique_ptr<EmuBench> make_bench(Backpressure bp, uint32_t tr = 40) {
  const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  return std::make_unique<EmuBench>(name, test_seed(), bp, tr);
}

// Logical bytes of the flash: the top block of every plane is the spare (docs/flash.md).
uint64_t logical_bytes(const pnm::ref::FlashGeometry& g) { return g.total_bytes() / g.blocks * (g.blocks - 1); }

void expect_clean(const EmuBench& b) {
  const std::string m = b.mismatches();
  EXPECT_TRUE(m.empty()) << m;
}

TEST(HbfEmu, RandomRequestsRandomBackpressure) {
  auto b = make_bench(Backpressure::random(0.6, 0.01, 50));
  const auto& g = b->params().geometry;
  for (uint32_t i = 0; i < 150; ++i) {
    Req r;
    r.len = static_cast<uint32_t>(b->rng.range(1, 3 * g.page_bytes));
    r.addr = b->rng.range(0, g.total_bytes() - r.len);
    r.tag = i & 0xff;
    b->submit(r);
  }
  b->run_to_completion(5'000'000);
  expect_clean(*b);
  EXPECT_EQ(b->sim.dut().cnt_bytes_o, b->bytes_requested());
}

// A long sequential read, page by page, with the output always ready and tR one cycle: the two
// emulated channels (8 bytes a cycle each) are the limit, and the reader must keep up with them.
// With RobReadReg (as the FPGA top builds hbf_ctrl) two reads are on their way to the read FIFO
// at once. Measured at 930 cycles for 768 beats (0.83 a cycle) with and without RobReadReg; a
// read FIFO without room for both reads in flight gave 1,071 cycles (0.72).
TEST(HbfEmu, SequentialStreamKeepsTheChannelsRate) {
  auto b = make_bench(Backpressure::none(), 1);
  const auto& g = b->params().geometry;
  const uint64_t capacity = logical_bytes(g);
  const uint64_t start = b->sim.cycle();
  for (uint64_t a = 0; a < capacity; a += g.page_bytes) b->submit({a, g.page_bytes, 7});
  b->run_to_completion(1'000'000, 0);
  expect_clean(*b);
  const uint64_t cycles = b->sim.cycle() - start, beats = capacity / b->params().lane_bytes;
  const double rate = static_cast<double>(beats) / static_cast<double>(cycles);
  std::printf("[ INFO     ] %lu beats in %lu cycles: %.3f beats per cycle\n", static_cast<unsigned long>(beats),
              static_cast<unsigned long>(cycles), rate);
  EXPECT_GE(rate, 0.78) << "the reader does not keep up with the channels";
}

TEST(HbfEmu, ForcedErrorsAndRemap) {
  auto b = make_bench(Backpressure::random(0.8));
  const auto& g = b->params().geometry;
  const uint64_t capacity = logical_bytes(g);
  const uint64_t words = capacity / 8;
  const auto p = pnm::ref::flash_map(g, 9);
  b->remap(0, {p.channel, p.die, p.plane, p.block}, g.blocks - 1);
  for (int i = 0; i < 20; ++i) b->force_flips(b->rng.range(0, words - 1), {static_cast<unsigned>(b->rng.range(0, 71))});
  for (int i = 0; i < 4; ++i) {
    const unsigned a = static_cast<unsigned>(b->rng.range(0, 35));
    b->force_flips(b->rng.range(0, words - 1), {a, a + 36});
  }
  for (uint32_t i = 0; i < 80; ++i) {
    Req r;
    r.len = static_cast<uint32_t>(b->rng.range(1, 2 * g.page_bytes));
    r.addr = i < 10 ? 9 * g.page_bytes + b->rng.range(0, g.page_bytes - 1) : b->rng.range(0, capacity - r.len);
    r.len = static_cast<uint32_t>(std::min<uint64_t>(r.len, capacity - r.addr));
    r.tag = i;
    b->submit(r);
  }
  b->run_to_completion(5'000'000);
  expect_clean(*b);
  EXPECT_EQ(b->silent_corruptions(), 0u);
  EXPECT_GT(b->sim.dut().cnt_corrected_o, 0u);
}

}  // namespace
