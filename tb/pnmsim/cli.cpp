// pnmsim command line (CLI11 lives only here: it compiles slowly).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>

#include "options.hpp"

namespace pnm::sim {

Options parse_command_line(int argc, char** argv) {
  Options o;
  CLI::App app{"pnmsim: replays LLM decode on the HBF-PNM RTL model and checks every result"};
  app.option_defaults()->always_capture_default();
  // The last of a repeated option wins (scripts/run.sh puts defaults before the user's).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--config", o.config, "system configuration (YAML)");
  app.add_option("--model", o.model, "model shape (YAML)");
  app.add_option("--tokens", o.tokens, "tokens to decode")->check(CLI::Range(1u, 1000000u));
  app.add_option("--layers", o.layers, "decode the first L layers only")->check(CLI::Range(1u, 100000u));
  app.add_option("--batch", o.batch, "sequences decoded together")->check(CLI::Range(1u, 64u));
  app.add_option("--seed", o.seed, "seed of weights, prompts and injected errors");
  app.add_option("--wave", o.wave, "write waves to this file (.fst, or .vcd)");
  app.add_option("--wave-start", o.wave_start, "first cycle in the waves");
  app.add_option("--wave-end", o.wave_end, "last cycle in the waves");
  app.add_option("--wave-scope", o.wave_scope, "hierarchy scope of the waves, e.g. pnm_system.gen_node[1].u_node.u_gemv");
  app.add_option("--wave-op", o.wave_op,
                             "waves of device step K only (0-based; the op numbers of --timeline and --trace-out)");
  app.add_option("--timeline", o.timeline, "write a Chrome/Perfetto trace-event timeline (JSON) to this file");
  auto* cnt = app.add_option("--counters", o.counters, "write every node's performance counters (CSV) to this file");
  app.add_flag("--counters-per-op", o.counters_per_op, "with --counters: also a row per node after every device step")
      ->needs(cnt);
  auto* tout = app.add_option("--trace-out", o.trace_out, "write the workload trace to this file");
  auto* tin = app.add_option("--trace-in", o.trace_in, "replay the workload from this trace file")
                  ->check(CLI::ExistingFile);
  tout->excludes(tin);
  app.add_option("--report", o.report, "write the JSON report to this file");
  app.add_flag("--summary", o.summary, "print the configuration's derived figures only; do not simulate");
  app.add_option("--axi-rate", o.axi_rate, "host port: probability per cycle of a beat (random backpressure)")
      ->check(CLI::Range(0.05, 1.0));
  app.add_option("--sim-model", o.sim_model,
                 "Verilated model: split (one model per node and one for the ring; the default, faster) or single "
                 "(one pnm_system model; the default with --wave)")
      ->check(CLI::IsMember({"split", "single"}));
  std::string threads = "1";
  app.add_option("--threads", threads,
                 "1, 2 or auto: 2 evaluates half the nodes of the split model on a second thread (wants two free "
                 "cores); auto is 2 for the split model on a machine of two cores or more, else 1")
      ->check(CLI::IsMember({"1", "2", "auto"}));
  app.add_option("--quiet-window", o.quiet_window,
                 "split model on two threads: while the ring is idle, each thread runs its nodes up to this many "
                 "cycles per hand-over (0 or 1: one cycle; default: ring.link_latency_cycles, the most that is exact)")
      ->check(CLI::Range(0, 64));
  try {
    app.parse(argc, argv);
    o.threads_auto = threads == "auto";
    o.threads = o.threads_auto ? 1 : static_cast<unsigned>(std::stoul(threads));
    if (o.threads > 1 && (o.sim_model == "single" || (o.sim_model.empty() && !o.wave.empty())))
      throw CLI::ValidationError("--threads", "only the split model runs on two threads (not with --wave or --sim-model single)");
    if (o.sim_model == "split" && !o.wave.empty())
      throw CLI::ValidationError("--sim-model split", "cannot write waves (--wave needs the single pnm_system model)");
    if (o.wave_end && *o.wave_end < o.wave_start)
      throw CLI::ValidationError("--wave-end", "must not be before --wave-start");
    if ((o.wave_end || o.wave_start || !o.wave_scope.empty() || o.wave_op) && o.wave.empty())
      throw CLI::ValidationError("--wave-start/--wave-end/--wave-scope/--wave-op", "need --wave FILE");
    if (o.wave_op && (o.wave_end || o.wave_start))
      throw CLI::ValidationError("--wave-op", "excludes --wave-start/--wave-end (it sets the window)");
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    std::exit(0);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "pnmsim: %s (see --help)\n", e.what());
    std::exit(2);
  }
  return o;
}

}  // namespace pnm::sim
