// Self-tests of the harness: waves honour the cycle window and the scope, VCD on request, the
// cycle limit and run_until fail with a message instead of hanging, seeds are reproducible, and
// the stream sink catches a producer that breaks the valid/ready rule.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include PNM_MODEL_HEADER
#include "gtkwave/fstapi.h"
#include "seed.hpp"
#include "sim.hpp"
#include "stream.hpp"

namespace {
using namespace pnm::tb;

std::string temp_path(const std::string& ext) {
  return "/tmp/pnm_harness_" + std::to_string(::getpid()) + "_" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ext;
}

// Runs the FIFO with traffic for `cycles` cycles, writing waves as asked.
void run_fifo(const WaveOptions& w, uint64_t cycles) {
  Sim<PNM_MODEL> sim("waves", test_seed(), w);
  sim.dut().flush_i = 0;
  sim.dut().ready_i = 1;
  sim.reset();
  for (uint64_t c = 0; c < cycles; ++c) {
    sim.dut().valid_i = c & 1;
    sim.dut().data_i = static_cast<uint8_t>(c);
    sim.step();
  }
}

struct FstInfo {
  uint64_t start = 0, end = 0;
  std::vector<std::string> vars;  // full hierarchical names
};

FstInfo read_fst(const std::string& path) {
  FstInfo info;
  void* ctx = fstReaderOpen(path.c_str());
  if (!ctx) throw std::runtime_error("cannot open " + path);
  info.start = fstReaderGetStartTime(ctx);
  info.end = fstReaderGetEndTime(ctx);
  std::vector<std::string> scope;
  while (fstHier* h = fstReaderIterateHier(ctx)) {
    if (h->htyp == FST_HT_SCOPE) scope.push_back(h->u.scope.name);
    else if (h->htyp == FST_HT_UPSCOPE) scope.pop_back();
    else if (h->htyp == FST_HT_VAR) {
      std::string n;
      for (auto& s : scope) n += s + ".";
      info.vars.push_back(n + h->u.var.name);
    }
  }
  fstReaderClose(ctx);
  return info;
}

TEST(Harness, WaveWindowHonoured) {
  WaveOptions w;
  w.path = temp_path(".fst");
  w.start = 10;
  w.end = 20;
  run_fifo(w, 60);
  const FstInfo info = read_fst(w.path);
  const uint64_t period = 2 * Sim<PNM_MODEL>::kHalfPeriod;
  EXPECT_GE(info.start, 10 * period);
  EXPECT_LE(info.end, 21 * period);
  EXPECT_GE(info.end, 20 * period);
  EXPECT_FALSE(info.vars.empty());
  std::remove(w.path.c_str());
}

TEST(Harness, WaveScopeHonoured) {
  WaveOptions all;
  all.path = temp_path("_all.fst");
  run_fifo(all, 5);
  const FstInfo everything = read_fst(all.path);
  // The model's own module scope holds the internal state; scoping to it drops the top ports.
  WaveOptions w;
  w.path = temp_path("_scoped.fst");
  w.scope = "pnm_fifo";
  run_fifo(w, 5);
  const FstInfo scoped = read_fst(w.path);
  ASSERT_FALSE(scoped.vars.empty());
  EXPECT_LT(scoped.vars.size(), everything.vars.size());
  bool has_internal = false;
  for (const auto& v : scoped.vars) {
    EXPECT_NE(v.find("pnm_fifo."), std::string::npos) << v << " is outside the scope";
    has_internal |= v.find("usage_q") != std::string::npos;
  }
  EXPECT_TRUE(has_internal);
  std::remove(all.path.c_str());
  std::remove(w.path.c_str());
}

TEST(Harness, VcdOnRequest) {
  WaveOptions w;
  w.path = temp_path(".vcd");
  w.end = 30;
  run_fifo(w, 40);
  std::ifstream in(w.path);
  ASSERT_TRUE(in.good()) << "no VCD written";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  EXPECT_NE(text.find("$enddefinitions"), std::string::npos);
  EXPECT_NE(text.find("usage_q"), std::string::npos);
  EXPECT_NE(text.find("#" + std::to_string(30 * 2 * Sim<PNM_MODEL>::kHalfPeriod)), std::string::npos);
  EXPECT_FALSE(std::ifstream(w.fst_path()).good()) << "intermediate FST left behind";
  std::remove(w.path.c_str());
}

// Every wave gets a GTKWave save file beside it: its dump file is the wave, every signal it
// names exists in the wave (GTKWave's naming: scope.path.name[msb:lsb]), grouped per scope,
// the main signals only.
TEST(Harness, GtkwViewBesideTheWave) {
  WaveOptions w;
  w.path = temp_path(".fst");
  w.start = 12;
  run_fifo(w, 30);
  const std::string view = gtkw_path(w.path);
  EXPECT_EQ(view.substr(view.size() - 5), ".gtkw");
  std::ifstream in(view);
  ASSERT_TRUE(in.good()) << "no .gtkw beside " << w.path;
  const FstInfo info = read_fst(w.path);
  std::set<std::string> names;
  for (std::string v : info.vars) {
    v.erase(std::remove(v.begin(), v.end(), ' '), v.end());
    names.insert(v);
  }
  std::string line, dumpfile;
  unsigned signals = 0, groups_open = 0, groups = 0;
  uint64_t timestart = ~0ull;
  bool clock = false, handshake = false, internal_count = false;
  while (std::getline(in, line)) {
    if (line.rfind("[dumpfile] ", 0) == 0) dumpfile = line.substr(11);
    else if (line.rfind("[timestart] ", 0) == 0) timestart = std::stoull(line.substr(12));
    else if (line == "@800200" || line == "@c00200") { ++groups_open; ++groups; }
    else if (line == "@1000200" || line == "@1401200") { ASSERT_GT(groups_open, 0u); --groups_open; }
    else if (!line.empty() && line[0] != '@' && line[0] != '-' && line[0] != '[' && line[0] != '*') {
      ++signals;
      EXPECT_TRUE(names.count(line)) << "the view names " << line << ", which is not in the wave";
      clock |= line.find(".clk_i") != std::string::npos;
      handshake |= line.find("valid_i") != std::string::npos || line.find("ready_i") != std::string::npos;
      internal_count |= line.find("usage_q") != std::string::npos;
    }
  }
  EXPECT_EQ(dumpfile, "\"" + w.path + "\"");
  EXPECT_EQ(timestart, 12 * 2 * Sim<PNM_MODEL>::kHalfPeriod);
  EXPECT_GT(groups, 0u);
  EXPECT_EQ(groups_open, 0u);
  EXPECT_GT(signals, 2u);
  EXPECT_LT(signals, names.size()) << "the view should pick the main signals, not all";
  EXPECT_TRUE(clock && handshake);
  EXPECT_FALSE(internal_count) << "usage_q is not a main signal";
  std::remove(w.path.c_str());
  std::remove(view.c_str());
}

TEST(Harness, GtkwMainSignalNames) {
  for (const char* yes : {"clk_i", "rst_ni", "valid_i", "w_ready_o", "res_valid_o", "cmd_valid_i", "out_data_o",
                          "ch_cmd_die_o", "s_awaddr_i", "cnt_busy_o", "evt_o", "ex_q", "halted_q", "in_last_i"}) {
    EXPECT_TRUE(gtkw_main_signal(yes)) << yes;
  }
  for (const char* no : {"usage_q", "mem", "acc_q", "tmp", "unused_x", "rdata_d", "gen", "s_awlen_i", "s_bid_o"}) {
    EXPECT_FALSE(gtkw_main_signal(no)) << no;
  }
}

TEST(Harness, CycleLimitFailsInsteadOfHanging) {
  Sim<PNM_MODEL> sim("limit", test_seed());
  sim.set_cycle_limit(50);
  sim.reset();
  try {
    sim.run(1000);
    FAIL() << "no error after the cycle limit";
  } catch (const SimError& e) {
    EXPECT_NE(std::string(e.what()).find("cycle limit 50"), std::string::npos) << e.what();
  }
}

TEST(Harness, RunUntilTimesOutWithMessage) {
  Sim<PNM_MODEL> sim("timeout", test_seed());
  sim.reset();
  try {
    sim.run_until([] { return false; }, 100, "a beat that never comes");
    FAIL() << "run_until returned";
  } catch (const SimError& e) {
    EXPECT_NE(std::string(e.what()).find("a beat that never comes"), std::string::npos);
  }
}

TEST(Harness, SeedsAreReproducibleAndDistinct) {
  EXPECT_EQ(derive_seed("a.b"), derive_seed("a.b"));
  EXPECT_NE(derive_seed("a.b"), derive_seed("a.c"));
  EXPECT_EQ(test_seed(), test_seed());
}

TEST(Harness, StreamSinkCatchesBrokenProducer) {
  Rng rng(test_seed());
  uint8_t valid = 0, ready = 0;
  int data = 0;
  StreamSink<int> sink(rng, valid, ready, [&] { return data; }, {0.0, 0.0, 0});  // never ready
  valid = 1;
  data = 5;
  sink.drive();
  sink.sample();
  EXPECT_TRUE(sink.violations().empty());
  data = 6;  // changed while stalled
  sink.drive();
  sink.sample();
  ASSERT_EQ(sink.violations().size(), 1u);
  valid = 0;  // retracted while stalled
  sink.drive();
  sink.sample();
  EXPECT_EQ(sink.violations().size(), 2u);
}
}  // namespace
