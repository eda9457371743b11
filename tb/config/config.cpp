// Derived figures and cross-field checks of the configuration (see config.hpp).
#include "config.hpp"

namespace pnm::cfg {
namespace {
[[noreturn]] void fail(const std::string& file, const FieldLines& lines, const std::string& field,
                       const std::string& why) {
  const auto it = lines.find(field);
  const std::string where = it == lines.end() ? file : file + ":" + std::to_string(it->second);
  throw ConfigError(where + ": " + field + ": " + why);
}
}  // namespace

const char* to_string(WeightFormat f) { return f == WeightFormat::kInt4 ? "int4" : "int8"; }

SystemDerived derive(const SystemConfig& c) {
  SystemDerived d{};
  const FlashParams& f = c.flash;
  d.node_bytes_per_cycle = static_cast<uint64_t>(f.channels) * f.channel_bytes_per_cycle;
  d.node_flash_gbps = static_cast<double>(d.node_bytes_per_cycle) * c.system.clock_mhz / 1000.0;
  d.total_flash_gbps = d.node_flash_gbps * c.system.nodes;
  d.tR_cycles = f.tR_ns * c.system.clock_mhz / 1000.0;
  d.reads_in_flight_needed = static_cast<double>(d.node_bytes_per_cycle) * d.tR_cycles / f.page_bytes;
  d.reads_in_flight_max = static_cast<uint64_t>(f.channels) * f.outstanding_per_channel;
  d.node_capacity_bytes = static_cast<uint64_t>(f.channels) * f.dies_per_channel *
                          f.planes_per_die * f.blocks_per_plane * f.pages_per_block * f.page_bytes;
  d.gemv_int8_macs_per_cycle = c.gemv.lane_bytes;
  return d;
}

ModelDerived derive(const ModelConfig& m) {
  ModelDerived d{};
  d.head_dim = m.hidden / m.heads;
  const uint64_t h = m.hidden;
  const uint64_t kv = static_cast<uint64_t>(m.kv_heads) * d.head_dim;
  const uint64_t attn = h * h /*Q*/ + 2 * h * kv /*K,V*/ + h * h /*O*/;
  const uint64_t ffn_one = 3 * h * m.ffn;  // gate, up, down
  // Weight counts to bytes: INT4 packs two weights per byte (matrices have even sizes).
  auto bytes = [&](uint64_t weights) { return m.weights == WeightFormat::kInt4 ? weights / 2 : weights; };
  d.layer_weight_bytes_per_token = bytes(attn + ffn_one * m.experts_per_token);
  d.lm_head_bytes = bytes(static_cast<uint64_t>(m.vocab) * h);
  d.weight_bytes_per_token = d.layer_weight_bytes_per_token * m.layers + d.lm_head_bytes;
  d.stored_weight_bytes = bytes(attn + ffn_one * m.experts) * m.layers + d.lm_head_bytes;
  return d;
}

double roofline_tokens_per_s(const SystemConfig& s, const ModelConfig& m) {
  return derive(s).total_flash_gbps * 1e9 / static_cast<double>(derive(m).weight_bytes_per_token);
}

void validate(const SystemConfig& c) {
  const std::string& file = c.source;
  const FieldLines& lines = c.lines;
  const FlashParams& f = c.flash;
  if (f.page_bytes % f.channel_bytes_per_cycle != 0)
    fail(file, lines, "flash.page_bytes", "must be a multiple of flash.channel_bytes_per_cycle");
  if (f.page_bytes % c.gemv.lane_bytes != 0)
    fail(file, lines, "flash.page_bytes", "must be a multiple of gemv.lane_bytes");
  if (f.reorder_pages < f.channels)
    fail(file, lines, "flash.reorder_pages", "must be at least flash.channels (one page per channel)");
  if (c.gemv.max_k % c.gemv.lane_bytes != 0)
    fail(file, lines, "gemv.max_k", "must be a multiple of gemv.lane_bytes");
  const SystemDerived d = derive(c);
  if (d.tR_cycles < 1.0) fail(file, lines, "flash.tR_ns", "is shorter than one clock cycle");
}

void validate(const ModelConfig& m) {
  const std::string& file = m.source;
  const FieldLines& lines = m.lines;
  if (m.hidden % m.heads != 0) fail(file, lines, "hidden", "must be a multiple of heads");
  if (m.heads % m.kv_heads != 0) fail(file, lines, "kv_heads", "must divide heads");
  if (m.experts_per_token > m.experts) fail(file, lines, "experts_per_token", "must not exceed experts");
  if (m.weights == WeightFormat::kInt4 && (m.hidden % 2 != 0 || m.ffn % 2 != 0))
    fail(file, lines, "weights", "int4 needs even hidden and ffn sizes (two weights per byte)");
}

}  // namespace pnm::cfg
