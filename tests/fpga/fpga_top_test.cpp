// The FPGA top (rtl/top/pnm_fpga_top.sv) end to end through its serial port: the test bench is
// the PC. It speaks the bridge protocol bit by bit on uart_rx/uart_tx (tb/fpga/uart_link.hpp),
// loads the flash emulators with the image the address map expects, and runs the node driver
// over the bridge HAL (firmware/include/pnm/uart_bridge.hpp): GEMVs checked bit-exactly against
// ref::gemv, every bridge error status, flash ECC through planted bit flips, node errors, and
// the documented limit of the one-node board (no ring: collectives are rejected).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>

#include PNM_MODEL_HEADER
#include "board_session.hpp"
#include "pnm/driver.hpp"
#include "pnm/uart_bridge.hpp"
#include "seed.hpp"
#include "termios_link.hpp"
#include "uart_link.hpp"

namespace {
using namespace pnm::tb;
namespace fw = pnm::fw;
namespace uart = pnm::fw::uart;
namespace isa = pnm::isa;

constexpr unsigned kLane = PNM_P_LaneBytes, kMaxK = PNM_P_MaxK;
constexpr unsigned kCpb = PNM_P_ClkPerBit;

struct Board {
  Sim<PNM_MODEL> sim{"fpga_top", test_seed()};
  Rng rng{sim.seed()};
  UartLine<PNM_MODEL> line{sim, rng, kCpb};
  BoardSession s{line, sim.seed() ^ 0xF1A5};
  uart::Bridge& bridge = s.bridge;
  fw::Driver& drv = s.drv;

  Board() {
    sim.dut().uart_rx_i = 1;
    sim.add(line);
    sim.reset();
    const std::string why = s.connect();
    EXPECT_EQ(why, "");
  }
  uint64_t reg(uint32_t r) {
    uint64_t v = 0;
    EXPECT_TRUE(bridge.read_reg(r, v)) << "bridge register " << r;
    return v;
  }
  // Queues `c`, which must halt the node, and returns the node's error.
  fw::NodeError halts_with(const isa::Cmd& c) {
    fw::NodeError e;
    EXPECT_TRUE(drv.submit(c));
    EXPECT_EQ(drv.wait_idle(1000, 2000), fw::Wait::kHalted);
    EXPECT_TRUE(drv.error(e));
    return e;
  }
};

TEST(FpgaTop, BridgeIdentifiesItselfAndTheBuild) {
  Board b;
  EXPECT_EQ(b.reg(uart::kRegId), uart::kIdValue);
  const auto& info = b.s.info;
  EXPECT_EQ(info.max_k, kMaxK);
  EXPECT_EQ(info.lane_bytes, kLane);
  EXPECT_EQ(info.max_batch, unsigned(PNM_P_MaxBatch));
  EXPECT_EQ(info.channels, unsigned(PNM_P_Channels));
  const auto& g = b.s.geometry;
  EXPECT_EQ(uint64_t(1) << info.flash_log2, g.total_bytes());
  EXPECT_EQ(g.channels, unsigned(PNM_P_Channels));
  EXPECT_EQ(g.dies, unsigned(PNM_P_Dies));
  EXPECT_EQ(g.planes, unsigned(PNM_P_Planes));
  EXPECT_EQ(g.blocks, unsigned(PNM_P_Blocks));
  EXPECT_EQ(g.pages, unsigned(PNM_P_Pages));
  EXPECT_EQ(g.page_bytes, unsigned(PNM_P_PageBytes));
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
    EXPECT_EQ(b.s.gemv(b.rng, int4, rows, k, b.rng.range(0, 40), static_cast<uint32_t>(b.rng.range(0, 8))), "");
  }
  // Corner: the longest row the board takes, one row.
  EXPECT_EQ(b.s.gemv(b.rng, false, 1, kMaxK, 0, 0), "");
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
  EXPECT_FALSE(b.bridge.read(uart::kRegBase + 0x48, &v, 1));
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
  ASSERT_TRUE(b.s.load(0, uint64_t(rows) * k));
  // One flipped data bit in word 3: corrected, the GEMV still matches, the counter says so.
  ASSERT_TRUE(b.s.plant(3, uint64_t(1) << 17, 0));
  EXPECT_EQ(b.s.gemv(b.rng, false, rows, k, 0, 0), "");
  uint64_t corrected = 0;
  ASSERT_TRUE(b.drv.read_reg(pnm::regs::kCntFlashCorrected, corrected));
  EXPECT_EQ(corrected, 1u);
  // Two flipped bits (one data, one check) in word 5: uncorrectable, the node halts with the
  // flash error and the failing address instead of delivering the row.
  ASSERT_TRUE(b.s.plant(5, uint64_t(1) << 40, 0x04));
  isa::Gemv gm;
  gm.batch = 1;
  gm.rows = rows;
  gm.k = k;
  const fw::NodeError e = b.halts_with(gm.encode());
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
  const fw::NodeError e = b.halts_with(bad.encode());
  EXPECT_EQ(e.code, 2u);
  EXPECT_EQ(e.index, 1u);
}

// The board's node has no ring (Ring = 0): every collective fails at once with error 5 and
// RING_ERR_NORING (5), well before the watchdog (set long, so a hang would show as error 7).
TEST(FpgaTop, CollectivesAreRejectedOnTheRinglessBoard) {
  Board b;
  ASSERT_TRUE(b.drv.write_reg(pnm::regs::kWatchdog, 1u << 20));
  ASSERT_TRUE(b.drv.start());
  isa::Allreduce ar;
  ar.len = 8;
  const fw::NodeError e = b.halts_with(ar.encode());
  EXPECT_EQ(e.code, 5u);
  EXPECT_EQ(e.detail, 5u);
  EXPECT_EQ(e.index, 0u);
}

// The PC tool's serial link (TermiosLink, as pnm_board uses it) on a pseudo-terminal whose other
// end feeds the simulated UART: the board self-test runs on its own thread over a real tty.
class PtyPump : public Component {
 public:
  PtyPump(int master, UartLine<PNM_MODEL>& line) : fd_(master), line_(line) {}
  void drive() override {
    if (++tick_ % 16) return;
    uint8_t buf[256];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n > 0) line_.post(buf, static_cast<size_t>(n));
    const size_t m = line_.take(buf, sizeof buf);
    for (size_t done = 0; done < m;) {
      const ssize_t w = ::write(fd_, buf + done, m - done);
      if (w > 0) done += static_cast<size_t>(w);
    }
  }
  void sample() override {}

 private:
  int fd_;
  UartLine<PNM_MODEL>& line_;
  uint64_t tick_ = 0;
};

TEST(FpgaTop, BoardSelftestOverAPseudoTerminal) {
  Sim<PNM_MODEL> sim{"fpga_top_pty", test_seed()};
  Rng rng{sim.seed()};
  UartLine<PNM_MODEL> line{sim, rng, kCpb};
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  ASSERT_EQ(fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK), 0);
  const std::string slave = ptsname(master);
  PtyPump pump(master, line);
  sim.dut().uart_rx_i = 1;
  sim.add(line);
  sim.add(pump);
  sim.reset();

  std::atomic<bool> done{false};
  std::string result = "did not run", lines;
  std::thread pc([&] {
    TermiosLink link;
    result = link.open(slave, 115200);
    if (result.empty()) {
      BoardSession s(link, 77);
      result = s.connect();
      Rng pc_rng(sim.seed());
      if (result.empty()) result = s.selftest(pc_rng, 2, [&](const std::string& l) { lines += l + "\n"; });
    }
    done = true;
  });
  const uint64_t limit = sim.cycle() + 50'000'000;
  while (!done && sim.cycle() < limit) sim.step();
  pc.join();
  ::close(master);
  EXPECT_EQ(result, "") << lines;
  EXPECT_NE(lines.find("GEMV 2/2"), std::string::npos) << lines;
  EXPECT_NE(lines.find("corrected and counted"), std::string::npos) << lines;
}

}  // namespace
