// ring_fabric (routers + links) with raw point-to-point traffic: every flit is delivered exactly
// once, intact, to its destination, in order per source, destination and direction, under
// random injection and random ejection backpressure; saturation traffic never deadlocks (a
// watchdog fails the test when nothing moves); the per-hop latency and the link throughput are
// exact cycle counts of the design (Latency + 2 cycles per hop, one flit per cycle); idle_o is
// low while any flit is in the ring, and while it is high a clock edge without injection changes
// nothing (the split simulation model skips the ring then).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <tuple>
#include <vector>

#include PNM_MODEL_HEADER
#include "rng.hpp"
#include "seed.hpp"
#include "sim.hpp"

namespace {
using namespace pnm::tb;

constexpr unsigned kNodes = PNM_P_NumNodes;
constexpr unsigned kLatency = PNM_P_LinkLatency;
constexpr unsigned kVcDepth = PNM_P_VcDepth;
constexpr unsigned kPayloadWords = PNM_P_FlitBytes / 4;
constexpr unsigned kStride = kPayloadWords + 1;  // words per port in the repacked vectors
constexpr unsigned kPorts = 2 * kNodes;

struct Flit {
  unsigned src = 0, dst = 0, dir = 0;
  uint64_t seq = 0;
  std::vector<uint32_t> payload;  // word 0: src | dst << 8 | dir << 16; words 1,2: seq; rest random
};

// Injects per-port queues and ejects everything, checking each flit as it leaves.
class Traffic : public Component {
 public:
  Traffic(PNM_MODEL& dut, Rng& rng) : dut_(dut), rng_(rng) {}

  double inject_rate = 1.0;
  double eject_rate = 1.0;

  void add(unsigned src, unsigned dst, unsigned dir) {
    Flit f;
    f.src = src;
    f.dst = dst;
    f.dir = dir;
    f.seq = next_seq_[{src, dst, dir}]++;
    f.payload.resize(kPayloadWords);
    for (auto& w : f.payload) w = static_cast<uint32_t>(rng_.next());
    f.payload[0] = src | dst << 8 | dir << 16;
    if (kPayloadWords > 2) {
      f.payload[1] = static_cast<uint32_t>(f.seq);
      f.payload[2] = static_cast<uint32_t>(f.seq >> 32);
    }
    queue_[src * 2 + dir].push_back(f);
    in_flight_[{src, dst, dir}].push_back(f);
    ++queued;
  }

  void drive() override {
    for (unsigned k = 0; k < kPorts; ++k) {
      if (!offering_[k] && !queue_[k].empty() && rng_.chance(inject_rate)) offering_[k] = true;
      set_bit(dut_.inj_valid_i, k, offering_[k]);
      if (offering_[k]) {
        const Flit& f = queue_[k].front();
        for (unsigned i = 0; i < kPayloadWords; ++i) dut_.inj_data_i[k * kStride + i] = f.payload[i];
        dut_.inj_data_i[k * kStride + kPayloadWords] = f.dst;
      }
      ready_[k] = rng_.chance(eject_rate);
      set_bit(dut_.ej_ready_i, k, ready_[k]);
    }
  }

  void sample() override {
    ++cycle_;
    for (unsigned k = 0; k < kPorts; ++k) {
      if (offering_[k] && bit(dut_.inj_ready_o, k)) {
        inject_cycle_[{queue_[k].front().src, queue_[k].front().dst, queue_[k].front().dir,
                       queue_[k].front().seq}] = cycle_;
        queue_[k].pop_front();
        offering_[k] = false;
        ++injected;
      }
      if (bit(dut_.ej_valid_o, k) && ready_[k]) receive(k);
    }
  }

  uint64_t queued = 0, injected = 0, received = 0, errors = 0;
  uint64_t last_latency = 0;
  uint64_t cycle() const { return cycle_; }
  bool all_delivered() const { return received == queued; }

 private:
  void receive(unsigned k) {
    const unsigned node = k / 2, dir = k % 2;
    std::vector<uint32_t> got(kPayloadWords);
    for (unsigned i = 0; i < kPayloadWords; ++i) got[i] = dut_.ej_data_o[k * kStride + i];
    const unsigned src_field = dut_.ej_data_o[k * kStride + kPayloadWords];
    const unsigned src = got[0] & 0xff, dst = (got[0] >> 8) & 0xff, fdir = (got[0] >> 16) & 0xff;
    ++received;
    auto it = in_flight_.find({src, dst, fdir});
    if (dst != node || fdir != dir || src_field != src || it == in_flight_.end() ||
        it->second.empty()) {
      report("flit at the wrong port or never sent", node, dir, src, dst);
      return;
    }
    const Flit expect = it->second.front();
    it->second.pop_front();
    if (got != expect.payload) {
      report("flit out of order, duplicated or corrupted", node, dir, src, dst);
      return;
    }
    last_latency = cycle_ - inject_cycle_[{src, dst, fdir, expect.seq}];
  }
  void report(const char* what, unsigned node, unsigned dir, unsigned src, unsigned dst) {
    if (errors++ < 10) {
      std::printf("cycle %llu: %s: ejected at node %u dir %u, header src %u dst %u\n",
                  static_cast<unsigned long long>(cycle_), what, node, dir, src, dst);
    }
  }
  template <class T>
  static bool bit(const T& v, unsigned k) { return (static_cast<uint64_t>(v) >> k) & 1u; }
  template <class T>
  static void set_bit(T& v, unsigned k, bool b) {
    v = static_cast<T>(b ? (v | (T{1} << k)) : (v & ~(T{1} << k)));
  }

  PNM_MODEL& dut_;
  Rng& rng_;
  std::deque<Flit> queue_[kPorts];
  bool offering_[kPorts] = {};
  bool ready_[kPorts] = {};
  std::map<std::tuple<unsigned, unsigned, unsigned>, std::deque<Flit>> in_flight_;
  std::map<std::tuple<unsigned, unsigned, unsigned>, uint64_t> next_seq_;
  std::map<std::tuple<unsigned, unsigned, unsigned, uint64_t>, uint64_t> inject_cycle_;
  uint64_t cycle_ = 0;
};

// Hops from src to dst in direction dir (0: clockwise, node + 1).
unsigned hops(unsigned src, unsigned dst, unsigned dir) {
  return dir == 0 ? (dst + kNodes - src) % kNodes : (src + kNodes - dst) % kNodes;
}

template <class V>
uint64_t cnt(const PNM_MODEL& d, const V& v, unsigned i) {
  (void)d;
  return static_cast<uint64_t>(v[2 * i]) | static_cast<uint64_t>(v[2 * i + 1]) << 32;
}

struct Net {
  Sim<PNM_MODEL> sim;
  Rng rng;
  Traffic traffic;
  explicit Net(const char* name) : sim(name, test_seed()), rng(sim.seed()), traffic(sim.dut(), rng) {
    sim.dut().inj_valid_i = 0;
    sim.dut().ej_ready_i = 0;
    sim.reset();
    sim.add(traffic);
  }
  // Runs until everything queued is delivered; fails if nothing is ejected for `watchdog`
  // cycles while flits are outstanding (a deadlock or a lost flit).
  void drain(uint64_t watchdog) {
    uint64_t last_progress = sim.cycle(), last_received = traffic.received;
    while (!traffic.all_delivered()) {
      sim.step();
      if (traffic.received != last_received) {
        last_received = traffic.received;
        last_progress = sim.cycle();
      }
      if (sim.cycle() - last_progress > watchdog) {
        FAIL() << "watchdog: no flit ejected for " << watchdog << " cycles, " << traffic.received
               << " of " << traffic.queued << " delivered (seed stream " << sim.seed() << ")";
      }
    }
  }
  void check_counters() {
    auto& d = sim.dut();
    uint64_t inj = 0, ej = 0;
    for (unsigned k = 0; k < kPorts; ++k) {
      inj += cnt(d, d.cnt_inj_o, k);
      ej += cnt(d, d.cnt_ej_o, k);
    }
    EXPECT_EQ(inj, traffic.injected);
    EXPECT_EQ(ej, traffic.received);
    EXPECT_EQ(d.err_o, 0u) << "credit protocol error flagged";
  }
};

TEST(RingNet, RandomTrafficRandomBackpressure) {
  Net net("ring_net_random");
  auto& t = net.traffic;
  uint64_t link_flits_expected = 0;
  for (unsigned i = 0; i < 2000 * kNodes; ++i) {
    const unsigned src = static_cast<unsigned>(net.rng.range(0, kNodes - 1));
    const unsigned dst = (src + static_cast<unsigned>(net.rng.range(1, kNodes - 1))) % kNodes;
    const unsigned dir = static_cast<unsigned>(net.rng.range(0, 1));
    t.add(src, dst, dir);
    link_flits_expected += hops(src, dst, dir);
  }
  t.inject_rate = 0.7;
  t.eject_rate = 0.5;
  net.drain(20000);
  EXPECT_EQ(t.errors, 0u) << "seed stream " << net.sim.seed();
  net.check_counters();
  // Every hop of every flit is counted once on the link it used, on one of the two VCs.
  uint64_t link = 0;
  auto& d = net.sim.dut();
  for (unsigned i = 0; i < kPorts * 2; ++i) link += cnt(d, d.cnt_link_flits_o, i);
  EXPECT_EQ(link, link_flits_expected);
}

TEST(RingNet, SaturationAcrossTheDatelineNoDeadlock) {
  Net net("ring_net_saturation");
  auto& t = net.traffic;
  // Every node floods the farthest node both ways: every flit crosses most links, and the
  // flows that cross the dateline share the ring with those that do not.
  for (unsigned round = 0; round < 300; ++round) {
    for (unsigned src = 0; src < kNodes; ++src) {
      t.add(src, (src + kNodes - 1) % kNodes, 0);
      t.add(src, (src + 1) % kNodes, 1);
      if (kNodes > 2) t.add(src, (src + kNodes / 2) % kNodes, round % 2);
    }
  }
  t.inject_rate = 1.0;
  t.eject_rate = 0.3;  // slow sinks: the buffers fill and the credits run out everywhere
  net.drain(5000);
  EXPECT_EQ(t.errors, 0u) << "seed stream " << net.sim.seed();
  net.check_counters();
  uint64_t stalls = 0;
  auto& d = net.sim.dut();
  for (unsigned k = 0; k < kPorts; ++k) stalls += cnt(d, d.cnt_credit_stall_o, k);
  EXPECT_GT(stalls, 0u) << "saturation should run out of credits somewhere";
}

TEST(RingNet, PerHopLatencyIsLinkPlusTwo) {
  // One flit at a time on an empty ring: latency from the injection handshake to the ejection
  // handshake, for every distance in both directions.
  for (unsigned dir = 0; dir < 2; ++dir) {
    Net net("ring_net_latency");
    auto& t = net.traffic;
    uint64_t first = 0;
    for (unsigned h = 1; h < kNodes; ++h) {
      const unsigned src = 1 % kNodes;
      const unsigned dst = dir == 0 ? (src + h) % kNodes : (src + kNodes - h) % kNodes;
      t.add(src, dst, dir);
      net.drain(1000);
      if (h == 1) first = t.last_latency;
      const uint64_t per_hop = h == 1 ? 0 : (t.last_latency - first) / (h - 1);
      std::printf("dir %u, %u hop(s): %llu cycles\n", dir, h,
                  static_cast<unsigned long long>(t.last_latency));
      EXPECT_EQ(t.last_latency, first + (h - 1) * (kLatency + 2)) << "hops " << h;
      if (h > 1) {
        EXPECT_EQ(per_hop, kLatency + 2);
      }
    }
    EXPECT_EQ(t.errors, 0u);
  }
}

TEST(RingNet, OneFlowSustainsOneFlitPerCycle) {
  if (kVcDepth < 2 * kLatency + 3) GTEST_SKIP() << "VC buffers shorter than the credit loop";
  Net net("ring_net_throughput");
  auto& t = net.traffic;
  constexpr unsigned kFlits = 2000;
  const unsigned dst = kNodes > 2 ? 2 : 1;
  for (unsigned i = 0; i < kFlits; ++i) t.add(0, dst, 0);
  const uint64_t start = net.sim.cycle();
  net.drain(1000);
  const uint64_t cycles = net.sim.cycle() - start;
  std::printf("%u flits over %u hop(s): %llu cycles\n", kFlits, hops(0, dst, 0),
              static_cast<unsigned long long>(cycles));
  EXPECT_EQ(t.errors, 0u);
  // One flit per cycle after the pipeline fills: no credit bubbles.
  EXPECT_LE(cycles, kFlits + hops(0, dst, 0) * (kLatency + 2) + 4);
}

// The ring's registered outputs as bytes: what a clock edge could change.
template <class T>
void append_bytes(std::vector<uint8_t>& out, const T& v) {
  const size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));
}
std::vector<uint8_t> registered_outputs(const PNM_MODEL& d) {
  std::vector<uint8_t> out;
  append_bytes(out, d.cnt_link_flits_o);
  append_bytes(out, d.cnt_credit_stall_o);
  append_bytes(out, d.cnt_inj_o);
  append_bytes(out, d.cnt_ej_o);
  append_bytes(out, d.ej_valid_o);
  append_bytes(out, d.ej_data_o);
  append_bytes(out, d.err_o);
  append_bytes(out, d.idle_o);
  return out;
}

TEST(RingNet, IdleMeansNothingMoves) {
  Net net("ring_net_idle");
  auto& t = net.traffic;
  auto& d = net.sim.dut();
  t.inject_rate = 0.6;
  t.eject_rate = 0.5;
  // After the last ejection its credit crosses a link and the quiet count runs LinkLatency + 1.
  const uint64_t settle = 2 * (kLatency + 2) + 4;
  uint64_t idle_edges = 0, busy_edges = 0;
  net.sim.run(kLatency + 1);  // the quiet count starts at reset
  EXPECT_TRUE(d.idle_o) << "idle after reset";
  for (unsigned burst = 0; burst < 30; ++burst) {
    const unsigned flits = static_cast<unsigned>(net.rng.range(1, 4 * kNodes));
    for (unsigned i = 0; i < flits; ++i) {
      const unsigned src = static_cast<unsigned>(net.rng.range(0, kNodes - 1));
      const unsigned dst = (src + static_cast<unsigned>(net.rng.range(1, kNodes - 1))) % kNodes;
      t.add(src, dst, static_cast<unsigned>(net.rng.range(0, 1)));
    }
    uint64_t quiet = 0;
    for (uint64_t c = 0; quiet < settle; ++c) {
      ASSERT_LT(c, 20000u) << "burst " << burst << " not delivered (seed stream " << net.sim.seed() << ")";
      const bool was_idle = d.idle_o != 0;
      const std::vector<uint8_t> before = registered_outputs(d);
      net.sim.step();
      if (t.injected > t.received) {
        ASSERT_FALSE(d.idle_o) << "idle with " << t.injected - t.received << " flits in the ring, cycle "
                               << net.sim.cycle() << " (seed stream " << net.sim.seed() << ")";
        ++busy_edges;
      }
      if (was_idle && d.inj_valid_i == 0) {
        ASSERT_EQ(registered_outputs(d), before) << "an idle edge changed the ring, cycle " << net.sim.cycle()
                                                 << " (seed stream " << net.sim.seed() << ")";
        ++idle_edges;
      }
      quiet = t.all_delivered() ? quiet + 1 : 0;
    }
    ASSERT_TRUE(d.idle_o) << "idle_o still low " << settle << " cycles after burst " << burst << " drained";
  }
  EXPECT_EQ(t.errors, 0u) << "seed stream " << net.sim.seed();
  net.check_counters();
  EXPECT_GT(idle_edges, 0u);
  EXPECT_GT(busy_edges, 0u);
}

}  // namespace
