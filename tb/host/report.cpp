#include "report.hpp"

#include <cstdio>

#include "json_writer.hpp"
#include "pnm/regs.hpp"

namespace pnm::host {

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

void model_json(JsonWriter& j, const cfg::ModelConfig& m) {
  const cfg::ModelDerived d = cfg::derive(m);
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

fw::decode::ModelShape model_shape(const cfg::ModelConfig& m) {
  fw::decode::ModelShape s;
  s.layers = m.layers;
  s.hidden = m.hidden;
  s.heads = m.heads;
  s.kv_heads = m.kv_heads;
  s.ffn = m.ffn;
  s.vocab = m.vocab;
  s.experts = m.experts;
  s.experts_per_token = m.experts_per_token;
  s.int4 = m.weights == cfg::WeightFormat::kInt4;
  return s;
}

Figures figures(const ReportInput& in) {
  const DecodeResult& r = *in.res;
  Figures f;
  const cfg::SystemDerived sd = cfg::derive(*in.sys);
  const double bw = double(sd.node_bytes_per_cycle) * in.sys->system.nodes;  // bytes per cycle, all nodes
  if (r.tokens_done) {
    f.cycles_per_token = double(r.cycles) / r.tokens_done;
    const double s_per_token = f.cycles_per_token / (in.sys->system.clock_mhz * 1e6);
    f.tokens_per_s = in.opt->batch / s_per_token;
    f.flash_gbps = double(r.streamed_bytes) / r.tokens_done / s_per_token / 1e9;
    f.mbu = double(r.weight_bytes_per_token) / (bw * f.cycles_per_token);
  }
  f.roofline_tokens_per_s = in.sys->system.clock_mhz * 1e6 * bw / double(r.weight_bytes_per_token);
  return f;
}

void print_report(const ReportInput& in) {
  const DecodeResult& r = *in.res;
  const Figures f = figures(in);
  const cfg::SystemDerived sd = cfg::derive(*in.sys);
  auto pct = [&](uint64_t c) { return r.cycles ? 100.0 * double(c) / double(r.cycles) : 0.0; };
  std::printf("decode: %u token(s) x batch %u, %u of %u layers%s%s\n", r.tokens_done, in.opt->batch, r.layers,
              in.model->layers, r.layers < in.model->layers ? " (--layers: the LM head follows the last layer run)" : "",
              in.trace_in.empty() ? "" : (", replayed from " + in.trace_in).c_str());
  std::printf("  cycles per token           %.0f\n", f.cycles_per_token);
  std::printf("  tokens/s                   %.2f at %.0f MHz (roofline %.2f for these layers)\n", f.tokens_per_s,
              in.sys->system.clock_mhz, f.roofline_tokens_per_s * in.opt->batch);
  std::printf("  flash bandwidth achieved   %.1f GB/s of %.1f GB/s\n", f.flash_gbps, sd.total_flash_gbps);
  std::printf("  MBU                        %.4f (model weight bytes per token / aggregate bandwidth / time per token)\n",
              f.mbu);
  std::printf("  bubbles (node 0, cycles)   streaming %llu (%.1f%%), tR at op starts %llu (%.1f%%), all-reduce %llu (%.1f%%),\n"
              "                             host transfers %llu (%.1f%%), other %llu (%.1f%%)\n",
              static_cast<unsigned long long>(r.stream_cycles), pct(r.stream_cycles),
              static_cast<unsigned long long>(r.bubbles.tr_wait), pct(r.bubbles.tr_wait),
              static_cast<unsigned long long>(r.bubbles.collective), pct(r.bubbles.collective),
              static_cast<unsigned long long>(r.bubbles.host), pct(r.bubbles.host),
              static_cast<unsigned long long>(r.bubbles.other), pct(r.bubbles.other));
  std::printf("  ring                       %llu collectives, %llu busy cycles on node 0\n",
              static_cast<unsigned long long>(r.ring_ops), static_cast<unsigned long long>(r.ring_busy_cycles));
  std::printf("  ECC                        %llu words corrected, %llu uncorrectable\n",
              static_cast<unsigned long long>(r.ecc_corrected), static_cast<unsigned long long>(r.ecc_uncorrectable));
  std::printf("  checked                    %llu values of %llu device commands, %llu mismatches\n",
              static_cast<unsigned long long>(r.values_checked), static_cast<unsigned long long>(r.device_ops),
              static_cast<unsigned long long>(r.mismatches));
  if (!r.cosine.empty()) {
    std::printf("  float reference            cosine similarity of the final hidden state %.6f (token 1), %.6f (last)\n",
                r.cosine.front(), r.cosine.back());
  }
  std::printf("  tokens (entry 0)          ");
  for (size_t i = 0; i < r.tokens_out[0].size() && i < 16; ++i) std::printf(" %u", r.tokens_out[0][i]);
  std::printf("\n  wall clock                 %.2f s (%.0f simulated cycles/s; reference %.2f s %s)\n",
              r.wall_s, r.wall_s > 0 ? double(r.cycles) / r.wall_s : 0.0, r.ref_wall_s,
              in.opt->reference_beside ? "on a second thread" : "after the steps");
  if (!in.opt->sim_model.empty()) {
    std::printf("  simulated as               %s", in.opt->sim_model.c_str());
    if (r.quiet_cycles) {
      std::printf(" (%llu of %llu cycles quiet: one hand-over between the threads, %llu hand-overs of several cycles; "
                  "%llu falling-clock node evaluations left out)",
                  static_cast<unsigned long long>(r.quiet_cycles), static_cast<unsigned long long>(r.cycles),
                  static_cast<unsigned long long>(r.quiet_windows), static_cast<unsigned long long>(r.falls_skipped));
    }
    std::printf("\n");
  }
  if (!r.error.empty()) std::printf("  ERROR                      %s\n", r.error.c_str());
  std::printf("%s\n", r.pass ? "PASS" : "FAIL");
}

bool write_counters_csv(const std::string& path, const DecodeResult& r) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return false;
  std::fputs("when,op,token,step,node,cycle", f);
  for (const regs::CounterInfo& c : regs::kCounterInfo) std::fprintf(f, ",%s", c.name);
  std::fputs("\n", f);
  for (const CounterRow& row : r.counter_rows) {
    std::fprintf(f, "%s,%s,%u,%s,%u,%llu", row.when.c_str(), row.op >= 0 ? std::to_string(row.op).c_str() : "",
                 row.token, row.step.c_str(), row.node, static_cast<unsigned long long>(row.cycle));
    for (uint64_t v : row.values) std::fprintf(f, ",%llu", static_cast<unsigned long long>(v));
    std::fputs("\n", f);
  }
  return std::fclose(f) == 0;
}

std::string report_json(const ReportInput& in) {
  const DecodeResult& r = *in.res;
  const Figures f = figures(in);
  JsonWriter j;
  j.begin_object();
  j.field("pass", r.pass);
  j.field("mismatches", r.mismatches);
  j.field("values_checked", r.values_checked);
  j.field("device_commands", r.device_ops);
  j.field("tokens", r.tokens_done);
  j.field("batch", in.opt->batch);
  j.field("layers", r.layers);
  j.field("all_layers", r.layers == in.model->layers);
  j.field("cycles", r.cycles);
  j.field("cycles_per_token", f.cycles_per_token);
  j.field("tokens_per_s", f.tokens_per_s);
  j.field("roofline_tokens_per_s", f.roofline_tokens_per_s * in.opt->batch);
  j.field("mbu", f.mbu);
  j.field("flash_gbps", f.flash_gbps);
  j.field("flash_bytes", r.flash_bytes);
  j.field("weight_bytes_streamed", r.streamed_bytes);
  j.field("weight_bytes_per_token", r.weight_bytes_per_token);
  j.begin_object("bubbles")
      .field("stream", r.stream_cycles)
      .field("tr_at_op_start", r.bubbles.tr_wait)
      .field("allreduce", r.bubbles.collective)
      .field("host_transfers", r.bubbles.host)
      .field("other", r.bubbles.other)
      .end_object();
  j.field("host_transfer_cycles", r.host_transfer_cycles);
  j.begin_object("ring").field("collectives", r.ring_ops).field("busy_cycles_node0", r.ring_busy_cycles).end_object();
  j.begin_object("ecc").field("corrected", r.ecc_corrected).field("uncorrectable", r.ecc_uncorrectable).end_object();
  j.begin_array("token_cycles");
  for (uint64_t c : r.token_cycles) j.field(nullptr, c);
  j.end_array();
  // Per token: the same breakdown as "bubbles" (scripts/plot_report.py draws it).
  j.begin_array("per_token");
  for (size_t t = 0; t < r.token_bubbles.size() && t < r.token_cycles.size(); ++t) {
    const Bubbles& b = r.token_bubbles[t];
    j.begin_object()
        .field("cycles", r.token_cycles[t])
        .field("stream", t < r.token_stream_cycles.size() ? r.token_stream_cycles[t] : 0)
        .field("tr_at_op_start", b.tr_wait)
        .field("allreduce", b.collective)
        .field("host_transfers", b.host)
        .field("other", b.other)
        .end_object();
  }
  j.end_array();
  j.begin_array("cosine_similarity");
  for (double c : r.cosine) j.field(nullptr, c);
  j.end_array();
  j.begin_array("tokens_out");
  for (const auto& seq : r.tokens_out) {
    j.begin_array();
    for (uint32_t t : seq) j.field(nullptr, uint64_t(t));
    j.end_array();
  }
  j.end_array();
  if (in.opt->wave_op >= 0) {
    j.begin_object("waves")
        .field("op", in.opt->wave_op)
        .field("found", r.wave_op_found)
        .field("first_cycle", r.wave_first)
        .field("last_cycle", r.wave_last)
        .end_object();
  }
  j.field("device_steps", r.device_steps);
  j.field("error", r.error);
  j.field("seed", in.opt->seed);
  j.field("trace_in", in.trace_in);
  j.field("trace_out", in.trace_out);
  j.field("wall_s", r.wall_s);
  j.field("ref_wall_s", r.ref_wall_s);
  j.field("quiet_cycles", r.quiet_cycles);
  j.field("falls_skipped", r.falls_skipped);
  j.field("quiet_windows", r.quiet_windows);
  j.field("sim_model", in.opt->sim_model);
  config_json(j, *in.sys);
  model_json(j, *in.model);
  j.end_object();
  return j.str();
}

}  // namespace pnm::host
