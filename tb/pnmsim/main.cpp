// pnmsim: the main job (DESIGN.md section 7). This build loads and validates the system and model
// configuration and reports the figures derived from them (flash bandwidth per node and in total,
// Little's-law reads in flight, roofline tokens/s). Decode replay on the RTL arrives with the
// system integration (node, sequencer, decode compiler); until then pnmsim says so instead of
// pretending to simulate.
#include <cstdio>
#include <fstream>
#include <string>

#include "config.hpp"
#include "json_writer.hpp"
#include "options.hpp"

namespace {
using namespace pnm;

void config_json(JsonWriter& j, const cfg::SystemConfig& c) {
  j.begin_object("config");
  j.field("source", c.source).field("name", c.name);
  j.begin_object("system").field("nodes", c.system.nodes).field("clock_mhz", c.system.clock_mhz).end_object();
  const cfg::FlashParams& f = c.flash;
  j.begin_object("flash")
      .field("channels", f.channels)
      .field("dies_per_channel", f.dies_per_channel)
      .field("planes_per_die", f.planes_per_die)
      .field("blocks_per_plane", f.blocks_per_plane)
      .field("pages_per_block", f.pages_per_block)
      .field("page_bytes", f.page_bytes)
      .field("tR_ns", f.tR_ns)
      .field("channel_bytes_per_cycle", f.channel_bytes_per_cycle)
      .field("outstanding_per_channel", f.outstanding_per_channel)
      .field("reorder_pages", f.reorder_pages)
      .field("cache_read", f.cache_read)
      .field("raw_bit_error_rate", f.raw_bit_error_rate)
      .end_object();
  j.begin_object("gemv")
      .field("lane_bytes", c.gemv.lane_bytes)
      .field("max_batch", c.gemv.max_batch)
      .field("max_k", c.gemv.max_k)
      .end_object();
  j.begin_object("ring")
      .field("flit_bytes", c.ring.flit_bytes)
      .field("link_latency_cycles", c.ring.link_latency_cycles)
      .field("vc_buffer_flits", c.ring.vc_buffer_flits)
      .end_object();
  j.end_object();
}

void model_json(JsonWriter& j, const cfg::ModelConfig& m, const cfg::ModelDerived& d) {
  j.begin_object("model")
      .field("source", m.source)
      .field("name", m.name)
      .field("layers", m.layers)
      .field("hidden", m.hidden)
      .field("heads", m.heads)
      .field("kv_heads", m.kv_heads)
      .field("ffn", m.ffn)
      .field("vocab", m.vocab)
      .field("experts", m.experts)
      .field("experts_per_token", m.experts_per_token)
      .field("weights", cfg::to_string(m.weights))
      .field("weight_bytes_per_token", d.weight_bytes_per_token)
      .field("stored_weight_bytes", d.stored_weight_bytes)
      .end_object();
}

double gib(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0); }

}  // namespace

int main(int argc, char** argv) {
  const sim::Options opt = sim::parse_command_line(argc, argv);
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
  std::printf("decode replay: not in this build yet (needs the node/system RTL); "
              "options were validated only\n");

  if (!opt.report.empty()) {
    JsonWriter j;
    j.begin_object();
    j.field("mode", "config_summary");
    j.field("decode_replayed", false);
    config_json(j, sys);
    model_json(j, model, md);
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
