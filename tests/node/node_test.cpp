// pnm_node alone (small parameters, flash die models on its channels, ring ports idle): the
// host drives it only through AXI4 with random backpressure, as a driver would. GEMVs read their
// weights from flash and write results to the result buffer, bit-exact against tb/ref; the
// issue stage overlaps flash reads of queued GEMVs; every malformed command, an uncorrectable
// flash word and a stuck collective halt the queue with the right error code and index.
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include PNM_MODEL_HEADER
#include "axi_master.hpp"
#include "flash_die_model.hpp"
#include "flash_ref.hpp"
#include "gemv_ref.hpp"
#include "hbf_ctrl_tb.hpp"
#include "pnm/isa.hpp"
#include "pnm/regs.hpp"
#include "seed.hpp"

namespace {
using namespace pnm::tb;
namespace isa = pnm::isa;
namespace regs = pnm::regs;

constexpr uint32_t kCmdq = 0x10000, kAct = 0x100000, kRes = 0x400000;
constexpr unsigned kLane = PNM_P_LaneBytes, kMaxK = PNM_P_MaxK, kElems = PNM_P_FlitBytes / 4;
constexpr uint64_t kDataSeed = 0x5EED;
constexpr uint32_t kTr = 400;

struct Node {
  Sim<PNM_MODEL> sim{"node", test_seed()};
  Rng rng{sim.seed()};
  flash::Params fp = flash::params_of_build();
  FlashDieModel die{fp.geometry, {kTr, fp.ch_bytes, true, 64}, kDataSeed, 1};
  flash::FlashPort<PNM_MODEL> port{sim.dut(), die, fp};
  AxiMaster<PNM_MODEL> axi{sim.dut(), rng};
  std::vector<std::vector<int8_t>> act{PNM_P_MaxBatch, std::vector<int8_t>(kMaxK, 0)};

  Node() {
    auto& d = sim.dut();
    d.node_id_i = 0;
    d.inj_ready_i = 0;
    d.ej_valid_i = 0;
    axi.rate = 0.7;
    sim.add(port);
    sim.add(axi);
    sim.reset();
  }
  void wait_axi() { sim.run_until([&] { return axi.idle(); }, 200000, "AXI transactions"); }
  void wr(uint32_t a, uint64_t v) {
    axi.write(a, {v});
    wait_axi();
  }
  uint64_t rd(uint32_t a) {
    const size_t i = axi.read(a, 1);
    wait_axi();
    return axi.txn(i).data[0];
  }
  void push(const isa::Cmd& c) {
    axi.write(kCmdq, {uint64_t(c.w[0]) | uint64_t(c.w[1]) << 32, uint64_t(c.w[2]) | uint64_t(c.w[3]) << 32});
  }
  void run() { wr(0x0 + regs::kCtrl, 1); }
  // Random activations for slots 0..batch-1, elements [0, k) rounded up to whole lane words.
  void load_act(unsigned batch, unsigned k) {
    const unsigned n = (k + kLane - 1) / kLane * kLane;
    for (unsigned s = 0; s < batch; ++s) {
      std::vector<uint64_t> beats(n / 8);
      for (unsigned i = 0; i < n; ++i) {
        act[s][i] = static_cast<int8_t>(rng.next());
        beats[i / 8] |= uint64_t(uint8_t(act[s][i])) << (8 * (i % 8));
      }
      axi.write(kAct + s * kMaxK, beats);
    }
    wait_axi();
  }
  std::vector<int32_t> read_res(uint32_t first_elem, uint32_t n) {
    std::vector<int32_t> out;
    const uint32_t e0 = first_elem & ~1u;
    const unsigned beats = (first_elem + n - e0 + 1) / 2;
    for (unsigned b = 0; b < beats; b += 64) {
      const unsigned len = std::min(64u, beats - b);
      const size_t i = axi.read(kRes + 4 * e0 + 8 * b, len);
      wait_axi();
      EXPECT_EQ(axi.txn(i).resp, 0u) << "result buffer read answered SLVERR";
      for (uint64_t v : axi.txn(i).data) {
        out.push_back(static_cast<int32_t>(v));
        out.push_back(static_cast<int32_t>(v >> 32));
      }
    }
    return std::vector<int32_t>(out.begin() + (first_elem - e0), out.begin() + (first_elem - e0) + n);
  }
  void wait_idle(uint64_t max = 400000) {
    sim.run_until([&] { return (rd(regs::kStatus) & 3) != 1; }, max, "node idle");
  }
};

struct Gemv {
  isa::Gemv cmd;
  std::vector<std::vector<int32_t>> expect;  // [batch][row]
};

unsigned row_bytes(const isa::Gemv& g) {
  const unsigned per_lane = g.int4 ? 2 * kLane : kLane;
  return (g.k + per_lane - 1) / per_lane * kLane;
}

// Weight bytes a GEMV reads from flash, and result-buffer flits its results take.
uint64_t weight_bytes(const isa::Gemv& g) { return uint64_t(g.rows) * row_bytes(g); }
uint32_t result_flits(const isa::Gemv& g) { return (g.batch * g.rows + kElems - 1) / kElems; }

Gemv make_gemv(Node& n, Rng& rng, uint32_t out_base) {
  Gemv g;
  g.cmd.int4 = rng.range(0, 1);
  g.cmd.batch = rng.range(1, PNM_P_MaxBatch);
  g.cmd.rows = rng.range(1, 40);
  g.cmd.k = rng.range(1, kMaxK);
  g.cmd.x_base = 0;
  const uint64_t cap = n.fp.geometry.total_pages() * n.fp.geometry.page_bytes;
  const uint64_t bytes = weight_bytes(g.cmd);
  g.cmd.w_addr = rng.range(0, (cap - bytes) / 64);
  g.cmd.out_base = out_base;
  const auto w = pnm::ref::flash_read(kDataSeed, g.cmd.w_addr * 64, bytes);
  std::vector<std::vector<int8_t>> x(g.cmd.batch);
  for (unsigned b = 0; b < g.cmd.batch; ++b) x[b].assign(n.act[b].begin(), n.act[b].begin() + g.cmd.k);
  g.expect = pnm::ref::gemv(w.data(), g.cmd.rows, g.cmd.k, row_bytes(g.cmd),
                            g.cmd.int4 ? pnm::ref::GemvWeights::kInt4 : pnm::ref::GemvWeights::kInt8, x);
  return g;
}

uint64_t check(Node& n, const Gemv& g) {
  uint64_t bad = 0;
  const auto got = n.read_res(g.cmd.out_base * kElems, g.cmd.batch * g.cmd.rows);
  for (unsigned b = 0; b < g.cmd.batch; ++b) {
    for (unsigned r = 0; r < g.cmd.rows; ++r) {
      const int32_t a = got[b * g.cmd.rows + r], e = g.expect[b][r];
      if (a != e && bad++ < 5) {
        std::printf("GEMV rows %u k %u %s batch %u: row %u batch %u expected %d got %d\n", g.cmd.rows,
                    g.cmd.k, g.cmd.int4 ? "int4" : "int8", g.cmd.batch, r, b, e, a);
      }
    }
  }
  return bad;
}

TEST(Node, IdentifiesItself) {
  Node n;
  EXPECT_EQ(n.rd(regs::kId), 0x504e4d01u);
  EXPECT_EQ(n.rd(regs::kNode), (uint64_t(PNM_P_NumNodes) << 8) | 0);
  EXPECT_EQ(n.rd(regs::kWatchdog), 1000000u);
  const size_t i = n.axi.read(0x3f8, 1);  // unmapped register
  n.wait_axi();
  EXPECT_EQ(n.axi.txn(i).resp, 2u);
  const size_t j = n.axi.read(kAct, 1);  // the activation buffer is write-only
  n.wait_axi();
  EXPECT_EQ(n.axi.txn(j).resp, 2u);
}

TEST(Node, GemvsFromFlashMatchTheReference) {
  Node n;
  n.load_act(PNM_P_MaxBatch, kMaxK);
  n.run();
  std::vector<Gemv> gs;
  uint32_t out = 0;
  for (int i = 0; i < 8; ++i) {
    gs.push_back(make_gemv(n, n.rng, out));
    out += result_flits(gs.back().cmd);
    n.push(gs.back().cmd.encode());
  }
  n.wait_axi();
  n.wait_idle();
  EXPECT_EQ(n.rd(regs::kError), 0u);
  for (const auto& g : gs) EXPECT_EQ(check(n, g), 0u);
  EXPECT_EQ(n.rd(regs::kStatus) >> 32, 8u);
  // The issue stage reads ahead, so the GEMVs do not each wait a full tR for their first beat
  // (one after the other they would wait at least 8 tR in all). What remains is the first tR
  // and the channel bandwidth of this two-channel flash.
  const uint64_t wait = n.rd(regs::kCntSeqGemvWait);
  std::printf("8 GEMVs: %llu cycles waiting for a first weight beat (tR %u)\n",
              static_cast<unsigned long long>(wait), kTr);
  EXPECT_LT(wait, 8ull * kTr);
}

TEST(Node, IllegalCommandHaltsWithItsIndexAndClearResumes) {
  Node n;
  n.load_act(1, 64);
  n.wr(regs::kCtrl, 3);  // run, irq enabled
  Rng rng(n.sim.seed() + 1);
  isa::Gemv ok;
  ok.batch = 1; ok.rows = 4; ok.k = 64; ok.w_addr = 3; ok.out_base = 0;
  isa::Cmd bad = ok.encode();
  bad.w[0] = (bad.w[0] & ~0xffu) | 0x55;  // no such opcode
  n.push(ok.encode());
  n.push(bad);
  n.push(ok.encode());
  n.wait_axi();
  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 100000, "halt");
  const uint64_t err = n.rd(regs::kError);
  EXPECT_EQ(err & 0xff, 1u);          // opcode
  EXPECT_EQ(err >> 32, 1u);           // the second command
  EXPECT_EQ(n.rd(regs::kStatus) >> 32, 1u);
  EXPECT_EQ(n.rd(regs::kIrq) & 2, 2u);
  EXPECT_EQ(n.sim.dut().irq_o, 1u);
  // Malformed GEMVs: K = 0, weights past the flash.
  n.wr(regs::kClear, 1);
  n.wr(regs::kIrq, 7);
  isa::Gemv k0 = ok;
  k0.k = 0;
  n.push(k0.encode());
  n.wait_axi();

  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 100000, "halt");
  EXPECT_EQ(n.rd(regs::kError) & 0xff, 2u);
  n.wr(regs::kClear, 1);
  isa::Gemv far = ok;
  far.w_addr = (1ull << 30);
  n.push(far.encode());
  n.wait_axi();
  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 100000, "halt");
  EXPECT_EQ(n.rd(regs::kError) & 0xff, 3u);
  // Per-row requant entries past the table with 512 rows or more: the node's check must not
  // wrap (a 9-bit sum saw 520 rows as 8 and let the GEMV unit reject it, GemvNeverRejects_A).
  n.wr(regs::kClear, 1);
  isa::Gemv rq = ok;
  rq.rows = 520;
  rq.requant = 1;
  rq.rq_per_row = 1;
  rq.rq_base = 0;
  n.push(rq.encode());
  n.wait_axi();
  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 100000, "halt");
  EXPECT_EQ(n.rd(regs::kError) & 0xff, 2u);
  // After a clear the queue runs again.
  n.wr(regs::kClear, 1);
  n.push(ok.encode());
  isa::Signal s;
  s.tag = 0xabcd1234;
  n.push(s.encode());
  n.wait_axi();
  n.wait_idle();
  EXPECT_EQ(n.rd(regs::kSignalTag), 0xabcd1234u);
  EXPECT_EQ(n.rd(regs::kIrq) & 1, 1u);
}

TEST(Node, UncorrectableFlashWordIsReportedNotDelivered) {
  Node n;
  n.load_act(1, 64);
  n.run();
  isa::Gemv g;
  g.batch = 1; g.rows = 8; g.k = 64; g.w_addr = 10; g.out_base = 0;
  const uint64_t word = (g.w_addr * 64 + 3 * 64) / 8;  // a word of row 3
  n.die.force_flips(word, {5, 40});
  n.push(g.encode());
  n.wait_axi();
  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 100000, "halt");
  EXPECT_EQ(n.rd(regs::kError) & 0xff, 6u);
  EXPECT_EQ(n.rd(regs::kErrorAddr), word * 8);
  EXPECT_GE(n.rd(regs::kCntFlashUncorrectable), 1u);
}

// After an error found while a GEMV runs (here an uncorrectable flash word, code 6), the issue
// stage has already sent the flash reads of the GEMVs behind it. CLEAR.queue drops those
// commands and the node drops their weight data, so the GEMVs queued after the clear compute
// on their own weights. (Before the drop, the first of them consumed the dropped GEMV's data.)
TEST(Node, ClearAfterAFlashErrorDropsTheWeightsReadAhead) {
  Node n;
  n.load_act(PNM_P_MaxBatch, kMaxK);
  n.run();
  std::vector<Gemv> ahead;
  uint32_t out = 0;
  for (int i = 0; i < 3; ++i) {
    ahead.push_back(make_gemv(n, n.rng, out));
    out += result_flits(ahead.back().cmd);
  }
  const uint64_t bad_word = ahead[0].cmd.w_addr * 64 / 8;  // first word of the first GEMV
  n.die.force_flips(bad_word, {3, 17});
  for (const auto& g : ahead) n.push(g.cmd.encode());
  n.wait_axi();
  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 200000, "halt");
  ASSERT_EQ(n.rd(regs::kError) & 0xff, 6u);
  EXPECT_EQ(n.rd(regs::kError) >> 32, 0u);
  // Let the reads ahead deliver what they can into the controller before the clear.
  for (int i = 0; i < 4 * int(kTr); ++i) n.sim.step();
  n.wr(regs::kClear, 1);
  std::vector<Gemv> after;
  for (int i = 0; i < 2; ++i) {
    Gemv g = make_gemv(n, n.rng, out);
    while (g.cmd.w_addr * 64 <= bad_word * 8 &&
           bad_word * 8 < g.cmd.w_addr * 64 + weight_bytes(g.cmd)) {
      g = make_gemv(n, n.rng, out);  // the forced flips stay: keep them out of these weights
    }
    after.push_back(g);
    out += result_flits(after.back().cmd);
    n.push(after.back().cmd.encode());
  }
  n.wait_axi();
  n.wait_idle();
  EXPECT_EQ(n.rd(regs::kStatus) & 3, 0u) << "halted again: error " << n.rd(regs::kError);
  for (const auto& g : after) EXPECT_EQ(check(n, g), 0u);
}

// A PREFETCH whose GEMV never comes (an illegal command stops the queue, the host clears it):
// its weights are dropped, not handed to the next GEMV.
TEST(Node, ClearDropsTheWeightsOfAPendingPrefetch) {
  Node n;
  n.load_act(PNM_P_MaxBatch, kMaxK);
  n.run();
  const Gemv orphan = make_gemv(n, n.rng, 0);
  isa::Prefetch p;
  p.w_addr = orphan.cmd.w_addr;
  p.bytes = orphan.cmd.rows * row_bytes(orphan.cmd);
  isa::Cmd bad = orphan.cmd.encode();
  bad.w[0] = (bad.w[0] & ~0xffu) | 0x55;  // no such opcode
  n.push(p.encode());
  n.push(bad);
  n.wait_axi();
  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 200000, "halt");
  ASSERT_EQ(n.rd(regs::kError) & 0xff, 1u);
  n.wr(regs::kClear, 1);
  const Gemv g = make_gemv(n, n.rng, 0);
  n.push(g.cmd.encode());
  n.wait_axi();
  n.wait_idle();
  EXPECT_EQ(n.rd(regs::kStatus) & 3, 0u) << "halted again: error " << n.rd(regs::kError);
  EXPECT_EQ(check(n, g), 0u);
}

TEST(Node, PrefetchIsConsumedByItsGemvAndMismatchIsAnError) {
  Node n;
  n.load_act(PNM_P_MaxBatch, kMaxK);
  n.run();
  Gemv g = make_gemv(n, n.rng, 0);
  isa::Prefetch p;
  p.w_addr = g.cmd.w_addr;
  p.bytes = g.cmd.rows * row_bytes(g.cmd);
  n.push(p.encode());
  n.push(g.cmd.encode());
  n.wait_axi();
  n.wait_idle();
  EXPECT_EQ(n.rd(regs::kError), 0u);
  EXPECT_EQ(check(n, g), 0u);
  p.bytes += 64;  // does not match the GEMV that follows
  n.push(p.encode());
  n.push(g.cmd.encode());
  n.wait_axi();
  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 100000, "halt");
  EXPECT_EQ(n.rd(regs::kError) & 0xff, 4u);
  EXPECT_EQ(n.rd(regs::kError) >> 32, 3u);
}

// The command window has effects at +0 (low half) and +8 (high half, queues the command) only:
// a write anywhere else in it, or a read, is answered SLVERR and changes nothing. (Before the
// window decode was registered, a write to +0x18 queued a command and a write to +0x10 replaced
// the held low half, both while answering SLVERR.)
TEST(Node, CommandWindowActsOnlyAtItsTwoOffsets) {
  Node n;
  isa::Signal s;
  s.tag = 0x5a5a1234;
  const isa::Cmd c = s.encode();
  const uint64_t lo = uint64_t(c.w[0]) | uint64_t(c.w[1]) << 32, hi = uint64_t(c.w[2]) | uint64_t(c.w[3]) << 32;
  const auto resp_of = [&](size_t i) { return n.axi.txn(i).resp; };
  const size_t w_lo = n.axi.write(kCmdq, {lo});
  const size_t w_10 = n.axi.write(kCmdq + 0x10, {~lo});       // would replace the low half
  const size_t w_18 = n.axi.write(kCmdq + 0x18, {hi});        // would queue a command
  const size_t w_burst = n.axi.write(kCmdq + 0x20, {hi, hi, hi, hi});
  const size_t w_far = n.axi.write(kCmdq + 0x8008, {hi});     // bit 3 set, far offset
  const size_t r_lo = n.axi.read(kCmdq, 1);
  n.wait_axi();
  EXPECT_EQ(resp_of(w_lo), 0u);
  for (size_t i : {w_10, w_18, w_burst, w_far, r_lo}) EXPECT_EQ(resp_of(i), 2u) << "transaction " << i;
  EXPECT_EQ((n.rd(regs::kStatus) >> 16) & 0xffff, 0u) << "a stray write queued a command";
  const size_t w_hi = n.axi.write(kCmdq + 8, {hi});
  n.wait_axi();
  EXPECT_EQ(resp_of(w_hi), 0u);
  EXPECT_EQ((n.rd(regs::kStatus) >> 16) & 0xffff, 1u);
  n.run();
  n.wait_idle();
  EXPECT_EQ(n.rd(regs::kStatus) & 2, 0u) << "halted: error " << n.rd(regs::kError);
  EXPECT_EQ(n.rd(regs::kStatus) >> 32, 1u);
  EXPECT_EQ(n.rd(regs::kSignalTag), 0x5a5a1234u) << "the held low half was overwritten";
}

TEST(Node, StuckCollectiveTripsTheWatchdog) {
  Node n;
  n.wr(regs::kWatchdog, 2000);
  n.run();
  isa::Allreduce a;
  a.len = 64;
  a.base = 0;
  n.push(a.encode());  // the ring ports are idle: no neighbour ever answers
  n.wait_axi();
  n.sim.run_until([&] { return (n.rd(regs::kStatus) >> 1) & 1; }, 100000, "watchdog");
  EXPECT_EQ(n.rd(regs::kError) & 0xff, 7u);
  EXPECT_EQ(n.rd(regs::kIrq) & 4, 4u);
}

}  // namespace
