// gemv_unit against the plain reference (tb/ref/gemv_ref): random shapes and formats with random
// backpressure on both streams, back-to-back commands, extreme operands, K at every lane edge,
// illegal commands, the counters, and the documented cycle formula. Every result is compared
// bit-exactly; a mismatch prints (op, row, batch, expected, actual) and the seed.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include PNM_MODEL_HEADER
#include "gemv_tb.hpp"
#include "seed.hpp"

namespace {
using namespace pnm::tb;
using namespace pnm::tb::gemv;

constexpr Params kP{PNM_P_LaneBytes, PNM_P_MaxBatch, PNM_P_MaxK, PNM_P_RqEntries};
// Cycles from a row's last weight beat handshake to its first result handshake, with no
// backpressure (docs/gemv.md): s1, sp, st, sd, s2, row FIFO, 6 requant stages.
constexpr uint64_t kLatency = 12;
// Cycles the command spends in the unit's input register before it reaches the queue head.
constexpr uint64_t kCmdIn = 1;
// The largest K the random tests use (the issue asks for K up to 8192).
constexpr uint32_t kMaxTestK = kP.max_k < 8192 ? kP.max_k : 8192;

using GemvBench = Bench<PNM_MODEL>;

std::unique_ptr<GemvBench> make_bench(Backpressure w, Backpressure res) {
  const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  return std::make_unique<GemvBench>(kP, name, test_seed(), w, res);
}

uint32_t log_uniform(Rng& rng, uint32_t lo, uint32_t hi) {
  const double v = std::exp(std::log(static_cast<double>(lo)) +
                            (std::log(static_cast<double>(hi) + 1.0) - std::log(static_cast<double>(lo))) *
                                (static_cast<double>(rng.next() >> 11) / 9007199254740992.0));
  return std::min<uint32_t>(hi, std::max<uint32_t>(lo, static_cast<uint32_t>(v)));
}

uint32_t pairs_for(uint32_t k) { return (k + kP.pair_bytes() - 1) / kP.pair_bytes(); }

// Loads random vectors (each element uniform in -128..127) for slots 0..batch-1 at x_base.
void load_random_vectors(GemvBench& b, uint32_t x_base, uint32_t k, uint32_t batch) {
  for (uint32_t s = 0; s < batch; ++s) {
    std::vector<int8_t> x(k);
    for (auto& v : x) v = static_cast<int8_t>(b.rng.next());
    b.write_vector(s, x_base, x);
  }
}

// Random requantisation table: multipliers across the whole Q31 range (including the extremes),
// every shift, every zero point.
void load_random_rq_table(GemvBench& b) {
  const int32_t special[] = {INT32_MIN, INT32_MAX, 0, 1, -1, 1 << 30, -(1 << 30)};
  for (uint32_t e = 0; e < kP.rq_entries; ++e) {
    RqEntry r;
    r.m0 = b.rng.chance(0.1) ? special[b.rng.range(0, 6)] : static_cast<int32_t>(b.rng.next());
    r.shift = static_cast<uint32_t>(b.rng.range(0, 31));
    r.zp = static_cast<int32_t>(b.rng.range_signed(-128, 127));
    b.write_rq(e, r);
  }
}

// K edges around the lane and pair sizes, and the largest K.
std::vector<uint32_t> k_edges() {
  const uint32_t l = kP.lane_bytes;
  return {1, 2, l - 1, l, l + 1, 2 * l - 1, 2 * l, 2 * l + 1, 3 * l + 5, kMaxTestK - 1, kMaxTestK};
}

// A random legal command whose weights take at most max_beats beats.
Op random_op(GemvBench& b, uint32_t x_base, uint32_t max_beats) {
  Rng& rng = b.rng;
  Op op;
  op.int4 = rng.chance(0.5);
  if (rng.chance(0.3)) {
    const auto edges = k_edges();
    op.k = edges[rng.range(0, edges.size() - 1)];
  } else {
    op.k = log_uniform(rng, 1, kMaxTestK);
  }
  op.rows = log_uniform(rng, 1, 300);
  while (op.rows > 1 && op.rows * op.beats_per_row(kP.lane_bytes) > max_beats) op.rows /= 2;
  op.batch = static_cast<uint32_t>(rng.range(1, kP.max_batch));
  op.x_base = x_base;
  op.requant = rng.chance(0.5);
  op.rq_per_row = op.requant && op.rows <= kP.rq_entries && rng.chance(0.5);
  const uint32_t rq_span = op.rq_per_row ? op.rows : 1;
  op.rq_base = static_cast<uint32_t>(rng.range(0, kP.rq_entries - rq_span));
  op.weights = b.random_weights(op);
  return op;
}

void expect_clean(const GemvBench& b) {
  const std::string m = b.mismatches();
  EXPECT_TRUE(m.empty()) << m;
}

// Runs `n` random commands back to back; vectors for each are loaded into a fresh region of the
// buffer, and the queue is drained when the buffer is used up.
void run_random(GemvBench& b, unsigned n, uint32_t max_beats) {
  load_random_rq_table(b);
  uint32_t cursor = 0;
  for (unsigned i = 0; i < n; ++i) {
    Op probe = random_op(b, 0, max_beats);
    if (cursor + pairs_for(probe.k) > kP.act_depth()) {
      b.run_to_completion(50'000'000);
      cursor = 0;
    }
    probe.x_base = cursor;
    cursor += pairs_for(probe.k);
    load_random_vectors(b, probe.x_base, probe.k, probe.batch);
    b.submit(probe);
  }
  b.run_to_completion(50'000'000);
}

TEST(GemvUnit, RandomShapesRandomBackpressure) {
  auto b = make_bench(Backpressure::random(0.7, 0.01, 40), Backpressure::random(0.6, 0.01, 60));
  run_random(*b, 150, 8000);
  expect_clean(*b);
}

TEST(GemvUnit, RandomShapesNoBackpressure) {
  auto b = make_bench(Backpressure::none(), Backpressure::none());
  run_random(*b, 40, 6000);
  expect_clean(*b);
}

TEST(GemvUnit, RandomShapesSlowResultPath) {
  // Results accepted rarely: the row FIFO fills and the weight stream must be throttled.
  auto b = make_bench(Backpressure::none(), Backpressure::random(0.1, 0.02, 200));
  run_random(*b, 25, 800);
  expect_clean(*b);
}

TEST(GemvUnit, KAtEveryLaneEdgeBothFormats) {
  auto b = make_bench(Backpressure::random(0.8), Backpressure::random(0.8));
  for (bool int4 : {false, true}) {
    for (uint32_t k : k_edges()) {
      Op op;
      op.int4 = int4;
      op.k = k;
      op.rows = 3;
      op.batch = kP.max_batch;
      op.weights = b->random_weights(op);
      load_random_vectors(*b, 0, k, op.batch);
      b->submit(op);
      b->run_to_completion(1'000'000);
    }
  }
  expect_clean(*b);
}

// All -128, all 127, alternating: the largest sums the accumulator ever sees (2^30 at K 65536),
// and INT4 -8 / 7, at the largest K, with the padding full of non-zero bytes.
TEST(GemvUnit, ExtremeOperands) {
  auto b = make_bench(Backpressure::none(), Backpressure::random(0.7));
  struct Pattern {
    const char* name;
    bool int4;
    uint8_t w_even, w_odd;
    int8_t x_even, x_odd;
  };
  const Pattern patterns[] = {
      {"int8 -128 x -128", false, 0x80, 0x80, -128, -128},
      {"int8 127 x -128", false, 0x7f, 0x7f, -128, -128},
      {"int8 127 x 127", false, 0x7f, 0x7f, 127, 127},
      {"int8 alternating", false, 0x80, 0x7f, 127, -128},
      {"int4 -8 x -128", true, 0x88, 0x88, -128, -128},
      {"int4 7 x -128", true, 0x77, 0x77, -128, -128},
      {"int4 -8/7 alternating", true, 0x78, 0x87, -128, 127},
  };
  const uint32_t k = kP.max_k;  // the largest K the buffer holds
  for (const auto& pat : patterns) {
    SCOPED_TRACE(pat.name);
    std::vector<int8_t> x(k);
    for (uint32_t i = 0; i < k; ++i) x[i] = (i % 2) ? pat.x_odd : pat.x_even;
    for (uint32_t s = 0; s < kP.max_batch; ++s) b->write_vector(s, 0, x);
    Op op;
    op.int4 = pat.int4;
    op.k = k;
    op.rows = 2;
    op.batch = kP.max_batch;
    const uint32_t stride = op.stride(kP.lane_bytes);
    op.weights.assign(static_cast<size_t>(op.rows) * stride, 0xA5);  // padding: non-zero junk
    for (uint32_t r = 0; r < op.rows; ++r) {
      for (uint32_t i = 0; i < op.row_bytes(); ++i) op.weights[r * stride + i] = (i % 2) ? pat.w_odd : pat.w_even;
    }
    b->submit(op);
    b->run_to_completion(1'000'000);
  }
  expect_clean(*b);
}

TEST(GemvUnit, RequantPerRowAndPerTensor) {
  auto b = make_bench(Backpressure::random(0.9), Backpressure::random(0.9));
  load_random_rq_table(*b);
  const uint32_t rows = std::min<uint32_t>(kP.rq_entries, 40);
  for (bool per_row : {false, true}) {
    Op op;
    op.k = 3 * kP.lane_bytes + 7;
    op.rows = rows;
    op.batch = kP.max_batch;
    op.requant = true;
    op.rq_per_row = per_row;
    op.rq_base = kP.rq_entries - rows;  // ends exactly at the last entry
    op.weights = b->random_weights(op);
    load_random_vectors(*b, 0, op.k, op.batch);
    b->submit(op);
    b->run_to_completion(1'000'000);
  }
  expect_clean(*b);
}

TEST(GemvUnit, IllegalCommandsFlaggedAndSkipped) {
  auto b = make_bench(Backpressure::random(0.8), Backpressure::random(0.8));
  load_random_rq_table(*b);
  auto good = [&] {
    Op op;
    op.k = 2 * kP.lane_bytes + 3;
    op.rows = 5;
    op.batch = 1;
    op.weights = b->random_weights(op);
    return op;
  };
  load_random_vectors(*b, 0, 2 * kP.lane_bytes + 3, kP.max_batch);
  std::vector<std::pair<Op, Err>> bad;
  {
    Op op = good();
    op.rows = 0;
    bad.push_back({op, Err::kRows});
  }
  {
    Op op = good();
    op.k = 0;
    bad.push_back({op, Err::kK});
  }
  {
    Op op = good();
    op.k = kP.max_k + 1;
    bad.push_back({op, Err::kK});
  }
  {
    Op op = good();
    op.batch = 0;
    bad.push_back({op, Err::kBatch});
  }
  {
    Op op = good();
    op.batch = kP.max_batch + 1;
    bad.push_back({op, Err::kBatch});
  }
  {
    Op op = good();  // needs 2 pair words, starting at the last one
    op.x_base = kP.act_depth() - 1;
    bad.push_back({op, Err::kActRange});
  }
  {
    Op op = good();
    op.requant = true;
    op.rq_per_row = true;
    op.rq_base = kP.rq_entries - op.rows + 1;  // one row past the table
    bad.push_back({op, Err::kRqRange});
  }
  {
    Op op = good();  // one element more than the last two pair words hold
    op.k = 4 * kP.lane_bytes + 1;
    op.weights = b->random_weights(op);
    op.x_base = kP.act_depth() - 2;
    bad.push_back({op, Err::kActRange});
  }
  // Corner cases that fit exactly: the last two pair words of a slot, the last rows of the
  // requantisation table (a range check that is one too strict fails these).
  std::vector<Op> edge;
  {
    Op op = good();
    op.k = 4 * kP.lane_bytes;
    op.weights = b->random_weights(op);
    op.x_base = kP.act_depth() - 2;
    edge.push_back(op);
  }
  {
    Op op = good();
    op.requant = true;
    op.rq_per_row = true;
    op.rq_base = kP.rq_entries - op.rows;
    edge.push_back(op);
  }
  // Good and bad interleaved back to back: bad ones consume no weights and make no results.
  b->submit(good());
  for (auto& [op, err] : bad) {
    b->submit(op, err);
    b->submit(good());
  }
  b->run_to_completion(1'000'000);
  load_random_vectors(*b, kP.act_depth() - 2, 4 * kP.lane_bytes, kP.max_batch);
  for (const Op& op : edge) b->submit(op);
  b->run_to_completion(1'000'000);
  expect_clean(*b);
  EXPECT_EQ(b->sim.dut().cnt_errs_o, bad.size());
  EXPECT_EQ(b->sim.dut().cnt_cmds_o, bad.size() + 1 + edge.size());
}

// With no backpressure, a command's cycles follow docs/gemv.md exactly:
//   last result handshake - command handshake
//       = rows * beats_per_row + kCmdIn + kLatency + batch - 1
// when beats_per_row >= batch; consecutive commands add their beats with no gap between them.
TEST(GemvUnit, CycleCountMatchesFormula) {
  struct Shape {
    uint32_t rows, k;
    bool int4;
    uint32_t batch;
  };
  const uint32_t l = kP.lane_bytes;
  const Shape shapes[] = {
      {1, l, false, 1},
      {7, 16 * l, false, kP.max_batch},
      {5, 16 * l + 1, true, kP.max_batch},
      {33, 4 * l, false, 2},
      {12, kP.max_batch * l, false, kP.max_batch},  // beats_per_row == batch
  };
  for (const auto& sh : shapes) {
    for (bool requant : {false, true}) {
      auto b = make_bench(Backpressure::none(), Backpressure::none());
      Op op;
      op.rows = sh.rows;
      op.k = sh.k;
      op.int4 = sh.int4;
      op.batch = sh.batch;
      op.requant = requant;
      op.weights = b->random_weights(op);
      load_random_vectors(*b, 0, op.k, op.batch);
      b->write_rq(0, {1 << 30, 3, 1});
      b->submit(op);
      b->run_to_completion(1'000'000);
      expect_clean(*b);
      const uint64_t beats = static_cast<uint64_t>(op.rows) * op.beats_per_row(l);
      ASSERT_EQ(b->mon.cmd_cycles.size(), 1u);
      const uint64_t cycles = b->mon.res_cycles.back() - b->mon.cmd_cycles.front();
      EXPECT_EQ(cycles, beats + kCmdIn + kLatency + op.batch - 1) << op.describe();
      // busy counts from the cycle after the command handshake to the last result.
      EXPECT_EQ(b->sim.dut().cnt_busy_o, cycles) << op.describe();
      EXPECT_EQ(b->sim.dut().cnt_starved_o, 0u);
      EXPECT_EQ(b->sim.dut().cnt_blocked_o, 0u);
      EXPECT_EQ(b->sim.dut().cnt_macs_o, b->expected_macs());
    }
  }
}

TEST(GemvUnit, BackToBackCommandsHaveNoGap) {
  auto b = make_bench(Backpressure::none(), Backpressure::none());
  const uint32_t l = kP.lane_bytes;
  std::vector<Op> ops;
  uint64_t beats = 0;
  uint32_t cursor = 0;
  // Different shapes and formats, each with beats_per_row >= batch.
  const uint32_t ks[] = {4 * l, 16 * l + 3, 5 * l, 8 * l - 1};
  for (unsigned i = 0; i < 4; ++i) {
    Op op;
    op.int4 = i % 2;
    op.k = ks[i];
    op.rows = 3 + 2 * i;
    op.batch = std::min<uint32_t>(kP.max_batch, 1 + i);
    op.x_base = cursor;
    cursor += pairs_for(op.k);
    op.weights = b->random_weights(op);
    load_random_vectors(*b, op.x_base, op.k, op.batch);
    beats += static_cast<uint64_t>(op.rows) * op.beats_per_row(l);
    ops.push_back(op);
  }
  for (const auto& op : ops) b->submit(op);
  b->run_to_completion(1'000'000);
  expect_clean(*b);
  const uint64_t cycles = b->mon.res_cycles.back() - b->mon.cmd_cycles.front();
  EXPECT_EQ(cycles, beats + kCmdIn + kLatency + ops.back().batch - 1);
}

// When rows are shorter than the batch (beats_per_row < batch) the result stream is the limit:
// it must then run at one result per cycle without gaps.
TEST(GemvUnit, ShortRowsResultStreamRunsFull) {
  if (kP.max_batch < 2) GTEST_SKIP() << "needs MaxBatch >= 2";
  auto b = make_bench(Backpressure::none(), Backpressure::none());
  Op op;
  op.k = kP.lane_bytes;  // one beat per row
  op.rows = 50;
  op.batch = kP.max_batch;
  op.weights = b->random_weights(op);
  load_random_vectors(*b, 0, op.k, op.batch);
  b->submit(op);
  b->run_to_completion(100'000);
  expect_clean(*b);
  const auto& rc = b->mon.res_cycles;
  ASSERT_EQ(rc.size(), static_cast<size_t>(op.rows) * op.batch);
  EXPECT_EQ(rc.back() - rc.front(), rc.size() - 1) << "gaps in the result stream";
  EXPECT_GT(b->sim.dut().cnt_blocked_o, 0u) << "the weight stream was never throttled";
}

TEST(GemvUnit, CountersUnderBackpressure) {
  auto b = make_bench(Backpressure::random(0.5, 0.01, 30), Backpressure::random(0.3, 0.02, 100));
  run_random(*b, 20, 1000);
  expect_clean(*b);
  auto& d = b->sim.dut();
  EXPECT_EQ(d.cnt_macs_o, b->expected_macs());
  EXPECT_EQ(d.cnt_cmds_o, 20u);
  EXPECT_EQ(d.cnt_errs_o, 0u);
  EXPECT_GT(d.cnt_starved_o, 0u);
  EXPECT_GT(d.cnt_blocked_o, 0u);
  // Every accepted beat, starved and blocked cycle lies within a busy cycle.
  EXPECT_GE(d.cnt_busy_o, b->mon.beats + d.cnt_starved_o + d.cnt_blocked_o);
  EXPECT_LE(d.cnt_busy_o, b->sim.cycle());
  EXPECT_EQ(d.busy_o, 0) << "busy after everything drained";
}

}  // namespace
