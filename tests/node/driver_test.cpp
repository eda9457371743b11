// The firmware driver (firmware/include/pnm/driver.hpp) over the simulated host port of one node:
// activations in, GEMV commands queued, results read back bit-exact; a refused command (full
// queue) and a halted node are reported through the driver's return values and error().
#include <gtest/gtest.h>

#include <vector>

#include PNM_MODEL_HEADER
#include "axi_hal.hpp"
#include "flash_die_model.hpp"
#include "flash_ref.hpp"
#include "gemv_ref.hpp"
#include "hbf_ctrl_tb.hpp"
#include "pnm/driver.hpp"
#include "seed.hpp"

namespace {
using namespace pnm::tb;
namespace fw = pnm::fw;
namespace isa = pnm::isa;

constexpr uint64_t kSeed = 0xD1;
constexpr unsigned kLane = PNM_P_LaneBytes, kMaxK = PNM_P_MaxK;

struct Rig {
  Sim<PNM_MODEL> sim{"driver", test_seed()};
  Rng rng{sim.seed()};
  flash::Params fp = flash::params_of_build();
  FlashDieModel die{fp.geometry, {200, fp.ch_bytes, true, 64}, kSeed, 1};
  flash::FlashPort<PNM_MODEL> port{sim.dut(), die, fp};
  AxiMaster<PNM_MODEL> axi{sim.dut(), rng};
  AxiHal<PNM_MODEL> hal{sim, {&axi}};
  fw::Driver drv{hal, 0};
  Rig() {
    sim.dut().node_id_i = 0;
    sim.dut().inj_ready_i = 0;
    sim.dut().ej_valid_i = 0;
    axi.rate = 0.8;
    sim.add(port);
    sim.add(axi);
    sim.reset();
  }
};

TEST(Driver, GemvThroughTheDriverMatchesTheReference) {
  Rig r;
  std::vector<int8_t> x(kMaxK);
  for (auto& v : x) v = static_cast<int8_t>(r.rng.next());
  ASSERT_TRUE(r.drv.write_activations(0, kMaxK, x.data(), x.size()));
  ASSERT_TRUE(r.drv.start());
  isa::Gemv g;
  g.batch = 1;
  g.rows = 23;
  g.k = 300;
  g.w_addr = 7;
  g.out_base = 1;
  ASSERT_TRUE(g.valid());
  ASSERT_TRUE(r.drv.submit(g.encode()));
  ASSERT_EQ(r.drv.wait_idle(10000), fw::Wait::kIdle);
  std::vector<int32_t> got(g.rows);
  ASSERT_TRUE(r.drv.read_results(g.out_base * 8, got.data(), got.size()));
  const unsigned row_bytes = (g.k + kLane - 1) / kLane * kLane;
  const auto w = pnm::ref::flash_read(kSeed, g.w_addr * 64, uint64_t(g.rows) * row_bytes);
  const auto want = pnm::ref::gemv(w.data(), g.rows, g.k, row_bytes, pnm::ref::GemvWeights::kInt8,
                                   {std::vector<int8_t>(x.begin(), x.begin() + g.k)});
  EXPECT_EQ(got, want[0]);
}

TEST(Driver, RefusedCommandsAndHaltsAreReported) {
  Rig r;
  // Not started: the queue fills and the next command is refused. It holds CmdDepth commands
  // plus the one being checked, the 4 the issue stage has checked and the execute stage's head
  // register (docs/node.md).
  isa::Signal s;
  unsigned accepted = 0;
  while (r.drv.submit(s.encode()) && accepted < 100) ++accepted;
  EXPECT_EQ(accepted, static_cast<unsigned>(PNM_P_CmdDepth) + 6);
  fw::NodeError e;
  ASSERT_TRUE(r.drv.error(e));
  EXPECT_EQ(e.code, 8u);  // queue full
  ASSERT_TRUE(r.drv.clear_queue());
  ASSERT_TRUE(r.drv.start());
  isa::Gemv bad;
  bad.batch = 1;
  bad.rows = 4;
  bad.k = 0;  // malformed
  ASSERT_TRUE(r.drv.submit(s.encode()));
  ASSERT_TRUE(r.drv.submit(bad.encode()));
  EXPECT_EQ(r.drv.wait_idle(10000), fw::Wait::kHalted);
  ASSERT_TRUE(r.drv.error(e));
  EXPECT_EQ(e.code, 2u);
  EXPECT_EQ(e.index, 1u);
  uint64_t v = 0;
  EXPECT_FALSE(r.drv.read_reg(0x3f8, v));  // unmapped register: a bus error
}

}  // namespace
