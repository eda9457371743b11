// The FPGA top (rtl/top/pnm_fpga_top.sv) end to end through its serial port: the test bench is
// the PC. It speaks the bridge protocol bit by bit on uart_rx/uart_tx (tb/fpga/uart_link.hpp),
// loads the flash emulators with the image the address map expects, and runs the node driver
// over the bridge HAL (firmware/include/pnm/uart_bridge.hpp): GEMVs checked bit-exactly against
// ref::gemv, every bridge error status, flash ECC through planted bit flips, node errors, and
// the documented limit of the one-node board (collectives end at the watchdog).
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include PNM_MODEL_HEADER
#include "flash_ref.hpp"
#include "gemv_ref.hpp"
#include "pnm/driver.hpp"
#include "pnm/uart_bridge.hpp"
#include "seed.hpp"
#include "uart_link.hpp"

namespace {
using namespace pnm::tb;
namespace fw = pnm::fw;
namespace uart = pnm::fw::uart;
namespace isa = pnm::isa;

constexpr unsigned kLane = PNM_P_LaneBytes, kMaxK = PNM_P_MaxK;
constexpr unsigned kCpb = PNM_P_ClkPerBit;

pnm::ref::FlashGeometry geometry() {
  pnm::ref::FlashGeometry g;
  g.channels = PNM_P_Channels;
  g.dies = PNM_P_Dies;
  g.planes = PNM_P_Planes;
  g.blocks = PNM_P_Blocks;
  g.pages = PNM_P_Pages;
  g.page_bytes = PNM_P_PageBytes;
  return g;
}

struct Board {
  Sim<PNM_MODEL> sim{"fpga_top", test_seed()};
  Rng rng{sim.seed()};
  UartLine<PNM_MODEL> line{sim, rng, kCpb};
  uart::Bridge bridge{line};
  uart::BridgeHal hal{bridge};
  fw::Driver drv{hal, 0};
  pnm::ref::FlashGeometry g = geometry();
  uint64_t data_seed;
  std::set<uint64_t> loaded;  // logical pages in the emulators

  Board() : data_seed(sim.seed() ^ 0xF1A5) {
    sim.dut().uart_rx_i = 1;
    sim.add(line);
    sim.reset();
  }

  // The emulator word that holds flash word `word` (logical), through the address map.
  uint32_t emu_addr(uint64_t word, uint32_t& channel) const {
    const uint32_t wpp = g.page_bytes / 8;
    const auto p = pnm::ref::flash_map(g, word / wpp);
    channel = p.channel;
    const uint64_t page = ((uint64_t(p.die) * g.planes + p.plane) * g.blocks + p.block) * g.pages + p.page;
    return uart::flash_word_addr(p.channel, static_cast<uint32_t>(page * wpp + word % wpp));
  }
  // Loads every page of [addr, addr + bytes) with the procedural image, one frame per page.
  void load(uint64_t addr, uint64_t bytes) {
    const uint32_t wpp = g.page_bytes / 8;
    for (uint64_t lpn = addr / g.page_bytes; lpn * g.page_bytes < addr + bytes; ++lpn) {
      if (!loaded.insert(lpn).second) continue;
      std::vector<uint64_t> words(wpp);
      for (uint32_t w = 0; w < wpp; ++w) words[w] = pnm::ref::flash_word(data_seed, lpn * wpp + w);
      uint32_t ch = 0;
      ASSERT_TRUE(bridge.write(emu_addr(lpn * wpp, ch), words.data(), wpp))
          << "flash load, status " << int(bridge.status());
    }
  }
  uint64_t reg(uint32_t r) {
    uint64_t v = 0;
    EXPECT_TRUE(bridge.read_reg(r, v)) << "bridge register " << r;
    return v;
  }
};

// One GEMV through the driver, checked against the reference on the loaded image.
void run_gemv(Board& b, bool int4, uint32_t rows, uint32_t k, uint64_t w_addr, uint32_t out_base) {
  std::vector<int8_t> x(k);
  for (auto& v : x) v = static_cast<int8_t>(b.rng.next());
  const unsigned per_lane = int4 ? 2 * kLane : kLane;
  const unsigned row_bytes = (k + per_lane - 1) / per_lane * kLane;
  b.load(w_addr * 64, uint64_t(rows) * row_bytes);
  // The node stores whole lane words: write the vector padded with zeros to a lane-pair boundary.
  std::vector<int8_t> padded(x);
  padded.resize((k + 2 * kLane - 1) / (2 * kLane) * (2 * kLane), 0);
  ASSERT_TRUE(b.drv.write_activations(0, kMaxK, padded.data(), padded.size()));
  isa::Gemv gm;
  gm.int4 = int4;
  gm.batch = 1;
  gm.rows = rows;
  gm.k = k;
  gm.w_addr = w_addr;
  gm.out_base = out_base;
  ASSERT_TRUE(gm.valid());
  ASSERT_TRUE(b.drv.submit(gm.encode()));
  const auto w8 = b.drv.wait_idle(1000, 2000);
  fw::NodeError e;
  ASSERT_TRUE(b.drv.error(e));
  ASSERT_EQ(w8, fw::Wait::kIdle) << "node error " << e.code << " detail " << e.detail << " index "
                                 << e.index << " flash address " << e.flash_addr;
  std::vector<int32_t> got(rows);
  ASSERT_TRUE(b.drv.read_results(out_base * 8, got.data(), got.size()));
  const auto w = pnm::ref::flash_read(b.data_seed, w_addr * 64, uint64_t(rows) * row_bytes);
  const auto want = pnm::ref::gemv(w.data(), rows, k, row_bytes,
                                   int4 ? pnm::ref::GemvWeights::kInt4 : pnm::ref::GemvWeights::kInt8, {x});
  EXPECT_EQ(got, want[0]) << (int4 ? "INT4" : "INT8") << " rows " << rows << " k " << k;
}

TEST(FpgaTop, BridgeIdentifiesItselfAndTheBuild) {
  Board b;
  EXPECT_EQ(b.reg(uart::kRegId), uart::kIdValue);
  const auto info = uart::Info::decode(b.reg(uart::kRegInfo));
  EXPECT_EQ(info.max_k, kMaxK);
  EXPECT_EQ(info.lane_bytes, kLane);
  EXPECT_EQ(info.max_batch, unsigned(PNM_P_MaxBatch));
  EXPECT_EQ(info.channels, unsigned(PNM_P_Channels));
  EXPECT_EQ(uint64_t(1) << info.flash_log2, b.g.total_bytes());
  // The node behind the bridge answers with its own ID register.
  uint64_t id = 0;
  ASSERT_TRUE(b.drv.read_reg(pnm::regs::kId, id));
  EXPECT_EQ(id, 0x504e4d01u);
  EXPECT_EQ(b.reg(uart::kRegFrameErrors), 0u);
}

TEST(FpgaTop, GemvOverTheSerialPortMatchesTheReference) {
  Board b;
  std::cout << "[ seed     ] " << b.sim.seed() << "\n";
  ASSERT_TRUE(b.drv.start());
  // Random shapes within the board's buffers; tR random per run.
  ASSERT_TRUE(b.bridge.write_reg(uart::kRegTrCycles, b.rng.range(8, 300)));
  for (int i = 0; i < 3; ++i) {
    const bool int4 = i == 1;
    const uint32_t k = static_cast<uint32_t>(b.rng.range(1, kMaxK / 2));
    const uint32_t rows = static_cast<uint32_t>(b.rng.range(1, 24));
    run_gemv(b, int4, rows, k, b.rng.range(0, 40), static_cast<uint32_t>(b.rng.range(0, 8)));
  }
  // Corner: the longest row the board takes, one row.
  run_gemv(b, false, 1, kMaxK, 0, 0);
  uint64_t bytes = 0;
  ASSERT_TRUE(b.drv.read_reg(pnm::regs::kCntFlashBytes, bytes));
  EXPECT_GT(bytes, 0u);
  EXPECT_EQ(b.reg(uart::kRegFrameErrors), 0u);
  EXPECT_EQ(b.reg(uart::kRegRxErrors), 0u);
  EXPECT_EQ(b.line.framing_errors, 0u);
}

TEST(FpgaTop, BridgeErrorsAreReportedAndCounted) {
  Board b;
  uint64_t v = 1;
  // Read-only register, unmapped register, unmapped region, read of the write-only flash.
  EXPECT_FALSE(b.bridge.write_reg(uart::kRegId, v));
  EXPECT_EQ(b.bridge.status(), uart::kSlvErr);
  EXPECT_FALSE(b.bridge.read(uart::kRegBase + 0x40, &v, 1));
  EXPECT_EQ(b.bridge.status(), uart::kDecErr);
  EXPECT_EQ(v, 0u);
  EXPECT_FALSE(b.bridge.read(0x3000'0000, &v, 1));
  EXPECT_EQ(b.bridge.status(), uart::kDecErr);
  EXPECT_FALSE(b.bridge.read(uart::flash_word_addr(0, 0), &v, 1));
  EXPECT_EQ(b.bridge.status(), uart::kDecErr);
  // A flash channel the board does not have.
  EXPECT_FALSE(b.bridge.write(uart::flash_word_addr(PNM_P_Channels, 0), &v, 1));
  EXPECT_EQ(b.bridge.status(), uart::kDecErr);
  // Unaligned: no access, the data bytes are still consumed, the next frame works.
  EXPECT_FALSE(b.bridge.write(uart::kRegBase + uart::kRegTrCycles + 4, &v, 1));
  EXPECT_EQ(b.bridge.status(), uart::kUnaligned);
  // The node's own bus error comes through (unmapped node register).
  EXPECT_FALSE(b.drv.read_reg(0x3f8, v));
  EXPECT_EQ(b.bridge.status(), uart::kSlvErr);
  // Unknown op: one status byte.
  const uint8_t bad = 0x33;
  uint8_t st = 0;
  ASSERT_TRUE(b.line.send(&bad, 1));
  ASSERT_TRUE(b.line.receive(&st, 1));
  EXPECT_EQ(st, uart::kBadOp);
  // A frame cut short: status 0x82 after the timeout, then the bridge listens again.
  const uint8_t part[3] = {uart::kOpRead, 0x08, 0x00};
  ASSERT_TRUE(b.line.send(part, sizeof part));
  ASSERT_TRUE(b.line.receive(&st, 1));
  EXPECT_EQ(st, uart::kTimeout);
  // A byte with a low stop bit is dropped and counted; the frame that follows it still works.
  b.line.corrupt_next_stop_bit();
  ASSERT_TRUE(b.line.send(&bad, 1));
  b.line.idle(20 * kCpb);
  EXPECT_EQ(b.reg(uart::kRegTrCycles), uint64_t(PNM_P_TrReset));
  EXPECT_EQ(b.reg(uart::kRegFrameErrors), 9u);
  EXPECT_EQ(b.reg(uart::kRegRxErrors), 1u);
  EXPECT_EQ(b.line.pending_rx(), 0u);
}

TEST(FpgaTop, FlashBitFlipsAreCorrectedOrReportedNeverUsed) {
  Board b;
  ASSERT_TRUE(b.drv.start());
  const uint32_t rows = 4, k = 64;
  b.load(0, uint64_t(rows) * k);
  // One flipped data bit in word 3: corrected, the GEMV still matches, the counter says so.
  uint32_t ch = 0;
  const uint64_t w3 = pnm::ref::flash_word(b.data_seed, 3);
  ASSERT_TRUE(b.bridge.write_reg(uart::kRegFlipLo, uint64_t(1) << 17));
  ASSERT_TRUE(b.bridge.write(b.emu_addr(3, ch), &w3, 1));
  ASSERT_TRUE(b.bridge.write_reg(uart::kRegFlipLo, 0));
  run_gemv(b, false, rows, k, 0, 0);
  uint64_t corrected = 0;
  ASSERT_TRUE(b.drv.read_reg(pnm::regs::kCntFlashCorrected, corrected));
  EXPECT_EQ(corrected, 1u);
  // Two flipped bits (one data, one check) in word 5: uncorrectable, the node halts with the
  // flash error and the failing address instead of delivering the row.
  const uint64_t w5 = pnm::ref::flash_word(b.data_seed, 5);
  ASSERT_TRUE(b.bridge.write_reg(uart::kRegFlipLo, uint64_t(1) << 40));
  ASSERT_TRUE(b.bridge.write_reg(uart::kRegFlipHi, 0x04));
  ASSERT_TRUE(b.bridge.write(b.emu_addr(5, ch), &w5, 1));
  isa::Gemv gm;
  gm.batch = 1;
  gm.rows = rows;
  gm.k = k;
  ASSERT_TRUE(b.drv.submit(gm.encode()));
  ASSERT_EQ(b.drv.wait_idle(1000, 2000), fw::Wait::kHalted);
  fw::NodeError e;
  ASSERT_TRUE(b.drv.error(e));
  EXPECT_EQ(e.code, 6u);
  EXPECT_EQ(e.index, 1u);
  EXPECT_EQ(e.flash_addr / 8, 5u);
}

TEST(FpgaTop, IllegalCommandsHaltTheNodeWithTheirIndex) {
  Board b;
  ASSERT_TRUE(b.drv.start());
  isa::Signal s;
  isa::Gemv bad;
  bad.batch = 1;
  bad.rows = 2;
  bad.k = kMaxK + 1;  // longer than the board's activation buffer
  ASSERT_TRUE(b.drv.submit(s.encode()));
  ASSERT_TRUE(b.drv.submit(bad.encode()));
  ASSERT_EQ(b.drv.wait_idle(1000, 2000), fw::Wait::kHalted);
  fw::NodeError e;
  ASSERT_TRUE(b.drv.error(e));
  EXPECT_EQ(e.code, 2u);
  EXPECT_EQ(e.index, 1u);
}

TEST(FpgaTop, CollectivesEndAtTheWatchdogOnTheOneNodeBoard) {
  Board b;
  ASSERT_TRUE(b.drv.write_reg(pnm::regs::kWatchdog, 5000));
  ASSERT_TRUE(b.drv.start());
  isa::Allreduce ar;
  ar.len = 8;
  ASSERT_TRUE(b.drv.submit(ar.encode()));
  ASSERT_EQ(b.drv.wait_idle(1000, 2000), fw::Wait::kHalted);
  fw::NodeError e;
  ASSERT_TRUE(b.drv.error(e));
  EXPECT_EQ(e.code, 7u);
  EXPECT_EQ(e.index, 0u);
}

}  // namespace
