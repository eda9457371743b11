// Simulation-speed benchmark of the Verilated gemv_unit (LaneBytes 64, the default unit): weight
// bytes simulated per wall-clock second, for batch 1 and MaxBatch, INT8 and INT4, with no
// backpressure (the unit at full rate). One JSON line per point on stdout:
//   {"bench":"gemv","lane_bytes":64,"batch":1,"format":"int8","sim_bytes_per_s":...,...}
// Every result of every point is also compared with the reference after the timed run; a
// mismatch exits 1. Not a test: timings depend on the machine (see docs/gemv.md).
// Usage: bench_gemv [--rows R] [--k K] [--seed N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include PNM_MODEL_HEADER
#include "gemv_tb.hpp"
#include "json_writer.hpp"

namespace {
using namespace pnm::tb;
using namespace pnm::tb::gemv;

constexpr Params kP{PNM_P_LaneBytes, PNM_P_MaxBatch, PNM_P_MaxK, PNM_P_RqEntries};

bool run_point(uint32_t rows, uint32_t k, uint32_t batch, bool int4, uint64_t seed) {
  Bench<PNM_MODEL> b(kP, "bench_gemv", seed, Backpressure::none(), Backpressure::none());
  for (uint32_t s = 0; s < batch; ++s) {
    std::vector<int8_t> x(k);
    for (auto& v : x) v = static_cast<int8_t>(b.rng.next());
    b.write_vector(s, 0, x);
  }
  Op op;
  op.rows = rows;
  op.k = k;
  op.int4 = int4;
  op.batch = batch;
  op.weights = b.random_weights(op);
  const uint64_t bytes = op.weights.size();
  b.submit(op);  // computes the expected results before the clock starts
  const uint64_t c0 = b.sim.cycle();
  const auto t0 = std::chrono::steady_clock::now();
  b.run_to_completion(100ull * bytes / kP.lane_bytes + 1000, 0);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const uint64_t cycles = b.sim.cycle() - c0;
  const std::string m = b.mismatches();
  pnm::JsonWriter j;
  j.begin_object()
      .field("bench", "gemv")
      .field("lane_bytes", kP.lane_bytes)
      .field("batch", batch)
      .field("format", int4 ? "int4" : "int8")
      .field("rows", rows)
      .field("k", k)
      .field("weight_bytes", bytes)
      .field("cycles", cycles)
      .field("wall_s", wall)
      .field("sim_bytes_per_s", static_cast<double>(bytes) / wall)
      .field("sim_cycles_per_s", static_cast<double>(cycles) / wall)
      .field("sim_macs_per_s", static_cast<double>(b.expected_macs()) / wall)
      .field("bytes_per_cycle", static_cast<double>(bytes) / static_cast<double>(cycles))
      .field("results_match", m.empty())
      .end_object();
  std::printf("%s\n", j.str().c_str());
  std::fflush(stdout);
  if (!m.empty()) std::fprintf(stderr, "bench_gemv: results differ from the reference:\n%s", m.c_str());
  return m.empty();
}

uint32_t arg_value(int& i, int argc, char** argv) {
  if (i + 1 >= argc) {
    std::fprintf(stderr, "bench_gemv: %s needs a value\n", argv[i]);
    std::exit(2);
  }
  char* end = nullptr;
  const unsigned long v = std::strtoul(argv[++i], &end, 0);
  if (*end != '\0' || v == 0) {
    std::fprintf(stderr, "bench_gemv: %s: '%s' is not a positive integer\n", argv[i - 1], argv[i]);
    std::exit(2);
  }
  return static_cast<uint32_t>(v);
}
}  // namespace

int main(int argc, char** argv) {
  uint32_t rows = 2048;
  uint32_t k = 4096;  // Llama-2-7B hidden size
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rows")) rows = arg_value(i, argc, argv);
    else if (!std::strcmp(argv[i], "--k")) k = arg_value(i, argc, argv);
    else if (!std::strcmp(argv[i], "--seed")) seed = arg_value(i, argc, argv);
    else {
      std::fprintf(stderr, "usage: bench_gemv [--rows R] [--k K] [--seed N]\n");
      return 2;
    }
  }
  if (k > kP.max_k) {
    std::fprintf(stderr, "bench_gemv: --k: %u exceeds MaxK %u\n", k, kP.max_k);
    return 2;
  }
  bool ok = true;
  for (bool int4 : {false, true}) {
    for (uint32_t batch : {1u, kP.max_batch}) ok = run_point(rows, k, batch, int4, seed) && ok;
  }
  return ok ? 0 : 1;
}
