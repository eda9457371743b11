// Harness for ring_coll_top (N collective engines on the ring): loads and reads every node's
// buffer through its host port, issues commands with a random start skew per node, waits for
// completion with a watchdog, and keeps a C++ mirror of every buffer that the reference
// (tb/ref/ring_ref) updates for each operation, so a test compares whole regions bit for bit.
// Used by tests/ring/ring_coll_test.cpp and bench/ring_bench.cpp. The model is PNM_MODEL with
// parameters PNM_P_NumNodes, PNM_P_FlitBytes, PNM_P_VcDepth, PNM_P_LinkLatency, PNM_P_BufFlits.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <type_traits>
#include <vector>

#include PNM_MODEL_HEADER
#include "ring_ref.hpp"
#include "rng.hpp"
#include "sim.hpp"

namespace pnm::tb::ring {

constexpr unsigned kNodes = PNM_P_NumNodes;
constexpr unsigned kElems = PNM_P_FlitBytes / 4;     // INT32 elements per flit
constexpr unsigned kBufFlits = PNM_P_BufFlits;
constexpr unsigned kBufElems = kBufFlits * kElems;
constexpr unsigned kLinkLatency = PNM_P_LinkLatency;
constexpr unsigned kChunkFlits = (PNM_P_VcDepth - 1) / 2;  // as ring_coll_top derives it

// ring_pkg::RING_OP_* and RING_ERR_*.
enum Op : uint32_t { kAllReduce = 1, kAllGather = 2, kBroadcast = 3, kSend = 4, kRecv = 5 };
enum Err : uint32_t { kErrNone = 0, kErrOp = 1, kErrLen = 2, kErrRange = 3, kErrPeer = 4 };

inline const char* op_name(uint32_t op) {
  switch (op) {
    case kAllReduce: return "allreduce";
    case kAllGather: return "allgather";
    case kBroadcast: return "broadcast";
    case kSend: return "send";
    case kRecv: return "recv";
    default: return "illegal";
  }
}

struct Cmd {
  uint32_t op = kAllReduce;
  uint32_t len = 1;   // elements (per node for ALLGATHER)
  uint32_t base = 0;  // flit
  uint32_t peer = 0;
};

inline uint32_t flits_of(uint32_t len) { return (len + kElems - 1) / kElems; }

// Word k of a flat port vector (VlWide) or of a port of up to 64 bits.
template <std::size_t N>
uint32_t word(const VlWide<N>& v, unsigned k) { return v[k]; }
template <class T>
uint32_t word(const T& v, unsigned k) { return static_cast<uint32_t>(static_cast<uint64_t>(v) >> (32 * k)); }
template <std::size_t N>
void set_word(VlWide<N>& v, unsigned k, uint32_t x) { v[k] = x; }
template <class T>
void set_word(T& v, unsigned k, uint32_t x) {
  uint64_t u = static_cast<uint64_t>(v);
  u &= ~(0xffffffffull << (32 * k));
  u |= static_cast<uint64_t>(x) << (32 * k);
  v = static_cast<T>(u);
}
template <class T>
bool bit(const T& v, unsigned k) { return (static_cast<uint64_t>(v) >> k) & 1u; }
template <class T>
void set_bit(T& v, unsigned k, bool b) {
  v = static_cast<T>(b ? (v | (T{1} << k)) : (v & ~(T{1} << k)));
}
template <class V>
uint64_t counter(const V& v, unsigned i) {
  return static_cast<uint64_t>(word(v, 2 * i)) | static_cast<uint64_t>(word(v, 2 * i + 1)) << 32;
}

// Per-node command queues, offered after a random delay each; counts done and error pulses.
class Commander : public Component {
 public:
  Commander(PNM_MODEL& dut, Rng& rng) : dut_(dut), rng_(rng) {}

  unsigned max_skew = 0;  // random idle cycles before each command, per node

  void push(unsigned node, const Cmd& c) {
    q_[node].push_back(c);
    ++issued;
  }
  void drive() override {
    for (unsigned n = 0; n < kNodes; ++n) {
      if (!offering_[n] && !q_[n].empty()) {
        if (wait_[n] < 0) wait_[n] = max_skew ? static_cast<int>(rng_.range(0, max_skew)) : 0;
        if (wait_[n] == 0) {
          offering_[n] = true;
          wait_[n] = -1;
        } else {
          --wait_[n];
        }
      }
      set_bit(dut_.cmd_valid_i, n, offering_[n]);
      if (offering_[n]) {
        const Cmd& c = q_[n].front();
        set_word(dut_.cmd_op_i, n, c.op);
        set_word(dut_.cmd_len_i, n, c.len);
        set_word(dut_.cmd_base_i, n, c.base);
        set_word(dut_.cmd_peer_i, n, c.peer);
      }
    }
  }
  void sample() override {
    ++cycle_;
    for (unsigned n = 0; n < kNodes; ++n) {
      if (bit(dut_.err_valid_o, n)) {
        errors.push_back({n, word(dut_.err_code_o, n)});
      }
      if (bit(dut_.done_o, n)) ++done[n];
      if (offering_[n] && bit(dut_.cmd_ready_o, n)) {
        q_[n].pop_front();
        offering_[n] = false;
        ++accepted;
      }
    }
  }
  bool idle() const {
    for (unsigned n = 0; n < kNodes; ++n) {
      if (!q_[n].empty() || offering_[n]) return false;
    }
    return true;
  }

  struct ErrorPulse {
    unsigned node;
    uint32_t code;
  };
  std::vector<ErrorPulse> errors;
  uint64_t done[kNodes] = {};
  uint64_t issued = 0, accepted = 0;

 private:
  PNM_MODEL& dut_;
  Rng& rng_;
  std::deque<Cmd> q_[kNodes];
  bool offering_[kNodes] = {};
  int wait_[kNodes] = {};
  uint64_t cycle_ = 0;
};

class Bench {
 public:
  using Mem = std::vector<std::vector<int32_t>>;  // [node][element]

  Bench(const std::string& name, uint64_t seed)
      : sim(name, seed), rng(sim.seed()), cmd(sim.dut(), rng), mem(kNodes, std::vector<int32_t>(kBufElems)) {
    auto& d = sim.dut();
    d.cmd_valid_i = 0;
    d.buf_valid_i = 0;
    d.buf_we_i = 0;
    sim.reset();
    sim.add(cmd);
  }

  Sim<PNM_MODEL> sim;
  Rng rng;
  Commander cmd;
  Mem mem;  // what every buffer must hold

  // Random contents for flits [lo, hi) of every node, written to the RTL and the mirror.
  void fill_random(uint32_t lo, uint32_t hi) {
    auto& d = sim.dut();
    for (uint32_t f = lo; f < hi; ++f) {
      d.buf_valid_i = static_cast<std::remove_reference_t<decltype(d.buf_valid_i)>>((1u << kNodes) - 1);
      d.buf_we_i = d.buf_valid_i;
      for (unsigned n = 0; n < kNodes; ++n) {
        set_word(d.buf_addr_i, n, f);
        set_word(d.buf_wmask_i, n, (1u << kElems) - 1);
        for (unsigned e = 0; e < kElems; ++e) {
          const int32_t v = static_cast<int32_t>(rng.next());
          mem[n][f * kElems + e] = v;
          d.buf_wdata_i[n * kElems + e] = static_cast<uint32_t>(v);
        }
      }
      sim.step();
    }
    d.buf_valid_i = 0;
    d.buf_we_i = 0;
  }

  // Reads flits [lo, hi) of every node and compares with the mirror; returns mismatching
  // elements and prints the first few (node, element, expected, actual).
  uint64_t check(uint32_t lo, uint32_t hi, const std::string& what) {
    auto& d = sim.dut();
    uint64_t bad = 0;
    for (uint32_t f = lo; f < hi; ++f) {
      d.buf_valid_i = static_cast<std::remove_reference_t<decltype(d.buf_valid_i)>>((1u << kNodes) - 1);
      d.buf_we_i = 0;
      for (unsigned n = 0; n < kNodes; ++n) set_word(d.buf_addr_i, n, f);
      sim.step();
      d.buf_valid_i = 0;
      for (unsigned n = 0; n < kNodes; ++n) {
        for (unsigned e = 0; e < kElems; ++e) {
          const int32_t got = static_cast<int32_t>(d.buf_rdata_o[n * kElems + e]);
          const int32_t want = mem[n][f * kElems + e];
          if (got != want && bad++ < 8) {
            std::printf("%s: node %u element %u: expected %d, got %d (seed stream %llu)\n",
                        what.c_str(), n, f * kElems + e, want, got,
                        static_cast<unsigned long long>(sim.seed()));
          }
        }
      }
    }
    return bad;
  }

  // Issues `c` on every node (a collective), updates the mirror, waits until all are done.
  // Returns the slowest node's accept-to-done cycles (the engine's counter).
  uint64_t run_collective(const Cmd& c) {
    for (unsigned n = 0; n < kNodes; ++n) cmd.push(n, c);
    apply(c);
    wait_all_done();
    uint64_t slowest = 0;
    for (unsigned n = 0; n < kNodes; ++n) {
      slowest = std::max(slowest, counter(sim.dut().cnt_last_cycles_o, n));
    }
    return slowest;
  }

  // Point-to-point: SEND on src, RECV on dst.
  void run_p2p(unsigned src, unsigned dst, uint32_t len, uint32_t base) {
    cmd.push(src, {kSend, len, base, dst});
    cmd.push(dst, {kRecv, len, base, src});
    std::copy_n(mem[src].begin() + base * kElems, len, mem[dst].begin() + base * kElems);
    wait_all_done();
  }

  // The mirror after collective c (the same command on every node).
  void apply(const Cmd& c) {
    const uint32_t e0 = c.base * kElems;
    pnm::ref::NodeVectors in(kNodes);
    if (c.op == kAllGather) {
      const uint32_t stride = flits_of(c.len) * kElems;
      for (unsigned n = 0; n < kNodes; ++n) {
        in[n].assign(mem[n].begin() + e0 + n * stride, mem[n].begin() + e0 + n * stride + c.len);
      }
      const auto out = pnm::ref::ring_allgather(in);
      for (unsigned n = 0; n < kNodes; ++n) {
        for (unsigned j = 0; j < kNodes; ++j) {
          std::copy_n(out[n].begin() + j * c.len, c.len, mem[n].begin() + e0 + j * stride);
        }
      }
      return;
    }
    for (unsigned n = 0; n < kNodes; ++n) in[n].assign(mem[n].begin() + e0, mem[n].begin() + e0 + c.len);
    const auto out = c.op == kAllReduce ? pnm::ref::ring_allreduce(in) : pnm::ref::ring_broadcast(in, c.peer);
    for (unsigned n = 0; n < kNodes; ++n) std::copy(out[n].begin(), out[n].end(), mem[n].begin() + e0);
  }

  // Flits of the buffer a collective touches.
  static uint32_t region_flits(const Cmd& c) {
    return c.op == kAllGather ? kNodes * flits_of(c.len) : flits_of(c.len);
  }

  void wait_all_done() {
    uint64_t last_progress = sim.cycle();
    uint64_t last_sum = done_sum();
    while (!cmd.idle() || done_sum() < cmd.issued - static_cast<uint64_t>(cmd.errors.size())) {
      sim.step();
      const uint64_t s = done_sum();
      if (s != last_sum) {
        last_sum = s;
        last_progress = sim.cycle();
      }
      if (sim.cycle() - last_progress > 200000) {
        throw SimError("ring collectives: watchdog, no command finished for 200000 cycles (" +
                       std::to_string(s) + " of " + std::to_string(cmd.issued) +
                       " done; seed stream " + std::to_string(sim.seed()) + ")");
      }
    }
  }

  uint64_t done_sum() const {
    uint64_t s = 0;
    for (unsigned n = 0; n < kNodes; ++n) s += cmd.done[n];
    return s;
  }

  // Flits a node sends per direction for a collective, from the schedule of docs/ring.md.
  static uint64_t expected_out_flits(const Cmd& c, unsigned node) {
    uint64_t total = 0;
    const uint32_t f = flits_of(c.len);
    for (unsigned d = 0; d < 2; ++d) {
      // Flits of the vector with (global flit mod 2) == d.
      auto share = [&](uint32_t first, uint32_t count) {
        const uint32_t lo = (first + 1 - d) / 2, hi = (first + count + 1 - d) / 2;
        return hi - lo;
      };
      if (c.op == kAllReduce) {
        uint32_t rem = share(c.base, f);
        while (rem > 0) {
          const uint32_t x = std::min(rem, kNodes * kChunkFlits);
          const uint32_t q = (x + kNodes - 1) / kNodes;
          total += uint64_t(2 * kNodes - 2) * q;
          rem -= std::min(rem, kNodes * q);
        }
      } else if (c.op == kAllGather) {
        total += uint64_t(kNodes - 1) * ((f + 1) / 2);
      } else if (c.op == kBroadcast) {
        const unsigned dist = d == 0 ? (node + kNodes - c.peer) % kNodes : (c.peer + kNodes - node) % kNodes;
        if (dist < kNodes - 1) total += share(c.base, f);
      }
    }
    return total;
  }
};

}  // namespace pnm::tb::ring
