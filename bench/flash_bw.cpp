// Flash bandwidth benchmark (not a test): hbf_ctrl with the die model at 1 GHz, one long
// sequential stream per point, no output backpressure. Efficiency = delivered bytes per cycle /
// raw channel bandwidth (Channels x ChBytes per cycle), measured two ways:
//   efficiency          from the first output beat to the last (sustained, what the issue asks);
//   efficiency_total    from the first request, i.e. including the first tR.
// Sweeps the reads in flight per channel (the cfg_outstanding CSR of one build) for tR = 3 us
// and 50 us. Every byte is also checked against the flash reference; a mismatch exits 1.
// Output: one JSON line per point on stdout, and a CSV (--csv FILE).
// Usage: bench_flash_bw [--mib N] [--csv FILE] [--tr-ns T ...] [--outstanding K ...]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include PNM_MODEL_HEADER
#include "hbf_ctrl_tb.hpp"
#include "json_writer.hpp"

namespace {
using namespace pnm::tb;
using namespace pnm::tb::flash;

struct Point {
  double tr_ns;
  unsigned outstanding;
  uint64_t bytes, cycles_total, cycles_sustained;
  double eff, eff_total, wall_s;
  bool match;
};

Point run(double tr_ns, unsigned outstanding, uint64_t bytes) {
  const Params p = params_of_build();
  FlashTiming t;
  t.tR_cycles = static_cast<uint32_t>(tr_ns);  // 1 GHz: one cycle per ns
  t.ch_bytes = p.ch_bytes;
  t.cache_read = true;
  t.cmd_queue = 1u << 20;
  Bench<PNM_MODEL> b(p, t, "bench_flash_bw", 1, Backpressure::none());
  b.sim.dut().cfg_outstanding_i = outstanding;
  const uint32_t req = 256 * 1024;  // the stream as 256 KiB requests, queued back to back
  for (uint64_t a = 0; a < bytes; a += req) b.submit({a, req, static_cast<uint32_t>(a / req) & 0xff});
  const uint64_t c0 = b.sim.cycle();
  uint64_t first_beat = 0;
  bool seen = false;
  const auto t0 = std::chrono::steady_clock::now();
  b.sim.run_until(
      [&] {
        if (!seen && b.out.count() > 0) {
          seen = true;
          first_beat = b.sim.cycle() - 1;
        }
        return b.out.count() >= bytes / p.lane_bytes;
      },
      400ull * bytes, "the stream");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const uint64_t c1 = b.sim.cycle() - 1;  // the cycle of the last beat
  const double raw = static_cast<double>(p.geometry.channels) * p.ch_bytes;
  Point pt;
  pt.tr_ns = tr_ns;
  pt.outstanding = outstanding;
  pt.bytes = bytes;
  pt.cycles_total = c1 - c0 + 1;
  pt.cycles_sustained = c1 - first_beat + 1;
  pt.eff = static_cast<double>(bytes) / static_cast<double>(pt.cycles_sustained) / raw;
  pt.eff_total = static_cast<double>(bytes) / static_cast<double>(pt.cycles_total) / raw;
  pt.wall_s = wall;
  b.sim.run(4);
  const std::string m = b.mismatches();
  pt.match = m.empty();
  if (!m.empty()) std::fprintf(stderr, "bench_flash_bw: data differs from the reference:\n%s", m.c_str());
  return pt;
}

std::vector<unsigned> parse_list(const char* s) {
  std::vector<unsigned> v;
  for (const char* q = s; *q;) {
    char* end = nullptr;
    const unsigned long x = std::strtoul(q, &end, 10);
    if (end == q || x == 0) {
      std::fprintf(stderr, "bench_flash_bw: '%s' is not a comma-separated list of positive integers\n", s);
      std::exit(2);
    }
    v.push_back(static_cast<unsigned>(x));
    q = *end == ',' ? end + 1 : end;
    if (*end && *end != ',') {
      std::fprintf(stderr, "bench_flash_bw: '%s' is not a comma-separated list of positive integers\n", s);
      std::exit(2);
    }
  }
  return v;
}
}  // namespace

int main(int argc, char** argv) {
  std::vector<unsigned> trs = {3000, 50000};
  std::vector<unsigned> outs = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 24, 32, 48, 64, 96, 128};
  unsigned mib = 4;
  std::string csv;
  for (int i = 1; i < argc; ++i) {
    const bool has = i + 1 < argc;
    if (!std::strcmp(argv[i], "--mib") && has) mib = parse_list(argv[++i]).at(0);
    else if (!std::strcmp(argv[i], "--csv") && has) csv = argv[++i];
    else if (!std::strcmp(argv[i], "--tr-ns") && has) trs = parse_list(argv[++i]);
    else if (!std::strcmp(argv[i], "--outstanding") && has) outs = parse_list(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_flash_bw [--mib N] [--csv FILE] [--tr-ns T,..] [--outstanding K,..]\n");
      return 2;
    }
  }
  FILE* f = csv.empty() ? nullptr : std::fopen(csv.c_str(), "w");
  if (!csv.empty() && !f) {
    std::fprintf(stderr, "bench_flash_bw: --csv: cannot write '%s'\n", csv.c_str());
    return 2;
  }
  const Params p = params_of_build();
  if (f) {
    std::fprintf(f, "channels,dies,planes,page_bytes,ch_bytes,rob_pages,tR_ns,outstanding,bytes,cycles,"
                    "cycles_total,efficiency,efficiency_total\n");
  }
  bool ok = true;
  for (unsigned tr : trs) {
    for (unsigned k : outs) {
      if (k > p.outstanding) continue;
      const Point pt = run(tr, k, static_cast<uint64_t>(mib) << 20);
      ok = ok && pt.match;
      pnm::JsonWriter j;
      j.begin_object()
          .field("bench", "flash_bw")
          .field("channels", p.geometry.channels)
          .field("dies", p.geometry.dies)
          .field("planes", p.geometry.planes)
          .field("page_bytes", p.geometry.page_bytes)
          .field("rob_pages", p.rob_pages)
          .field("tR_ns", static_cast<double>(tr))
          .field("outstanding", k)
          .field("bytes", pt.bytes)
          .field("cycles", pt.cycles_sustained)
          .field("cycles_total", pt.cycles_total)
          .field("efficiency", pt.eff)
          .field("efficiency_total", pt.eff_total)
          .field("wall_s", pt.wall_s)
          .field("data_match", pt.match)
          .end_object();
      std::printf("%s\n", j.str().c_str());
      std::fflush(stdout);
      if (f) {
        std::fprintf(f, "%u,%u,%u,%u,%u,%u,%u,%u,%lu,%lu,%lu,%.5f,%.5f\n", p.geometry.channels, p.geometry.dies,
                     p.geometry.planes, p.geometry.page_bytes, p.ch_bytes, p.rob_pages, tr, k,
                     static_cast<unsigned long>(pt.bytes), static_cast<unsigned long>(pt.cycles_sustained),
                     static_cast<unsigned long>(pt.cycles_total), pt.eff, pt.eff_total);
      }
    }
  }
  if (f) std::fclose(f);
  return ok ? 0 : 1;
}
