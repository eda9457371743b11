// Options and results of a decode run (decode_runner.hpp), shared by pnmsim, its report and the
// system tests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pnm::host {

struct Trace;

struct DecodeOptions {
  uint32_t tokens = 1;
  uint32_t batch = 1;
  uint32_t layers = 0;          // first L layers (0: all)
  uint64_t seed = 1;            // weights, inputs, X-state randomisation
  double axi_rate = 1.0;        // host port: probability per cycle of a beat (random backpressure < 1)
  uint32_t tR_cycles = 3000;    // flash die timing (from the system config)
  uint32_t ch_bytes = 8;
  bool cache_read = true;
  double raw_bit_error_rate = 0.0;
  uint64_t watchdog_cycles = 1'000'000;
  uint32_t poll_cycles = 32;    // host polling interval of STATUS
  bool progress = false;        // a progress line on stderr
  std::string trace_out;
  const Trace* replay = nullptr;
  std::function<void(const std::string&)> log = nullptr;  // mismatch and error lines (default stdout)
  std::string model_name;       // for the trace
  // Observability (docs/waves.md).
  std::string timeline;         // --timeline: trace-event JSON
  double ns_per_cycle = 1.0;    // the configured clock, for the timeline's time stamps
  bool counters = false;        // read every node's counters at the end of the run (--counters)
  bool counters_per_op = false; // ... and after every device step (--counters-per-op)
  int64_t wave_op = -1;         // --wave-op K: waves only for device step K (-1: the wave window given)
  std::string sim_model;        // which Verilated model ran ("single pnm_system", "split ..."), for the report
  // The command-level reference of a step runs on a thread of its own while the RTL runs (true),
  // or after the step (false: the simulation already takes both cores, and a third busy thread
  // stalls its hand-overs; docs/decisions.md).
  bool reference_beside = true;
};

// Counter values of one node at one moment (raw register values, cumulative since reset).
struct CounterRow {
  std::string when;   // "op" (after a device step) or "end" (end of the run)
  int64_t op = -1;    // device step index (op rows)
  uint32_t token = 0;
  std::string step;   // the step's name, e.g. "qkv layer 0 tile 0"
  unsigned node = 0;
  uint64_t cycle = 0; // host clock when the counters were read
  std::vector<uint64_t> values;  // regs::kCntCount values, in register order
};

// Cycles of one token (or of all), from node 0's sequencer counters and the host's clock.
struct Bubbles {
  uint64_t tr_wait = 0;     // GEMV cycles before the first weight beat (tR at op starts)
  uint64_t collective = 0;  // all-reduce cycles
  uint64_t host = 0;        // sequencer idle with an empty queue: host transfers, polling, host steps
  uint64_t other = 0;       // the rest above the streaming time (stalls inside GEMVs)
};

struct DecodeResult {
  bool pass = false;
  uint64_t mismatches = 0;
  uint64_t values_checked = 0;
  uint64_t device_ops = 0;             // commands executed (all nodes)
  uint32_t tokens_done = 0;
  uint32_t layers = 0;                 // layers run per token
  std::vector<uint64_t> token_cycles;
  uint64_t cycles = 0;                 // all tokens
  uint64_t weight_bytes_per_token = 0; // model bytes of the layers run + LM head (all nodes)
  uint64_t streamed_bytes = 0;         // GEMV weight bytes (padded rows), all nodes, all tokens
  uint64_t flash_bytes = 0;            // hbf_ctrl bytes delivered (counters), all nodes
  uint64_t stream_cycles = 0;          // node 0 weight bytes / node bandwidth, all tokens
  Bubbles bubbles;                     // all tokens
  std::vector<Bubbles> token_bubbles;  // per token
  std::vector<uint64_t> token_stream_cycles;
  std::vector<CounterRow> counter_rows;  // --counters / --counters-per-op
  uint64_t wave_first = 0, wave_last = 0; // --wave-op: the cycle window written
  bool wave_op_found = false;
  uint64_t device_steps = 0;           // device steps run (the op numbers of --wave-op and --timeline)
  size_t timeline_events = 0;
  uint64_t host_transfer_cycles = 0;   // host clock: AXI transfers of activations, commands, results
  uint64_t ecc_corrected = 0, ecc_uncorrectable = 0;
  uint64_t ring_ops = 0, ring_busy_cycles = 0;
  std::vector<std::vector<uint32_t>> tokens_out;  // [batch entry] generated tokens
  std::vector<double> cosine;                      // per token: device vs float reference, entry 0
  std::string error;                               // device error or reference problem
  double wall_s = 0.0;
  double ref_wall_s = 0.0;                         // time in the reference (beside the RTL or after each step)
  uint64_t quiet_cycles = 0;                       // split model, two threads: cycles with one hand-over
  uint64_t falls_skipped = 0;                      // ... node evaluations at a falling clock left out
  uint64_t quiet_windows = 0;                      // ... hand-overs that ran several quiet cycles
};

}  // namespace pnm::host
