// End-to-end decode of the tiny models (sim_configs/models/tiny*.yaml) on PNM_SIM_NODES nodes:
// the decode compiler's commands through the AXI4 host port with random backpressure, every
// device result compared with the command-level reference; traces written, replayed, and
// replayed with illegal commands injected (the node halts with the command's index and the run
// ends cleanly); an uncorrectable flash word is reported, never used.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include PNM_MODEL_HEADER
#include "config.hpp"
#include "decode_runner.hpp"
#include "report.hpp"
#include "seed.hpp"
#include "trace.hpp"

namespace {
using namespace pnm;

constexpr unsigned kNodes = PNM_SIM_NODES;

fw::decode::ModelShape shape_of(const std::string& file) {
  return host::model_shape(cfg::load_model_config(std::string(PNM_SOURCE_DIR) + "/sim_configs/models/" + file));
}

fw::decode::SystemShape system_shape() {
  fw::decode::SystemShape s;
  s.nodes = kNodes;
  s.lane_bytes = PNM_P_LaneBytes;
  s.max_batch = PNM_P_MaxBatch;
  s.max_k = PNM_P_MaxK;
  s.result_elems = PNM_P_BufFlits * PNM_P_FlitBytes / 4;
  s.flit_elems = PNM_P_FlitBytes / 4;
  s.flash_bytes = uint64_t(PNM_P_Channels) * PNM_P_Dies * PNM_P_Planes * PNM_P_Blocks * PNM_P_Pages * PNM_P_PageBytes;
  return s;
}

host::DecodeOptions options(uint32_t tokens, uint32_t batch) {
  host::DecodeOptions o;
  o.tokens = tokens;
  o.batch = batch;
  o.seed = tb::test_seed();
  o.axi_rate = 0.6;  // random host-port backpressure
  o.tR_cycles = 300;
  o.ch_bytes = PNM_P_ChBytes;
  o.watchdog_cycles = 200000;
  return o;
}

host::DecodeResult run(const std::string& model, const host::DecodeOptions& o,
                       const std::function<void(host::DecodeRunner<PNM_MODEL>&)>& before = nullptr) {
  const auto m = shape_of(model);
  EXPECT_EQ(fw::decode::Compiler(m, system_shape(), o.batch).check(), fw::decode::Fit::kOk);
  host::DecodeRunner<PNM_MODEL> r(m, system_shape(), o);
  if (before) before(r);
  return r.run();
}

void expect_clean_pass(const host::DecodeResult& r, uint32_t tokens) {
  EXPECT_TRUE(r.pass) << r.error;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.mismatches, 0u);
  EXPECT_EQ(r.tokens_done, tokens);
  EXPECT_GT(r.values_checked, 0u);
  ASSERT_EQ(r.cosine.size(), tokens);
  for (double c : r.cosine) EXPECT_GT(c, 0.99) << "the quantised pipeline left the float reference";
}

TEST(Decode, TinyInt8SeveralTokensBatch2) {
  const auto r = run("tiny.yaml", options(3, 2));
  expect_clean_pass(r, 3);
  // Every layer's O and down are reduced on the ring (one collective per tile), nothing else.
  const uint64_t per_token = kNodes > 1 ? 2 * 2 : 0;
  EXPECT_EQ(r.ring_ops, per_token * 3);
  // Every weight byte of every token streamed exactly once per node (no tile twice, none lost).
  EXPECT_EQ(r.flash_bytes, r.streamed_bytes);
  std::printf("tiny int8: %llu cycles for 3 tokens, tokens %u %u %u\n", static_cast<unsigned long long>(r.cycles),
              r.tokens_out[0][0], r.tokens_out[0][1], r.tokens_out[0][2]);
}

TEST(Decode, TinyInt4SeveralTokens) {
  const auto r = run("tiny_int4.yaml", options(3, 1));
  expect_clean_pass(r, 3);
  EXPECT_EQ(r.flash_bytes, r.streamed_bytes);
}

TEST(Decode, TinyMixtureOfExperts) {
  const auto r = run("tiny_moe.yaml", options(2, 2));
  expect_clean_pass(r, 2);
}

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "/" + name + "_" + std::to_string(kNodes) + "_" + std::to_string(tb::test_seed());
}

TEST(Decode, TraceWrittenThenReplayedGivesTheSameRun) {
  auto o = options(2, 1);
  o.trace_out = temp_path("trace.txt");
  o.model_name = "tiny";
  const auto first = run("tiny.yaml", o);
  expect_clean_pass(first, 2);
  const host::Trace tr = host::read_trace(o.trace_out);
  EXPECT_EQ(tr.run.tokens, 2u);
  EXPECT_EQ(tr.token_inputs.size(), 2u);
  EXPECT_FALSE(tr.steps.empty());
  auto o2 = options(2, 1);
  o2.replay = &tr;
  const auto second = run("tiny.yaml", o2);
  expect_clean_pass(second, 2);
  EXPECT_EQ(second.tokens_out, first.tokens_out);
  EXPECT_EQ(second.values_checked, first.values_checked);
  EXPECT_EQ(second.device_ops, first.device_ops);
}

// A trace with one command replaced: the node halts at it with the command's index, the run
// stops cleanly and says so.
struct Injection {
  const char* name;
  std::string command;  // trace text of the command
  uint32_t code;        // expected ERROR.code (docs/node.md)
};

class DecodeIllegal : public ::testing::TestWithParam<Injection> {};

TEST_P(DecodeIllegal, HaltsWithIndexAndEndsCleanly) {
  auto o = options(1, 1);
  o.trace_out = temp_path(std::string("inject_") + GetParam().name);
  o.model_name = "tiny";
  o.axi_rate = 1.0;
  ASSERT_TRUE(run("tiny.yaml", o).pass);
  // Replace node 0's first command of the third step (its GEMV; commands 0.. of earlier steps
  // are counted before it).
  host::Trace tr = host::read_trace(o.trace_out);
  ASSERT_GE(tr.steps.size(), 3u);
  uint32_t index = 0;
  for (int s = 0; s < 2; ++s) index += static_cast<uint32_t>(tr.steps[s].cmds[0].size());
  const std::string edited = temp_path(std::string("edited_") + GetParam().name);
  {
    std::ifstream in(o.trace_out);
    std::ofstream out(edited);
    std::string line;
    int steps = 0;
    bool done = false;
    while (std::getline(in, line)) {
      if (line.rfind("step ", 0) == 0) ++steps;
      if (!done && steps == 3 && line.rfind("cmd 0 ", 0) == 0) {
        out << "cmd 0 " << GetParam().command << "\n";
        done = true;
        continue;
      }
      out << line << "\n";
    }
    ASSERT_TRUE(done);
  }
  const host::Trace bad = host::read_trace(edited);
  auto o2 = options(1, 1);
  o2.replay = &bad;
  const auto r = run("tiny.yaml", o2);
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(r.tokens_done, 0u);
  const std::string want = "error " + std::to_string(GetParam().code) + " (";
  EXPECT_NE(r.error.find(want), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("command index " + std::to_string(index)), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("node 0 halted"), std::string::npos) << r.error;
}

INSTANTIATE_TEST_SUITE_P(
    Trace, DecodeIllegal,
    ::testing::Values(Injection{"opcode", "RAW 0x000000ee 0 0 0", 1},
                      Injection{"k_zero", "GEMV batch=1 rows=8 k=0 w_addr=0", 2},
                      Injection{"weights_past_flash", "GEMV batch=1 rows=64 k=256 w_addr=0xfffffff", 3},
                      Injection{"results_past_buffer", "GEMV batch=2 rows=1000 k=256 w_addr=0 out_base=100", 3}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Decode, UncorrectableFlashWordIsReportedNotUsed) {
  auto o = options(1, 1);
  o.axi_rate = 1.0;
  // Two flipped bits in a word of node 0's first matrix (QKV of layer 0, row 3).
  const auto r = run("tiny.yaml", o, [](host::DecodeRunner<PNM_MODEL>& d) { d.die(0).force_flips(3 * 256 / 8 + 1, {5, 40}); });
  EXPECT_FALSE(r.pass);
  EXPECT_NE(r.error.find("error 6 (uncorrectable flash word)"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("flash address 0x"), std::string::npos) << r.error;
  EXPECT_EQ(r.mismatches, 0u) << "no bad data reached the results";
}

TEST(Decode, SingleBitFlashErrorsAreCorrectedAndCounted) {
  auto o = options(1, 1);
  const auto r = run("tiny.yaml", o, [](host::DecodeRunner<PNM_MODEL>& d) {
    d.die(0).force_flips(17, {9});
    d.die(0).force_flips(900, {66});  // a check bit
  });
  expect_clean_pass(r, 1);
  EXPECT_EQ(r.ecc_corrected, 2u);
}

}  // namespace
