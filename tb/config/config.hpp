// System and model configuration: the typed form of sim_configs/*.yaml and
// sim_configs/models/*.yaml, and the figures derived from them (computed only in derive()).
// Loading (YAML) lives in config_yaml.cpp; every error names the file, the field and the reason.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace pnm::cfg {

// A user-caused configuration error; what() is one line: "<file>: <field>: <reason>".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SystemParams {
  uint32_t nodes = 4;
  double clock_mhz = 1000.0;
};

struct FlashParams {
  uint32_t channels = 8;                 // per node (stack)
  uint32_t dies_per_channel = 4;
  uint32_t planes_per_die = 2;
  uint32_t blocks_per_plane = 2048;
  uint32_t pages_per_block = 256;
  uint32_t page_bytes = 4096;
  double tR_ns = 3000.0;                 // page read time
  uint32_t channel_bytes_per_cycle = 8;  // transfer rate of one channel at the node clock
  uint32_t outstanding_per_channel = 8;  // reads in flight per channel (scheduler limit)
  uint32_t reorder_pages = 64;           // on-die reorder buffer size
  bool cache_read = true;                // die overlaps the next tR with the current transfer
  double raw_bit_error_rate = 0.0;       // injected raw bit errors per stored bit
};

struct GemvParams {
  uint32_t lane_bytes = 64;
  uint32_t max_batch = 4;
  uint32_t max_k = 32768;  // longest activation vector held per batch entry
};

struct RingParams {
  uint32_t flit_bytes = 32;
  uint32_t link_latency_cycles = 4;
  uint32_t vc_buffer_flits = 32; // input buffer per virtual channel (= credits)
};

// Line of each field in its file (1-based), so checks across fields can point at the line.
using FieldLines = std::map<std::string, int>;

struct SystemConfig {
  std::string source;  // file it came from
  FieldLines lines;
  std::string name;
  SystemParams system;
  FlashParams flash;
  GemvParams gemv;
  RingParams ring;
};

enum class WeightFormat { kInt8, kInt4 };

struct ModelConfig {
  std::string source;
  FieldLines lines;
  std::string name;
  uint32_t layers = 0;
  uint32_t hidden = 0;
  uint32_t heads = 0;
  uint32_t kv_heads = 0;
  uint32_t ffn = 0;               // per expert
  uint32_t vocab = 0;
  uint32_t experts = 1;           // FFN experts per layer (1: dense)
  uint32_t experts_per_token = 1; // routed experts used per token
  WeightFormat weights = WeightFormat::kInt8;
  double rope_theta = 10000.0;
  double norm_eps = 1e-5;
};

// Everything computed from a system config, in one place.
struct SystemDerived {
  uint64_t node_bytes_per_cycle;   // raw flash channel bandwidth of one node
  double node_flash_gbps;          // GB/s (1e9 bytes/s) per node at the clock
  double total_flash_gbps;         // all nodes
  double tR_cycles;
  double reads_in_flight_needed;   // Little's law per node: bytes/cycle * tR / page
  uint64_t reads_in_flight_max;    // channels * outstanding_per_channel
  uint64_t node_capacity_bytes;
  uint32_t gemv_int8_macs_per_cycle;  // per batch vector
};

struct ModelDerived {
  uint32_t head_dim;
  uint64_t layer_weight_bytes_per_token;  // Q,K,V,O + the routed FFN experts of one layer
  uint64_t lm_head_bytes;
  uint64_t weight_bytes_per_token;        // all layers + LM head (batch 1)
  uint64_t stored_weight_bytes;           // everything kept in flash (all experts)
};

SystemDerived derive(const SystemConfig& c);
ModelDerived derive(const ModelConfig& m);

// Tokens/s if every flash byte were used for weights and nothing else cost time (batch 1).
double roofline_tokens_per_s(const SystemConfig& s, const ModelConfig& m);

// Checks across fields (ranges of single fields are checked while loading).
void validate(const SystemConfig& c);
void validate(const ModelConfig& m);

SystemConfig load_system_config(const std::string& path);
ModelConfig load_model_config(const std::string& path);

const char* to_string(WeightFormat f);

}  // namespace pnm::cfg
