// Collective engines on the ring: all-reduce, all-gather, broadcast and point-to-point, for
// lengths from one element up to the buffer, not only multiples of the node count or of the
// flit, with random start skew between nodes; every node's buffer region (and a margin around
// it, which must stay untouched) is compared bit for bit with the reference. Also: back-to-back
// collectives without waiting, every illegal command, flit accounting against the schedule, and
// the 16 KiB all-reduce latency against the alpha-beta bound (cycle counts are exact in
// simulation, so this is a deterministic check).
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "ring_coll_tb.hpp"
#include "seed.hpp"

namespace {
using namespace pnm::tb;
using namespace pnm::tb::ring;

constexpr uint32_t kMargin = 3;  // flits checked on each side of a region

// Lengths worth naming: edges of flits, of node counts, of rounds (N * chunk flits per
// direction), plus random ones; all fit the buffer at some base.
std::vector<uint32_t> interesting_lengths(Rng& rng, uint32_t max_len) {
  const uint32_t e = kElems, n = kNodes, round = 2 * n * kChunkFlits * e;
  std::vector<uint32_t> v = {1, 2, e - 1, e, e + 1, 2 * e + 3, n * e - 1, n * e, n * e + 1,
                             2 * n * e + 5, round - 1, round, round + 1, 3 * round + e / 2};
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<uint32_t>(rng.range(1, std::min<uint32_t>(max_len, 6000))));
  std::vector<uint32_t> out;
  for (uint32_t x : v) {
    if (x >= 1 && x <= max_len) out.push_back(x);
  }
  return out;
}

uint32_t random_base(Rng& rng, uint32_t region_flits) {
  const uint32_t room = kBufFlits - region_flits;
  return static_cast<uint32_t>(rng.range(0, std::min<uint32_t>(room, 64)));
}

uint32_t lo_of(uint32_t base) { return base > kMargin ? base - kMargin : 0; }
uint32_t hi_of(uint32_t end) { return std::min(end + kMargin, kBufFlits); }

void run_and_check(Bench& b, const Cmd& c) {
  const uint32_t region = Bench::region_flits(c);
  b.fill_random(lo_of(c.base), hi_of(c.base + region));
  b.run_collective(c);
  const std::string what = std::string(op_name(c.op)) + " len " + std::to_string(c.len) +
                           " base " + std::to_string(c.base) + " peer " + std::to_string(c.peer);
  EXPECT_EQ(b.check(lo_of(c.base), hi_of(c.base + region), what), 0u) << what;
}

TEST(RingColl, AllReduceEveryLengthClass) {
  Bench b("ring_allreduce", test_seed());
  b.cmd.max_skew = 40;
  for (uint32_t len : interesting_lengths(b.rng, kBufElems - 64 * kElems)) {
    Cmd c{kAllReduce, len, 0, 0};
    c.base = random_base(b.rng, Bench::region_flits(c));
    run_and_check(b, c);
  }
  for (unsigned n = 0; n < kNodes; ++n) {
    EXPECT_EQ(counter(b.sim.dut().cnt_src_err_o, 2 * n), 0u);
    EXPECT_EQ(counter(b.sim.dut().cnt_src_err_o, 2 * n + 1), 0u);
  }
}

TEST(RingColl, AllReduceLargest) {
  // The whole buffer (64K elements with the default 8192 x 32 B buffer).
  Bench b("ring_allreduce_largest", test_seed());
  b.cmd.max_skew = 200;
  run_and_check(b, {kAllReduce, kBufElems, 0, 0});
  run_and_check(b, {kAllReduce, kBufElems - kElems - 3, 1, 0});
}

TEST(RingColl, AllGatherEveryLengthClass) {
  Bench b("ring_allgather", test_seed());
  b.cmd.max_skew = 40;
  for (uint32_t len : interesting_lengths(b.rng, (kBufFlits - 64) / kNodes * kElems)) {
    Cmd c{kAllGather, len, 0, 0};
    c.base = random_base(b.rng, Bench::region_flits(c));
    run_and_check(b, c);
  }
  // Largest: every node contributes 1/N of the buffer.
  run_and_check(b, {kAllGather, kBufFlits / kNodes * kElems, 0, 0});
}

TEST(RingColl, BroadcastFromEveryRoot) {
  Bench b("ring_broadcast", test_seed());
  b.cmd.max_skew = 40;
  for (unsigned root = 0; root < kNodes; ++root) {
    for (uint32_t len : {1u, kElems + 1, static_cast<uint32_t>(b.rng.range(1, 3000))}) {
      Cmd c{kBroadcast, len, 0, root};
      c.base = random_base(b.rng, Bench::region_flits(c));
      run_and_check(b, c);
    }
  }
}

TEST(RingColl, PointToPointEveryPair) {
  Bench b("ring_p2p", test_seed());
  b.cmd.max_skew = 40;
  for (unsigned src = 0; src < kNodes; ++src) {
    for (unsigned dst = 0; dst < kNodes; ++dst) {
      if (src == dst) continue;
      const uint32_t len = static_cast<uint32_t>(b.rng.range(1, 2000));
      const uint32_t base = random_base(b.rng, flits_of(len));
      b.fill_random(lo_of(base), hi_of(base + flits_of(len)));
      b.run_p2p(src, dst, len, base);
      const std::string what = "send " + std::to_string(src) + " -> " + std::to_string(dst) +
                               " len " + std::to_string(len);
      EXPECT_EQ(b.check(lo_of(base), hi_of(base + flits_of(len)), what), 0u) << what;
    }
  }
}

TEST(RingColl, BackToBackCollectivesWithoutWaiting) {
  // 40 random collectives queued on every node at once: nodes drift apart (random skew before
  // each command) and a node starts the next operation while its neighbours finish this one.
  Bench b("ring_back_to_back", test_seed());
  b.cmd.max_skew = 30;
  const uint32_t span = std::min<uint32_t>(kBufFlits, 1024);
  b.fill_random(0, span);
  for (int i = 0; i < 40; ++i) {
    Cmd c;
    c.op = static_cast<uint32_t>(b.rng.range(kAllReduce, kBroadcast));
    c.len = static_cast<uint32_t>(b.rng.range(1, c.op == kAllGather ? span / kNodes * kElems / 2 : span * kElems / 2));
    c.base = static_cast<uint32_t>(b.rng.range(0, span - Bench::region_flits(c)));
    c.peer = static_cast<uint32_t>(b.rng.range(0, kNodes - 1));
    for (unsigned n = 0; n < kNodes; ++n) b.cmd.push(n, c);
    b.apply(c);
  }
  b.wait_all_done();
  EXPECT_EQ(b.check(0, span, "after 40 back-to-back collectives"), 0u);
  for (unsigned n = 0; n < kNodes; ++n) EXPECT_EQ(counter(b.sim.dut().cnt_ops_o, n), 40u);
}

TEST(RingColl, IllegalCommandsRejectedAndEngineStillWorks) {
  Bench b("ring_illegal", test_seed());
  struct Case {
    Cmd c;
    uint32_t code;
  };
  std::vector<Case> cases = {
      {{0, 8, 0, 0}, kErrOp},
      {{6, 8, 0, 0}, kErrOp},
      {{7, 8, 0, 0}, kErrOp},
      {{kAllReduce, 0, 0, 0}, kErrLen},
      {{kAllReduce, kElems * 2, kBufFlits - 1, 0}, kErrRange},
      {{kAllReduce, kBufElems + 1, 0, 0}, kErrRange},
      {{kAllGather, kBufElems / kNodes + 1, 0, 0}, kErrRange},
      {{kSend, 8, 0, 1}, kErrPeer},  // node 1 sending to itself
  };
  if ((kNodes & (kNodes - 1)) != 0) cases.push_back({{kBroadcast, 8, 0, kNodes}, kErrPeer});
  for (const auto& k : cases) {
    b.cmd.push(1, k.c);
    b.sim.run(5);
  }
  b.sim.run(5);
  ASSERT_EQ(b.cmd.errors.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(b.cmd.errors[i].node, 1u);
    EXPECT_EQ(b.cmd.errors[i].code, cases[i].code) << "case " << i;
  }
  EXPECT_EQ(counter(b.sim.dut().cnt_errs_o, 1), cases.size());
  EXPECT_EQ(b.cmd.done[1], 0u);
  run_and_check(b, {kAllReduce, 100, 3, 0});
}

TEST(RingColl, FlitCountsFollowTheSchedule) {
  Bench b("ring_flit_counts", test_seed());
  // The second all-reduce leaves exactly N flits per direction for its last round (one flit
  // per chunk): the chunk-size rounding at a multiple of N.
  const uint32_t exact = 2 * (kNodes * kChunkFlits + kNodes) * kElems;
  std::vector<Cmd> cmds = {{kAllReduce, 5000, 1, 0}, {kAllReduce, exact, 0, 0}, {kAllGather, 700, 2, 0},
                           {kBroadcast, 900, 0, kNodes - 1}};
  std::vector<uint64_t> expect(kNodes, 0);
  b.fill_random(0, std::max<uint32_t>(512, exact / kElems));
  for (const auto& c : cmds) {
    b.run_collective(c);
    for (unsigned n = 0; n < kNodes; ++n) expect[n] += Bench::expected_out_flits(c, n);
  }
  auto& d = b.sim.dut();
  for (unsigned n = 0; n < kNodes; ++n) {
    EXPECT_EQ(counter(d.cnt_out_flits_o, 2 * n) + counter(d.cnt_out_flits_o, 2 * n + 1), expect[n])
        << "node " << n;
  }
  // Collectives hop to neighbours only: the dateline links carry VC1, all others VC0.
  for (unsigned n = 0; n < kNodes; ++n) {
    for (unsigned dir = 0; dir < 2; ++dir) {
      const bool dateline = dir == 0 ? n == kNodes - 1 : n == 0;
      const uint64_t vc0 = counter(d.cnt_link_flits_o, (n * 2 + dir) * 2);
      const uint64_t vc1 = counter(d.cnt_link_flits_o, (n * 2 + dir) * 2 + 1);
      EXPECT_EQ(dateline ? vc0 : vc1, 0u) << "node " << n << " dir " << dir;
    }
  }
}

TEST(RingColl, AllReduce16KiBWithinAlphaBetaBound) {
  // Decode's all-reduce: 4096 INT32 (16 KiB), all nodes starting in the same cycle. Alpha is
  // the per-hop latency the router test measures (link + 2); B = two directions of one flit.
  Bench b("ring_allreduce_16k", test_seed());
  const uint32_t len = 4096;
  b.fill_random(0, flits_of(len));
  const uint64_t cycles = b.run_collective({kAllReduce, len, 0, 0});
  const double bound = pnm::ref::allreduce_bound_cycles(kNodes, len * 4.0, kLinkLatency + 2.0,
                                                        2.0 * PNM_P_FlitBytes);
  std::printf("N=%u 16 KiB all-reduce: %llu cycles, alpha-beta bound %.1f, ratio %.3f\n", kNodes,
              static_cast<unsigned long long>(cycles), bound, cycles / bound);
  EXPECT_EQ(b.check(0, flits_of(len), "16 KiB all-reduce"), 0u);
  // The flit pipeline hides the per-step latency only when a chunk (ChunkFlits = (VcDepth-1)/2)
  // is longer than the hop through a node (link + about 7 cycles, docs/ring.md); small VC
  // buffers trade that away, so the bound is asserted for the configurations that afford it.
  if (kChunkFlits >= kLinkLatency + 8) {
    EXPECT_LE(cycles, 1.10 * bound);
  } else {
    std::printf("bound not asserted: chunks of %u flits are shorter than a node hop\n", kChunkFlits);
  }
}

}  // namespace
