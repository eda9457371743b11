// pnm_system: N nodes on the ring, each with its own flash (die models with a seed per node) and
// its own AXI4 master. Megatron-style steps across the nodes, every result compared with the
// reference on every node:
//   row-parallel GEMV + ALLREDUCE: each node multiplies its weight slice by its activation
//   slice; the INT32 partial sums are summed over the ring in place;
//   column-parallel GEMV + ALLGATHER: each node computes its rows; every node ends with all.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <vector>

#include PNM_MODEL_HEADER
#include "axi_master.hpp"
#include "flash_die_model.hpp"
#include "flash_ref.hpp"
#include "gemv_ref.hpp"
#include "hbf_ctrl_tb.hpp"
#include "pnm/isa.hpp"
#include "pnm/regs.hpp"
#include "ring_ref.hpp"
#include "seed.hpp"

namespace {
using namespace pnm::tb;
namespace isa = pnm::isa;
namespace regs = pnm::regs;

constexpr unsigned kNodes = PNM_P_NumNodes;
constexpr uint32_t kCmdq = 0x10000, kAct = 0x100000, kRes = 0x400000;
constexpr unsigned kLane = PNM_P_LaneBytes, kMaxK = PNM_P_MaxK, kElems = PNM_P_FlitBytes / 4;
constexpr uint32_t kTr = 300;

uint64_t data_seed(unsigned node) { return 0xA11CE + 977 * node; }

struct System {
  Sim<PNM_MODEL> sim{"system", test_seed()};
  Rng rng{sim.seed()};
  flash::Params fp = flash::params_of_build();
  std::vector<std::unique_ptr<FlashDieModel>> dies;
  std::vector<std::unique_ptr<flash::FlashPort<PNM_MODEL>>> ports;
  std::vector<std::unique_ptr<AxiMaster<PNM_MODEL>>> axi;
  std::vector<std::vector<std::vector<int8_t>>> act;  // [node][slot][element]

  System() {
    auto& d = sim.dut();
    for (unsigned n = 0; n < kNodes; ++n) {
      dies.push_back(std::make_unique<FlashDieModel>(fp.geometry, FlashTiming{kTr, fp.ch_bytes, true, 64},
                                                     data_seed(n), 1 + n));
      ports.push_back(std::make_unique<flash::FlashPort<PNM_MODEL>>(d, *dies.back(), fp, n * fp.geometry.channels,
                                                                     kNodes * fp.geometry.channels));
      axi.push_back(std::make_unique<AxiMaster<PNM_MODEL>>(d, rng, n, kNodes));
      axi.back()->rate = 0.7;
      sim.add(*ports.back());
      sim.add(*axi.back());
      act.emplace_back(PNM_P_MaxBatch, std::vector<int8_t>(kMaxK, 0));
    }
    sim.reset();
  }
  void wait_axi() {
    sim.run_until([&] {
      for (auto& a : axi) if (!a->idle()) return false;
      return true;
    }, 400000, "AXI transactions");
  }
  uint64_t rd(unsigned n, uint32_t a) {
    const size_t i = axi[n]->read(a, 1);
    wait_axi();
    return axi[n]->txn(i).data[0];
  }
  void push(unsigned n, const isa::Cmd& c) {
    axi[n]->write(kCmdq, {uint64_t(c.w[0]) | uint64_t(c.w[1]) << 32, uint64_t(c.w[2]) | uint64_t(c.w[3]) << 32});
  }
  void load_act(unsigned batch, unsigned k) {
    const unsigned len = (k + kLane - 1) / kLane * kLane;
    for (unsigned n = 0; n < kNodes; ++n) {
      for (unsigned s = 0; s < batch; ++s) {
        std::vector<uint64_t> beats(len / 8);
        for (unsigned i = 0; i < len; ++i) {
          act[n][s][i] = static_cast<int8_t>(rng.next());
          beats[i / 8] |= uint64_t(uint8_t(act[n][s][i])) << (8 * (i % 8));
        }
        axi[n]->write(kAct + s * kMaxK, beats);
      }
    }
    wait_axi();
  }
  std::vector<int32_t> read_res(unsigned n, uint32_t first_elem, uint32_t count) {
    std::vector<int32_t> out;
    const uint32_t e0 = first_elem & ~1u;
    const unsigned beats = (first_elem + count - e0 + 1) / 2;
    for (unsigned b = 0; b < beats; b += 64) {
      const unsigned len = std::min(64u, beats - b);
      const size_t i = axi[n]->read(kRes + 4 * e0 + 8 * b, len);
      wait_axi();
      EXPECT_EQ(axi[n]->txn(i).resp, 0u) << "result buffer read answered SLVERR";
      for (uint64_t v : axi[n]->txn(i).data) {
        out.push_back(static_cast<int32_t>(v));
        out.push_back(static_cast<int32_t>(v >> 32));
      }
    }
    return std::vector<int32_t>(out.begin() + (first_elem - e0), out.begin() + (first_elem - e0) + count);
  }
  void run_all() {
    for (unsigned n = 0; n < kNodes; ++n) axi[n]->write(regs::kCtrl, {1});
    wait_axi();
  }
  void wait_all_idle() {
    sim.run_until([&] {
      for (unsigned n = 0; n < kNodes; ++n) {
        if ((rd(n, regs::kStatus) & 3) == 1) return false;
      }
      return true;
    }, 2000000, "all nodes idle");
    for (unsigned n = 0; n < kNodes; ++n) EXPECT_EQ(rd(n, regs::kError), 0u) << "node " << n;
  }
  unsigned row_bytes(const isa::Gemv& g) const {
    const unsigned per_lane = g.int4 ? 2 * kLane : kLane;
    return (g.k + per_lane - 1) / per_lane * kLane;
  }
  // The reference result of g on node n (its own flash and activations).
  std::vector<std::vector<int32_t>> expect(unsigned n, const isa::Gemv& g) const {
    const auto w = pnm::ref::flash_read(data_seed(n), g.w_addr * 64, uint64_t(g.rows) * row_bytes(g));
    std::vector<std::vector<int8_t>> x(g.batch);
    for (unsigned b = 0; b < g.batch; ++b) x[b].assign(act[n][b].begin(), act[n][b].begin() + g.k);
    return pnm::ref::gemv(w.data(), g.rows, g.k, row_bytes(g),
                          g.int4 ? pnm::ref::GemvWeights::kInt4 : pnm::ref::GemvWeights::kInt8, x);
  }
};

uint64_t compare(const std::vector<int32_t>& got, const std::vector<int32_t>& want, const char* what, unsigned node) {
  uint64_t bad = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (got[i] != want[i] && bad++ < 5) {
      std::printf("%s: node %u element %zu expected %d got %d\n", what, node, i, want[i], got[i]);
    }
  }
  return bad;
}

TEST(System, RowParallelGemvThenAllReduce) {
  System s;
  s.load_act(PNM_P_MaxBatch, kMaxK);
  s.run_all();
  for (int rep = 0; rep < 3; ++rep) {
    isa::Gemv g;
    g.int4 = rep % 2;
    g.batch = s.rng.range(1, PNM_P_MaxBatch);
    g.rows = s.rng.range(1, 60);
    g.k = s.rng.range(1, kMaxK);
    g.w_addr = s.rng.range(0, 64);
    g.out_base = s.rng.range(0, 8);
    isa::Allreduce a;
    a.len = g.batch * g.rows;
    a.base = g.out_base;
    for (unsigned n = 0; n < kNodes; ++n) {
      s.push(n, g.encode());
      s.push(n, a.encode());
    }
    s.wait_axi();
    s.wait_all_idle();
    // Every node: the wrap-around sum of all nodes' partial results.
    pnm::ref::NodeVectors partial(kNodes);
    for (unsigned n = 0; n < kNodes; ++n) {
      for (const auto& v : s.expect(n, g)) partial[n].insert(partial[n].end(), v.begin(), v.end());
    }
    const auto want = pnm::ref::ring_allreduce(partial);
    for (unsigned n = 0; n < kNodes; ++n) {
      EXPECT_EQ(compare(s.read_res(n, g.out_base * kElems, a.len), want[n], "gemv+allreduce", n), 0u);
    }
  }
}

TEST(System, ColumnParallelGemvThenAllGather) {
  System s;
  s.load_act(1, kMaxK);
  s.run_all();
  isa::Gemv g;
  g.batch = 1;
  g.rows = 37;  // not a multiple of the flit: every segment is padded
  g.k = 200;
  g.w_addr = 5;
  const uint32_t seg_flits = (g.rows + kElems - 1) / kElems;
  isa::Allgather ag;
  ag.len = g.rows;
  ag.base = 2;
  for (unsigned n = 0; n < kNodes; ++n) {
    isa::Gemv gn = g;
    gn.out_base = ag.base + n * seg_flits;  // node n's segment of the gathered vector
    s.push(n, gn.encode());
    s.push(n, ag.encode());
  }
  s.wait_axi();
  s.wait_all_idle();
  for (unsigned n = 0; n < kNodes; ++n) {
    for (unsigned j = 0; j < kNodes; ++j) {
      const auto want = s.expect(j, g)[0];
      EXPECT_EQ(compare(s.read_res(n, (ag.base + j * seg_flits) * kElems, g.rows), want, "gemv+allgather", n), 0u)
          << "segment of node " << j;
    }
  }
}

}  // namespace
