// Configuration loader: the shipped configs load, derived figures follow from the formulas, and
// every kind of bad input (missing file, bad YAML, wrong type, out of range, unknown key, missing
// required field, inconsistent fields) gives one line naming the file, the field and the reason.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "config.hpp"

namespace {
using namespace pnm::cfg;

const std::string kRoot = PNM_SOURCE_DIR;

std::string write_temp(const std::string& text) {
  static int n = 0;
  const std::string path = "/tmp/pnm_cfg_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".yaml";
  std::ofstream(path) << text;
  return path;
}

// Loads `text` with `load` and returns the error line ("" if it loaded).
template <class Loader>
std::string load_error(Loader load, const std::string& text) {
  const std::string path = write_temp(text);
  std::string error;
  try {
    load(path);
  } catch (const ConfigError& e) {
    error = e.what();
  }
  std::remove(path.c_str());
  return error;
}
std::string system_error(const std::string& text) { return load_error(load_system_config, text); }
std::string model_error(const std::string& text) { return load_error(load_model_config, text); }

const char* kTinyModel =
    "name: t\nlayers: 2\nhidden: 256\nheads: 4\nkv_heads: 2\nffn: 512\nvocab: 512\n";

#define EXPECT_ERROR(msg, ...)                                                     \
  do {                                                                             \
    const std::string m_ = (msg);                                                  \
    EXPECT_NE(m_, "") << "accepted bad input";                                     \
    EXPECT_EQ(m_.find('\n'), std::string::npos) << "not one line: " << m_;        \
    for (const char* part : {__VA_ARGS__}) EXPECT_NE(m_.find(part), std::string::npos) << m_; \
  } while (0)

TEST(Config, DefaultMatchesDesignSection8) {
  const SystemConfig c = load_system_config(kRoot + "/sim_configs/default.yaml");
  EXPECT_EQ(c.system.nodes, 4u);
  EXPECT_EQ(c.flash.channels, 8u);
  EXPECT_EQ(c.flash.dies_per_channel, 4u);
  EXPECT_EQ(c.flash.planes_per_die, 2u);
  EXPECT_EQ(c.flash.page_bytes, 4096u);
  EXPECT_DOUBLE_EQ(c.flash.tR_ns, 3000.0);
  EXPECT_EQ(c.gemv.lane_bytes, 64u);
  EXPECT_EQ(c.gemv.max_batch, 4u);
  EXPECT_EQ(c.ring.flit_bytes, 32u);
  EXPECT_EQ(c.ring.link_latency_cycles, 4u);
  const SystemDerived d = derive(c);
  EXPECT_EQ(d.node_bytes_per_cycle, 64u);             // 8 channels x 8 B
  EXPECT_DOUBLE_EQ(d.node_flash_gbps, 64.0);          // at 1 GHz
  EXPECT_DOUBLE_EQ(d.total_flash_gbps, 256.0);
  EXPECT_NEAR(d.reads_in_flight_needed, 46.875, 1e-9);  // FACTS.md: ~47
  EXPECT_EQ(d.node_capacity_bytes, 128ull << 30);
}

TEST(Config, PaperScaleConfigIs1p6TBps) {
  const SystemConfig c = load_system_config(kRoot + "/sim_configs/hbf_gen1.yaml");
  EXPECT_NEAR(derive(c).node_flash_gbps, 1600.0, 1e-9);
  EXPECT_EQ(derive(c).node_capacity_bytes, 512ull << 30);
}

TEST(Config, EveryShippedModelLoads) {
  for (const char* m : {"llama2_7b", "llama2_7b_int4", "llama2_13b", "llama2_70b", "llama3_8b",
                        "llama3_70b", "mixtral_8x7b", "tiny", "tiny_int4"}) {
    EXPECT_NO_THROW(load_model_config(kRoot + "/sim_configs/models/" + m + ".yaml")) << m;
  }
}

TEST(Config, Llama2WeightBytesFromShape) {
  const ModelConfig m = load_model_config(kRoot + "/sim_configs/models/llama2_7b.yaml");
  const ModelDerived d = derive(m);
  // 32 x (4*4096^2 + 3*4096*11008) + 32000*4096 INT8 weights.
  EXPECT_EQ(d.weight_bytes_per_token, 32ull * (4ull * 4096 * 4096 + 3ull * 4096 * 11008) + 32000ull * 4096);
  const ModelConfig m4 = load_model_config(kRoot + "/sim_configs/models/llama2_7b_int4.yaml");
  EXPECT_EQ(derive(m4).weight_bytes_per_token, d.weight_bytes_per_token / 2);
}

TEST(Config, GqaAndExpertsInWeightBytes) {
  const ModelConfig m = load_model_config(kRoot + "/sim_configs/models/mixtral_8x7b.yaml");
  const ModelDerived d = derive(m);
  const uint64_t h = 4096, kv = 8 * 128, ffn = 14336;
  const uint64_t attn = 2 * h * h + 2 * h * kv;
  EXPECT_EQ(d.layer_weight_bytes_per_token, attn + 2 * 3 * h * ffn);
  EXPECT_EQ(d.stored_weight_bytes, 32 * (attn + 8 * 3 * h * ffn) + 32000 * h);
}

TEST(Config, RooflineFollowsFromBandwidth) {
  const SystemConfig s = load_system_config(kRoot + "/sim_configs/default.yaml");
  const ModelConfig m = load_model_config(kRoot + "/sim_configs/models/llama2_7b.yaml");
  EXPECT_DOUBLE_EQ(roofline_tokens_per_s(s, m), 256e9 / static_cast<double>(derive(m).weight_bytes_per_token));
}

TEST(Config, AbsentFieldsTakeDefaults) {
  EXPECT_EQ(system_error("system:\n  nodes: 2\n"), "");
}

TEST(ConfigErrors, MissingFile) {
  try {
    load_system_config("/nonexistent/sys.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/sys.yaml: cannot open: No such file or directory");
  }
}

TEST(ConfigErrors, BadYaml) {
  EXPECT_ERROR(system_error("system:\n  nodes: [1, 2\n"), "invalid YAML", ".yaml:");
}

TEST(ConfigErrors, EmptyFile) { EXPECT_ERROR(system_error(""), "empty"); }

TEST(ConfigErrors, WrongType) {
  EXPECT_ERROR(system_error("flash:\n  channels: eight\n"), "flash.channels", "expected an unsigned integer", "'eight'");
  EXPECT_ERROR(system_error("flash:\n  channels: -3\n"), "flash.channels", "unsigned integer");
  EXPECT_ERROR(system_error("flash:\n  channels: 2.5\n"), "flash.channels");
  EXPECT_ERROR(system_error("flash:\n  cache_read: maybe\n"), "flash.cache_read", "true or false");
  EXPECT_ERROR(system_error("flash:\n  tR_ns: fast\n"), "flash.tR_ns", "expected a number");
  EXPECT_ERROR(system_error("flash: 3\n"), "flash", "mapping");
  EXPECT_ERROR(system_error("system:\n  nodes: [4]\n"), "system.nodes", "a list");
}

TEST(ConfigErrors, OutOfRange) {
  EXPECT_ERROR(system_error("system:\n  nodes: 0\n"), "system.nodes", "must be in [1, 64], got 0", ":2:");
  EXPECT_ERROR(system_error("gemv:\n  lane_bytes: 48\n"), "gemv.lane_bytes", "power of two");
  EXPECT_ERROR(system_error("flash:\n  tR_ns: 0\n"), "flash.tR_ns", "must be in");
  EXPECT_ERROR(system_error("flash:\n  channels: 99999999999999999999999\n"), "flash.channels");
}

TEST(ConfigErrors, UnknownKey) {
  EXPECT_ERROR(system_error("flash:\n  chanels: 8\n"), "flash.chanels", "unknown key", "channels");
  EXPECT_ERROR(system_error("sytem:\n  nodes: 8\n"), "sytem", "unknown key");
  EXPECT_ERROR(model_error(std::string(kTinyModel) + "hiden: 3\n"), "hiden", "unknown key");
}

TEST(ConfigErrors, InconsistentFields) {
  EXPECT_ERROR(system_error("gemv:\n  lane_bytes: 512\nflash:\n  page_bytes: 256\n"), "flash.page_bytes");
  EXPECT_ERROR(system_error("flash:\n  channels: 16\n  reorder_pages: 8\n"), "flash.reorder_pages");
}

TEST(ModelErrors, RequiredFieldsAndShapeRules) {
  EXPECT_EQ(model_error(kTinyModel), "");
  EXPECT_ERROR(model_error("name: t\nlayers: 2\n"), "hidden", "missing (required)");
  EXPECT_ERROR(model_error(std::string(kTinyModel) + "weights: int3\n"), "weights", "int8, int4", "'int3'");
  EXPECT_ERROR(model_error("name: t\nlayers: 2\nhidden: 250\nheads: 4\nkv_heads: 2\nffn: 512\nvocab: 9\n"),
               "hidden", "multiple of heads");
  EXPECT_ERROR(model_error("name: t\nlayers: 2\nhidden: 256\nheads: 4\nkv_heads: 3\nffn: 512\nvocab: 9\n"),
               "kv_heads", "divide heads");
  EXPECT_ERROR(model_error(std::string(kTinyModel) + "experts: 2\nexperts_per_token: 3\n"), "experts_per_token");
}
}  // namespace
