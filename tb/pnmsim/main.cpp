// pnmsim: the main job (DESIGN.md section 7). Loads and checks the system and model
// configuration, compiles the decode (firmware/include/pnm/decode.hpp), replays it on the
// Verilated pnm_system with every device result checked (tb/host/decode_runner.hpp), and prints
// the report (text, and JSON with --report). --summary prints the configuration's figures only.
// Exit codes: 0 PASS, 1 FAIL (mismatch, device error, incomplete run), 2 bad input.
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <type_traits>

#include <unistd.h>

#include "config.hpp"
#include "decode_runner.hpp"
#include "json_writer.hpp"
#include "options.hpp"
#include "report.hpp"
#include "trace.hpp"
#include PNM_MODEL_HEADER
#ifdef PNM_SPLIT_NODE
#include PNM_SPLIT_NODE_HEADER
#include PNM_SPLIT_NODE_ROOT_HEADER  // the model's internals: split_system.hpp's clock shortcut
#include PNM_SPLIT_RING_HEADER
#include "split_system.hpp"
#endif

namespace {
using namespace pnm;

#ifdef PNM_SPLIT_NODE
constexpr unsigned clog2(unsigned v) { return v <= 1 ? 0 : 1 + clog2((v + 1) / 2); }
// The same RTL as PNM_MODEL, one Verilated model per node plus the ring (tb/common/split_system.hpp).
using SplitModel = tb::SplitSystem<PNM_SPLIT_NODE, PNM_SPLIT_RING, PNM_P_SimNodes,
                                   PNM_P_FlitBytes * 8 + clog2(PNM_P_SimNodes)>;
#endif

template <class Model>
host::DecodeResult run_decode(const fw::decode::ModelShape& ms, const fw::decode::SystemShape& ss,
                              const host::DecodeOptions& dopt, const tb::WaveOptions& waves,
                              const cfg::ModelConfig& model, unsigned threads, unsigned quiet_window) {
  host::DecodeRunner<Model> runner(ms, ss, dopt, waves);
  runner.set_float_params(model.rope_theta, model.norm_eps);
  if constexpr (!std::is_same_v<Model, PNM_MODEL>) {
    runner.sim().dut().set_threads(threads);
    runner.sim().dut().set_quiet_window(quiet_window);
  }
  host::DecodeResult r = runner.run();
  if constexpr (!std::is_same_v<Model, PNM_MODEL>) {
    r.quiet_cycles = runner.sim().dut().quiet_cycles();
    r.falls_skipped = runner.sim().dut().falls_skipped();
    r.quiet_windows = runner.sim().dut().quiet_windows();
  }
  return r;
}

// The RTL parameters this pnmsim was built with must be the configuration's (Verilator fixes
// parameters at build time). Returns "<field>: <reason>" for the first that differs, or "".
std::string build_mismatch(const cfg::SystemConfig& c) {
  struct P {
    const char* field;
    uint64_t cfg, built;
  };
  const P ps[] = {{"system.nodes", c.system.nodes, PNM_P_SimNodes},
                  {"flash.channels", c.flash.channels, PNM_P_Channels},
                  {"flash.dies_per_channel", c.flash.dies_per_channel, PNM_P_Dies},
                  {"flash.planes_per_die", c.flash.planes_per_die, PNM_P_Planes},
                  {"flash.blocks_per_plane", c.flash.blocks_per_plane, PNM_P_Blocks},
                  {"flash.pages_per_block", c.flash.pages_per_block, PNM_P_Pages},
                  {"flash.page_bytes", c.flash.page_bytes, PNM_P_PageBytes},
                  {"flash.channel_bytes_per_cycle", c.flash.channel_bytes_per_cycle, PNM_P_ChBytes},
                  {"flash.reorder_pages", c.flash.reorder_pages, PNM_P_RobPages},
                  {"gemv.lane_bytes", c.gemv.lane_bytes, PNM_P_LaneBytes},
                  {"gemv.max_batch", c.gemv.max_batch, PNM_P_MaxBatch},
                  {"gemv.max_k", c.gemv.max_k, PNM_P_MaxK},
                  {"ring.flit_bytes", c.ring.flit_bytes, PNM_P_FlitBytes},
                  {"ring.link_latency_cycles", c.ring.link_latency_cycles, PNM_P_LinkLatency},
                  {"ring.vc_buffer_flits", c.ring.vc_buffer_flits, PNM_P_VcDepth}};
  for (const P& p : ps) {
    if (p.cfg != p.built) {
      return std::string(p.field) + ": this pnmsim simulates RTL built with " + std::to_string(p.built) + ", the file asks for " +
             std::to_string(p.cfg) +
             (std::string(p.field) == "system.nodes" ? " (build pnmsim_n" + std::to_string(p.cfg) + ": cmake --build build --target pnmsim_n" +
                                                           std::to_string(p.cfg) + ")"
                                                     : " (RTL parameters are fixed when Verilated; see tb/CMakeLists.txt)");
    }
  }
  if (c.flash.outstanding_per_channel > PNM_P_Outstanding) {
    return "flash.outstanding_per_channel: at most " + std::to_string(PNM_P_Outstanding) + " in this build";
  }
  return "";
}

int field_line(const cfg::SystemConfig& c, const std::string& field) {
  const auto it = c.lines.find(field);
  return it == c.lines.end() ? 0 : it->second;
}

double gib(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0); }

}  // namespace

int main(int argc, char** argv) {
  sim::Options opt = sim::parse_command_line(argc, argv);
  cfg::SystemConfig sys;
  cfg::ModelConfig model;
  try {
    sys = cfg::load_system_config(opt.config);
    model = cfg::load_model_config(opt.model);
  } catch (const cfg::ConfigError& e) {
    std::fprintf(stderr, "pnmsim: %s\n", e.what());
    return 2;
  }
  if (opt.layers && *opt.layers > model.layers) {
    std::fprintf(stderr, "pnmsim: --layers: %u exceeds the %u layers of %s\n", *opt.layers,
                 model.layers, model.name.c_str());
    return 2;
  }
  if (opt.batch > sys.gemv.max_batch) {
    std::fprintf(stderr, "pnmsim: --batch: %u exceeds gemv.max_batch %u of %s\n", opt.batch,
                 sys.gemv.max_batch, sys.source.c_str());
    return 2;
  }
  const cfg::SystemDerived sd = cfg::derive(sys);
  const cfg::ModelDerived md = cfg::derive(model);
  const double roofline = cfg::roofline_tokens_per_s(sys, model);
  const uint64_t per_node_weights = md.stored_weight_bytes / sys.system.nodes;

  std::printf("pnmsim: system '%s' (%s), model '%s' (%s)\n", sys.name.c_str(), sys.source.c_str(),
              model.name.c_str(), model.source.c_str());
  std::printf("  nodes                      %u at %.2f MHz\n", sys.system.nodes, sys.system.clock_mhz);
  std::printf("  flash per node             %u ch x %u dies x %u planes, %u B pages, tR %.0f ns (%.0f cycles)\n",
              sys.flash.channels, sys.flash.dies_per_channel, sys.flash.planes_per_die,
              sys.flash.page_bytes, sys.flash.tR_ns, sd.tR_cycles);
  std::printf("  flash bandwidth per node   %llu B/cycle = %.1f GB/s\n",
              static_cast<unsigned long long>(sd.node_bytes_per_cycle), sd.node_flash_gbps);
  std::printf("  flash bandwidth total      %.1f GB/s\n", sd.total_flash_gbps);
  std::printf("  reads in flight per node   needed %.1f (Little's law), allowed %llu\n",
              sd.reads_in_flight_needed, static_cast<unsigned long long>(sd.reads_in_flight_max));
  std::printf("  capacity per node          %.1f GiB (weights need %.2f GiB per node)\n",
              gib(sd.node_capacity_bytes), gib(per_node_weights));
  std::printf("  GEMV                       %u lanes, batch <= %u, K <= %u\n", sys.gemv.lane_bytes,
              sys.gemv.max_batch, sys.gemv.max_k);
  std::printf("  ring                       %u B flits, link latency %u cycles\n",
              sys.ring.flit_bytes, sys.ring.link_latency_cycles);
  std::printf("  model                      %u layers, hidden %u, heads %u/%u kv, ffn %u, vocab %u, %s\n",
              model.layers, model.hidden, model.heads, model.kv_heads, model.ffn, model.vocab,
              cfg::to_string(model.weights));
  std::printf("  weight bytes per token     %.3f GB\n", static_cast<double>(md.weight_bytes_per_token) / 1e9);
  std::printf("  roofline (batch 1)         %.1f tokens/s = total flash bandwidth / weight bytes per token\n",
              roofline);
  const bool fits = per_node_weights <= sd.node_capacity_bytes;
  if (!fits) std::printf("  WARNING: the model's weights do not fit in the nodes' flash\n");

  if (opt.summary) {
    if (!opt.report.empty()) {
      JsonWriter j;
      j.begin_object();
      j.field("mode", "config_summary");
      j.field("decode_replayed", false);
      host::config_json(j, sys);
      host::model_json(j, model);
      j.begin_object("derived")
          .field("node_bytes_per_cycle", sd.node_bytes_per_cycle)
          .field("node_flash_gbps", sd.node_flash_gbps)
          .field("total_flash_gbps", sd.total_flash_gbps)
          .field("tR_cycles", sd.tR_cycles)
          .field("reads_in_flight_needed", sd.reads_in_flight_needed)
          .field("reads_in_flight_max", sd.reads_in_flight_max)
          .field("node_capacity_bytes", sd.node_capacity_bytes)
          .field("weights_fit", fits)
          .field("roofline_tokens_per_s", roofline)
          .end_object();
      j.end_object();
      std::ofstream out(opt.report);
      out << j.str() << "\n";
      if (!out) {
        std::fprintf(stderr, "pnmsim: --report: cannot write %s\n", opt.report.c_str());
        return 2;
      }
    }
    return 0;
  }

  // ---- decode replay ----
  const std::string mismatch = build_mismatch(sys);
  if (!mismatch.empty()) {
    const std::string field = mismatch.substr(0, mismatch.find(':'));
    const int line = field_line(sys, field);
    std::fprintf(stderr, "pnmsim: %s%s: %s\n", sys.source.c_str(), line ? (":" + std::to_string(line)).c_str() : "",
                 mismatch.c_str());
    return 2;
  }
  host::DecodeOptions dopt;
  dopt.tokens = opt.tokens;
  dopt.batch = opt.batch;
  dopt.layers = opt.layers ? *opt.layers : 0;
  dopt.seed = opt.seed;
  dopt.axi_rate = opt.axi_rate;
  dopt.tR_cycles = static_cast<uint32_t>(sd.tR_cycles + 0.5);
  dopt.ch_bytes = sys.flash.channel_bytes_per_cycle;
  dopt.cache_read = sys.flash.cache_read;
  dopt.raw_bit_error_rate = sys.flash.raw_bit_error_rate;
  dopt.progress = isatty(fileno(stderr));
  dopt.trace_out = opt.trace_out;
  host::Trace trace;
  if (!opt.trace_in.empty()) {
    try {
      trace = host::read_trace(opt.trace_in);
    } catch (const cfg::ConfigError& e) {
      std::fprintf(stderr, "pnmsim: %s\n", e.what());
      return 2;
    }
    const host::TraceRun& r = trace.run;
    auto bad = [&](const char* field, const std::string& why) {
      std::fprintf(stderr, "pnmsim: %s: run.%s: %s\n", opt.trace_in.c_str(), field, why.c_str());
      return 2;
    };
    if (r.model != model.name) return bad("model", "the trace is of '" + r.model + "', --model is '" + model.name + "'");
    if (r.nodes != sys.system.nodes) return bad("nodes", "the trace has " + std::to_string(r.nodes) + " nodes, the system " + std::to_string(sys.system.nodes));
    if (r.batch > sys.gemv.max_batch) return bad("batch", "exceeds gemv.max_batch " + std::to_string(sys.gemv.max_batch));
    if (r.layers == 0 || r.layers > model.layers) return bad("layers", "must be in [1, " + std::to_string(model.layers) + "]");
    if (trace.token_inputs.empty()) return bad("token", "the trace has no token line");
    for (const auto& toks : trace.token_inputs) {
      for (uint32_t t : toks) {
        if (t >= model.vocab) return bad("inputs", "token " + std::to_string(t) + " is not below the vocabulary " + std::to_string(model.vocab));
      }
    }
    dopt.tokens = r.tokens;
    dopt.batch = r.batch;
    dopt.layers = r.layers;
    dopt.seed = r.seed;
    dopt.replay = &trace;
  }
  dopt.model_name = model.name;
  dopt.timeline = opt.timeline;
  dopt.ns_per_cycle = 1000.0 / sys.system.clock_mhz;
  dopt.counters = !opt.counters.empty();
  dopt.counters_per_op = opt.counters_per_op;
  dopt.wave_op = opt.wave_op ? static_cast<int64_t>(*opt.wave_op) : -1;
  // Output files are checked before the run, not after minutes of simulation.
  for (const auto& [flag, path] : {std::pair<const char*, std::string>{"--timeline", opt.timeline},
                                   {"--counters", opt.counters}, {"--report", opt.report}, {"--wave", opt.wave}}) {
    if (path.empty()) continue;
    std::FILE* f = std::fopen(path.c_str(), "a");
    if (!f) {
      std::fprintf(stderr, "pnmsim: %s: cannot write %s\n", flag, path.c_str());
      return 2;
    }
    std::fclose(f);
  }

  const fw::decode::ModelShape ms = host::model_shape(model);
  fw::decode::SystemShape ss;
  ss.nodes = sys.system.nodes;
  ss.lane_bytes = sys.gemv.lane_bytes;
  ss.max_batch = sys.gemv.max_batch;
  ss.max_k = sys.gemv.max_k;
  ss.result_elems = PNM_P_BufFlits * PNM_P_FlitBytes / 4;
  ss.flit_elems = PNM_P_FlitBytes / 4;
  ss.flash_bytes = sd.node_capacity_bytes;
  const fw::decode::Fit fit = fw::decode::Compiler(ms, ss, dopt.batch).check();
  if (fit != fw::decode::Fit::kOk) {
    std::fprintf(stderr, "pnmsim: %s: cannot place on %s: %s\n", model.source.c_str(), sys.source.c_str(),
                 fw::decode::fit_reason(fit));
    return 2;
  }

  tb::WaveOptions waves;
  waves.path = opt.wave;
  waves.start = opt.wave_start;
  if (opt.wave_end) waves.end = *opt.wave_end;
  waves.scope = opt.wave_scope;
  // The split model unless waves are written (they need one model, one hierarchy) or asked for.
  const bool split = opt.sim_model.empty() ? opt.wave.empty() : opt.sim_model == "split";
  host::DecodeResult res;
#ifdef PNM_SPLIT_NODE
  if (split && opt.threads_auto && std::thread::hardware_concurrency() >= 2) opt.threads = 2;
  if (split) {
    dopt.sim_model = "split: " + std::to_string(PNM_P_SimNodes) + " pnm_node models and one ring_fabric model" +
                     (opt.threads > 1 ? ", on 2 threads" : "");
    // Two simulation threads take both cores: the reference then runs after each step.
    dopt.reference_beside = opt.threads < 2;
    // A quiet window no longer than the link latency is exact (split_system.hpp).
    const unsigned window = opt.quiet_window.value_or(PNM_P_LinkLatency);
    res = run_decode<SplitModel>(ms, ss, dopt, waves, model, opt.threads, window);
  } else {
    dopt.sim_model = "single pnm_system model";
    res = run_decode<PNM_MODEL>(ms, ss, dopt, waves, model, 1, 0);
  }
#else
  if (split && opt.sim_model == "split") {
    std::fprintf(stderr, "pnmsim: --sim-model split: this pnmsim simulates one node; there is no ring to split off\n");
    return 2;
  }
  if (opt.threads > 1) {
    std::fprintf(stderr, "pnmsim: --threads: this pnmsim simulates one node on one thread\n");
    return 2;
  }
  dopt.sim_model = "single pnm_node model";
  res = run_decode<PNM_MODEL>(ms, ss, dopt, waves, model, 1, 0);
#endif
  host::ReportInput in;
  in.sys = &sys;
  in.model = &model;
  in.opt = &dopt;
  in.res = &res;
  in.trace_in = opt.trace_in;
  in.trace_out = opt.trace_out;
  host::print_report(in);
  if (opt.wave_op && !res.wave_op_found) {
    std::printf("  note: --wave-op %llu: the run has %llu device steps (0 .. %llu); no waves were dumped\n",
                static_cast<unsigned long long>(*opt.wave_op), static_cast<unsigned long long>(res.device_steps),
                static_cast<unsigned long long>(res.device_steps ? res.device_steps - 1 : 0));
  } else if (opt.wave_op) {
    std::printf("  waves                      %s: device step %llu, cycles %llu .. %llu (view: %s)\n", opt.wave.c_str(),
                static_cast<unsigned long long>(*opt.wave_op), static_cast<unsigned long long>(res.wave_first),
                static_cast<unsigned long long>(res.wave_last), tb::gtkw_path(opt.wave).c_str());
  }
  if (!opt.timeline.empty() && res.timeline_events) {
    std::printf("  timeline                   %s: %zu events\n", opt.timeline.c_str(), res.timeline_events);
  }
  if (!opt.counters.empty()) {
    if (!host::write_counters_csv(opt.counters, res)) {
      std::fprintf(stderr, "pnmsim: --counters: cannot write %s\n", opt.counters.c_str());
      return 2;
    }
    std::printf("  counters                   %s: %zu rows\n", opt.counters.c_str(), res.counter_rows.size());
  }
  if (!opt.report.empty()) {
    std::ofstream out(opt.report);
    out << host::report_json(in) << "\n";
    if (!out) {
      std::fprintf(stderr, "pnmsim: --report: cannot write %s\n", opt.report.c_str());
      return 2;
    }
  }
  return res.pass ? 0 : 1;
}
