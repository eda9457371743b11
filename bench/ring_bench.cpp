// Ring benchmark (not a test): on ring_coll_top with this build's node count, the per-hop
// latency (one-element SEND over 1 and 2 hops, RECV completion at the destination) and the
// all-reduce latency for 256 B to 1 MiB against the alpha-beta bound
//   2 (N-1) alpha + 2 (N-1)/N * n / B,  alpha = measured per-hop latency, B = 2 x FlitBytes.
// All nodes start each all-reduce in the same cycle; the latency is the slowest node's
// accept-to-done count. Every result is checked against the reference. One JSON line per point.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ring_coll_tb.hpp"

using namespace pnm::tb;
using namespace pnm::tb::ring;

namespace {
// RECV completion cycles at node `hops` away clockwise from node 0, one element.
uint64_t p2p_cycles(unsigned hops) {
  Bench b("ring_bench_hop", 1);
  b.fill_random(0, 1);
  b.cmd.push(0, {kSend, 1, 0, hops});
  b.cmd.push(hops, {kRecv, 1, 0, 0});
  b.wait_all_done();
  return counter(b.sim.dut().cnt_last_cycles_o, hops);
}
}  // namespace

int main(int argc, char** argv) {
  uint32_t max_bytes = 1u << 20;
  if (argc > 1) max_bytes = static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 0));
  const uint64_t one = p2p_cycles(1);
  const uint64_t alpha = kNodes > 2 ? p2p_cycles(2) - one : 0;
  std::printf("{\"bench\":\"ring_hop\",\"nodes\":%u,\"link_latency\":%u,\"one_hop_send_cycles\":%llu,"
              "\"per_hop_cycles\":%llu}\n",
              kNodes, kLinkLatency, static_cast<unsigned long long>(one),
              static_cast<unsigned long long>(alpha));
  // With two nodes there is no second hop; the router's per-hop latency is link + 2 (ring_net).
  const double a = kNodes > 2 ? static_cast<double>(alpha) : kLinkLatency + 2.0;
  for (uint32_t bytes = 256; bytes <= max_bytes && bytes / 4 <= kBufElems; bytes *= 4) {
    Bench b("ring_bench", 7);
    const uint32_t len = bytes / 4;
    b.fill_random(0, flits_of(len));
    const auto t0 = std::chrono::steady_clock::now();
    const uint64_t cycles = b.run_collective({kAllReduce, len, 0, 0});
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const uint64_t bad = b.check(0, flits_of(len), "bench all-reduce");
    const double bound = pnm::ref::allreduce_bound_cycles(kNodes, bytes, a, 2.0 * PNM_P_FlitBytes);
    std::printf("{\"bench\":\"ring\",\"nodes\":%u,\"bytes\":%u,\"cycles\":%llu,\"bound_cycles\":%.1f,"
                "\"ratio\":%.4f,\"alpha\":%.0f,\"mismatches\":%llu,\"wall_s\":%.3f}\n",
                kNodes, bytes, static_cast<unsigned long long>(cycles), bound, cycles / bound, a,
                static_cast<unsigned long long>(bad), wall);
    std::fflush(stdout);
    if (bad) return 1;
  }
  return 0;
}
