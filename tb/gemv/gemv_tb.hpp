// Test bench for gemv_unit, shared by its unit tests and its simulation-speed benchmark:
// loads the activation buffer and the requantisation table through their write ports, queues
// commands and their weight streams (with random gaps), collects results (with random
// backpressure), and computes the expected results with the plain reference (tb/ref/gemv_ref).
// Mirrors of the buffer and table contents are kept in C++ so the expectation never reads the
// RTL.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <sstream>
#include <string>
#include <vector>

#include "bits.hpp"
#include "gemv_ref.hpp"
#include "rng.hpp"
#include "sim.hpp"
#include "stream.hpp"

namespace pnm::tb::gemv {

// Parameters of the Verilated gemv_unit (must match the model's -G values).
struct Params {
  unsigned lane_bytes;
  unsigned max_batch;
  unsigned max_k;
  unsigned rq_entries;
  unsigned pair_bytes() const { return 2 * lane_bytes; }
  unsigned act_depth() const { return max_k / pair_bytes(); }  // pair words per slot
};

// Error codes of gemv_pkg (GEMV_ERR_*).
enum class Err : unsigned { kNone = 0, kRows = 1, kK = 2, kBatch = 3, kActRange = 4, kRqRange = 5 };

struct RqEntry {
  int32_t m0 = 0;
  uint32_t shift = 0;  // 0..31
  int32_t zp = 0;      // -128..127
};

// One command (the fields of the command port).
struct Cmd {
  uint32_t rows = 1;
  uint32_t k = 1;
  bool int4 = false;
  uint32_t batch = 1;
  uint32_t x_base = 0;  // pair words
  bool requant = false;
  bool rq_per_row = false;
  uint32_t rq_base = 0;

  uint32_t row_bytes() const { return int4 ? (k + 1) / 2 : k; }
  uint32_t stride(unsigned lane) const { return (row_bytes() + lane - 1) / lane * lane; }
  uint32_t beats_per_row(unsigned lane) const { return stride(lane) / lane; }
  std::string describe() const {
    std::ostringstream os;
    os << "rows=" << rows << " K=" << k << (int4 ? " INT4" : " INT8") << " batch=" << batch
       << " x_base=" << x_base << (requant ? (rq_per_row ? " requant per-row" : " requant") : "")
       << (requant ? " rq_base=" + std::to_string(rq_base) : "");
    return os.str();
  }
};

// A command and its weights: rows x stride bytes, row-major (empty for illegal commands).
struct Op : Cmd {
  std::vector<uint8_t> weights;
};

struct Result {
  uint32_t row = 0;
  uint32_t batch = 0;
  int32_t value = 0;
  bool int8 = false;
  bool last = false;
  bool operator==(const Result& o) const {
    return row == o.row && batch == o.batch && value == o.value && int8 == o.int8 && last == o.last;
  }
};

inline std::string to_string(const Result& r) {
  std::ostringstream os;
  os << "(row " << r.row << ", batch " << r.batch << ", value " << r.value
     << (r.int8 ? " int8" : " int32") << (r.last ? ", last" : "") << ")";
  return os.str();
}

// Weight stream source fed from one byte queue: a beat is copied straight into the port, so the
// bench costs little next to the model (it is also the simulation-speed benchmark's driver).
template <class Model>
class WeightSource : public Component {
 public:
  WeightSource(Model& dut, Rng& rng, unsigned lane, Backpressure bp)
      : dut_(dut), throttle_(rng, bp), lane_(lane) {}
  void push(const std::vector<uint8_t>& bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
  }
  void set_backpressure(Backpressure bp) { throttle_.set(bp); }
  bool idle() const { return pos_ >= bytes_.size(); }
  uint64_t beats_sent() const { return sent_; }
  void drive() override {
    if (!offering_ && pos_ < bytes_.size() && throttle_.allow()) offering_ = true;
    dut_.w_valid_i = offering_ ? 1 : 0;
    if (offering_) bytes_to_port(dut_.w_data_i, bytes_.data() + pos_, lane_);
  }
  void sample() override {
    if (offering_ && dut_.w_ready_o) {
      pos_ += lane_;
      offering_ = false;
      ++sent_;
      if (pos_ >= bytes_.size()) {  // everything sent: release the memory
        bytes_.clear();
        pos_ = 0;
      }
    }
  }

 private:
  Model& dut_;
  Throttle throttle_;
  unsigned lane_;
  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
  bool offering_ = false;
  uint64_t sent_ = 0;
};

// Handshake cycles of commands and results, and error pulses.
template <class Model>
class Monitor : public Component {
 public:
  explicit Monitor(const Sim<Model>& sim) : sim_(sim) {}
  void drive() override {}
  // Cycle numbers are sim.cycle() at the handshake: the rising edges before it.
  void sample() override {
    auto& d = const_cast<Sim<Model>&>(sim_).dut();
    if (d.cmd_valid_i && d.cmd_ready_o) cmd_cycles.push_back(sim_.cycle());
    if (d.res_valid_o && d.res_ready_i) res_cycles.push_back(sim_.cycle());
    if (d.w_valid_i && d.w_ready_o) ++beats;
    if (d.err_valid_o) errors.push_back(static_cast<Err>(d.err_code_o));
  }
  std::vector<uint64_t> cmd_cycles, res_cycles;
  std::vector<Err> errors;
  uint64_t beats = 0;

 private:
  const Sim<Model>& sim_;
};

template <class Model>
class Bench {
  Params p_;  // first: the members below are built from it

 public:
  Bench(const Params& p, const std::string& name, uint64_t seed, Backpressure w_bp,
        Backpressure res_bp)
      : p_(p),
        sim(name, seed),
        rng(sim.seed()),
        weights(sim.dut(), rng, p.lane_bytes, w_bp),
        cmds(rng, sim.dut().cmd_valid_i, sim.dut().cmd_ready_o,
             [this](const Cmd& c) { drive_cmd(c); }),
        results(rng, sim.dut().res_valid_o, sim.dut().res_ready_i, [this] { return read_result(); },
                res_bp),
        mon(sim),
        act_(p.max_batch, std::vector<int8_t>(p.max_k)),
        rq_(p.rq_entries) {
    sim.add(weights);
    sim.add(cmds);
    sim.add(results);
    sim.add(mon);
    auto& d = sim.dut();
    d.act_we_i = 0;
    d.rq_we_i = 0;
    sim.reset();
  }

  const Params& params() const { return p_; }

  // ---- Activation buffer and requant table (through the write ports, mirrored here) ----
  void write_act_word(unsigned slot, unsigned word, const std::vector<int8_t>& bytes) {
    auto& d = sim.dut();
    std::copy(bytes.begin(), bytes.end(), act_[slot].begin() + word * p_.lane_bytes);
    d.act_we_i = 1;
    d.act_waddr_i = (slot * p_.act_depth() * 2) | word;  // {slot, pair, half}
    bytes_to_port(d.act_wdata_i, reinterpret_cast<const uint8_t*>(bytes.data()), p_.lane_bytes);
    sim.step();
    d.act_we_i = 0;
  }
  // Writes x into slot `slot` starting at pair word `x_base`; the rest of the last pair word is
  // filled with random bytes so masking of elements past K is exercised.
  void write_vector(unsigned slot, unsigned x_base, const std::vector<int8_t>& x) {
    const unsigned words = 2 * ((static_cast<unsigned>(x.size()) + p_.pair_bytes() - 1) / p_.pair_bytes());
    for (unsigned w = 0; w < words; ++w) {
      std::vector<int8_t> bytes(p_.lane_bytes);
      for (unsigned i = 0; i < p_.lane_bytes; ++i) {
        const size_t e = static_cast<size_t>(w) * p_.lane_bytes + i;
        bytes[i] = e < x.size() ? x[e] : static_cast<int8_t>(rng.next());
      }
      write_act_word(slot, 2 * x_base + w, bytes);
    }
  }
  void write_rq(unsigned entry, const RqEntry& e) {
    auto& d = sim.dut();
    rq_[entry] = e;
    const uint64_t word = (static_cast<uint64_t>(static_cast<uint8_t>(e.zp)) << 37) |
                          (static_cast<uint64_t>(e.shift & 31u) << 32) | static_cast<uint32_t>(e.m0);
    d.rq_we_i = 1;
    d.rq_waddr_i = entry;
    d.rq_wdata_i = word;
    sim.step();
    d.rq_we_i = 0;
  }

  // ---- Commands ----
  // Queues the command and its weights and appends the expected results (none if illegal).
  void submit(const Op& op, Err expect_err = Err::kNone) {
    cmds.push(static_cast<const Cmd&>(op));
    if (expect_err != Err::kNone) {
      expected_errors_.push_back(expect_err);
      return;
    }
    weights.push(op.weights);
    const uint32_t stride = op.stride(p_.lane_bytes);
    std::vector<std::vector<int8_t>> xs(op.batch);
    for (uint32_t b = 0; b < op.batch; ++b) {
      const auto begin = act_[b].begin() + static_cast<size_t>(op.x_base) * p_.pair_bytes();
      xs[b].assign(begin, begin + op.k);
    }
    const auto y = ref::gemv(op.weights.data(), op.rows, op.k, stride,
                             op.int4 ? ref::GemvWeights::kInt4 : ref::GemvWeights::kInt8, xs);
    for (uint32_t r = 0; r < op.rows; ++r) {
      for (uint32_t b = 0; b < op.batch; ++b) {
        Result res;
        res.row = r;
        res.batch = b;
        res.value = y[b][r];
        res.int8 = op.requant;
        res.last = r + 1 == op.rows && b + 1 == op.batch;
        if (op.requant) {
          const RqEntry& e = rq_[op.rq_base + (op.rq_per_row ? r : 0)];
          res.value = ref::requantize(y[b][r], e.m0, static_cast<int>(e.shift), e.zp);
        }
        expected_.push_back(res);
        expected_op_.push_back(static_cast<uint32_t>(ops_.size()));
      }
    }
    ops_.push_back(op);
    macs_ += static_cast<uint64_t>(op.rows) * op.k * op.batch;
  }

  // Random weights (padding bytes random too: the unit must ignore them).
  std::vector<uint8_t> random_weights(const Cmd& op) {
    std::vector<uint8_t> w(static_cast<size_t>(op.rows) * op.stride(p_.lane_bytes));
    for (auto& b : w) b = static_cast<uint8_t>(rng.next());
    return w;
  }

  // Runs until every expected result arrived and every queued command left, then `settle`
  // cycles in which nothing more may arrive.
  void run_to_completion(uint64_t max_cycles, unsigned settle = 32) {
    sim.run_until(
        [&] {
          return results.count() >= expected_.size() && cmds.idle() && weights.idle() &&
                 mon.errors.size() >= expected_errors_.size();
        },
        max_cycles, "all results");
    sim.run(settle);
  }

  // Compares everything received with the reference; returns "" when all matched, else the
  // first mismatches as (op, row, batch, expected, actual) lines.
  std::string mismatches() const {
    std::ostringstream os;
    unsigned shown = 0;
    const auto& got = results.received();
    if (got.size() != expected_.size()) {
      os << "expected " << expected_.size() << " results, got " << got.size() << "\n";
    }
    for (size_t i = 0; i < std::min(got.size(), expected_.size()) && shown < 10; ++i) {
      if (got[i] == expected_[i]) continue;
      const uint32_t op = expected_op_[i];
      os << "op " << op << " [" << ops_[op].describe() << "] row " << expected_[i].row
         << " batch " << expected_[i].batch << ": expected " << to_string(expected_[i])
         << ", actual " << to_string(got[i]) << "\n";
      ++shown;
    }
    if (mon.errors != expected_errors_) {
      os << "error pulses: expected " << expected_errors_.size() << ", got " << mon.errors.size()
         << " (or different codes)\n";
    }
    for (const auto& v : results.violations()) os << v << "\n";
    if (!os.str().empty()) os << "seed stream " << sim.seed() << "\n";
    return os.str();
  }

  uint64_t expected_macs() const { return macs_; }
  size_t expected_results() const { return expected_.size(); }

  // ---- Members used by tests directly ----
  Sim<Model> sim;
  Rng rng;
  WeightSource<Model> weights;
  StreamSource<Cmd> cmds;
  StreamSink<Result> results;
  Monitor<Model> mon;

 private:
  void drive_cmd(const Cmd& op) {
    auto& d = sim.dut();
    d.cmd_rows_i = op.rows;
    d.cmd_k_i = op.k;
    d.cmd_int4_i = op.int4;
    d.cmd_batch_i = op.batch;
    d.cmd_x_base_i = op.x_base;
    d.cmd_requant_i = op.requant;
    d.cmd_rq_per_row_i = op.rq_per_row;
    d.cmd_rq_base_i = op.rq_base;
  }

  Result read_result() const {
    const auto& d = const_cast<Sim<Model>&>(sim).dut();
    Result r;
    r.row = d.res_row_o;
    r.batch = d.res_batch_o;
    r.value = static_cast<int32_t>(d.res_value_o);
    r.int8 = d.res_int8_o != 0;
    r.last = d.res_last_o != 0;
    return r;
  }

  std::vector<std::vector<int8_t>> act_;
  std::vector<RqEntry> rq_;
  std::vector<Cmd> ops_;
  std::vector<Result> expected_;
  std::vector<uint32_t> expected_op_;
  std::vector<Err> expected_errors_;
  uint64_t macs_ = 0;
};

}  // namespace pnm::tb::gemv
