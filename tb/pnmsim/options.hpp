// Options of the pnmsim command line (DESIGN.md section 7), filled by cli.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pnm::sim {

struct Options {
  std::string config = "sim_configs/default.yaml";
  std::string model = "sim_configs/models/llama2_7b.yaml";
  uint32_t tokens = 1;
  std::optional<uint32_t> layers;  // first L layers only
  uint32_t batch = 1;
  uint64_t seed = 1;
  std::string wave;                // .fst (default) or .vcd
  uint64_t wave_start = 0;
  std::optional<uint64_t> wave_end;
  std::string wave_scope;
  std::optional<uint64_t> wave_op; // waves of device step K only
  std::string timeline;            // trace-event JSON
  std::string counters;            // counters CSV
  bool counters_per_op = false;
  std::string trace_out;
  std::string trace_in;
  std::string report;              // JSON report path
  bool summary = false;            // configuration figures only, no simulation
  double axi_rate = 1.0;           // host port beat probability (< 1: random backpressure)
  std::string sim_model;           // "split", "single" or "" (split, or single when waves are written)
  unsigned threads = 1;            // split model: 2 evaluates half the nodes on a second thread
  bool threads_auto = false;       // --threads auto: 2 for the split model on a machine of 2+ cores
  std::optional<unsigned> quiet_window;  // split model, 2 threads: cycles per quiet window (default: the link latency)
};

// Parses argv. On --help prints usage and exits 0; on a bad option prints one line and exits 2.
Options parse_command_line(int argc, char** argv);

}  // namespace pnm::sim
