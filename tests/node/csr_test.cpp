// The generated register block (rtl/node/pnm_csr.sv): every ro register reads its hardware
// value at the offset the generated C++ header names; rw registers reset to their documented
// values and read back what was written; w1c bits are set by hardware and cleared only by
// writing 1; pulse and table writes reach hardware for exactly one cycle with the right index;
// unmapped offsets are reported (reg_hit_o = 0) and read 0.
#include <gtest/gtest.h>

#include PNM_MODEL_HEADER
#include "pnm/regs.hpp"
#include "seed.hpp"
#include "sim.hpp"

namespace {
using namespace pnm::tb;
namespace regs = pnm::regs;

struct Csr {
  Sim<PNM_MODEL> sim{"csr", test_seed()};
  PNM_MODEL& d = sim.dut();
  Csr() {
    d.reg_we_i = 0;
    d.reg_re_i = 0;
    d.irq_set_i = 0;
    sim.reset();
  }
  void write(uint32_t addr, uint64_t v) {
    d.reg_we_i = 1;
    d.reg_addr_i = addr;
    d.reg_wdata_i = v;
    sim.step();
    d.reg_we_i = 0;
  }
  uint64_t read(uint32_t addr) {
    d.reg_re_i = 1;
    d.reg_addr_i = addr;
    sim.step();
    d.reg_re_i = 0;
    return d.reg_rdata_o;
  }
};

TEST(Csr, ReadOnlyRegistersShowHardwareValues) {
  Csr c;
  c.d.id_i = 0x504e4d01;
  c.d.status_i = 0x123456789abcdef0ull;
  c.d.error_addr_i = 0xfedcba9876543210ull;
  c.d.cnt_flash_bytes_i = 42;
  c.d.cnt_seq_idle_i = 7;
  EXPECT_EQ(c.read(regs::kId), 0x504e4d01u);
  EXPECT_EQ(c.read(regs::kStatus), 0x123456789abcdef0ull);
  EXPECT_EQ(c.read(regs::kErrorAddr), 0xfedcba9876543210ull);
  EXPECT_EQ(c.read(regs::kCntFlashBytes), 42u);
  EXPECT_EQ(c.read(regs::kCntSeqIdle), 7u);
  c.write(regs::kStatus, 0);  // read-only: ignored
  EXPECT_EQ(c.read(regs::kStatus), 0x123456789abcdef0ull);
}

TEST(Csr, ReadWriteRegistersResetAndHoldWrites) {
  Csr c;
  EXPECT_EQ(c.read(regs::kCtrl), 0u);
  EXPECT_EQ(c.read(regs::kWatchdog), 1000000u);
  EXPECT_EQ(c.read(regs::kFlashOutstanding), 8u);
  c.write(regs::kCtrl, 3);
  c.write(regs::kWatchdog, 0xdeadbeefcafeull);
  EXPECT_EQ(c.d.ctrl_o, 3u);
  EXPECT_EQ(c.read(regs::kWatchdog), 0xdeadbeefcafeull);
  EXPECT_EQ(c.d.watchdog_o, 0xdeadbeefcafeull);
}

TEST(Csr, W1cBitsSetByHardwareClearedByOnes) {
  Csr c;
  c.d.irq_set_i = 0b101;
  c.sim.step();
  c.d.irq_set_i = 0;
  EXPECT_EQ(c.read(regs::kIrq), 0b101u);
  c.write(regs::kIrq, 0b100);
  EXPECT_EQ(c.read(regs::kIrq), 0b001u);
  c.write(regs::kIrq, 0);  // writing 0 clears nothing
  EXPECT_EQ(c.read(regs::kIrq), 0b001u);
  // A set in the same cycle as a clear wins.
  c.d.irq_set_i = 0b001;
  c.write(regs::kIrq, 0b001);
  c.d.irq_set_i = 0;
  EXPECT_EQ(c.read(regs::kIrq), 0b001u);
}

TEST(Csr, PulseAndTableWritesLastOneCycle) {
  Csr c;
  unsigned clear_pulses = 0, table_pulses = 0;
  c.d.reg_we_i = 1;
  c.d.reg_addr_i = regs::kClear;
  c.d.reg_wdata_i = 2;
  c.d.eval();
  clear_pulses += c.d.clear_we_o;
  EXPECT_EQ(c.d.clear_o, 2u);
  c.sim.step();
  c.d.reg_we_i = 0;
  c.d.eval();
  clear_pulses += c.d.clear_we_o;
  EXPECT_EQ(clear_pulses, 1u);
  for (uint32_t i = 0; i < regs::kBadBlockCount; ++i) {
    c.d.reg_we_i = 1;
    c.d.reg_addr_i = regs::kBadBlock + 8 * i;
    c.d.reg_wdata_i = 100 + i;
    c.d.eval();
    table_pulses += c.d.bad_block_we_o;
    EXPECT_EQ(c.d.bad_block_idx_o, i);
    EXPECT_EQ(c.d.bad_block_o, 100u + i);
    c.sim.step();
  }
  c.d.reg_we_i = 0;
  EXPECT_EQ(table_pulses, regs::kBadBlockCount);
  EXPECT_EQ(c.read(regs::kBadBlock), 0u);
}

TEST(Csr, UnmappedOffsetsMissAndReadZero) {
  Csr c;
  for (uint32_t a : {0x58u, 0x80u, 0xf8u, regs::kBadBlock + 8 * regs::kBadBlockCount}) {
    c.d.reg_addr_i = a;
    c.d.eval();
    EXPECT_EQ(c.d.reg_hit_o, 0u) << a;
    EXPECT_EQ(c.read(a), 0u) << a;
  }
  c.d.reg_addr_i = regs::kSignalTag;
  c.d.eval();
  EXPECT_EQ(c.d.reg_hit_o, 1u);
}

}  // namespace
