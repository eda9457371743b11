// Decode replay on a Verilated pnm_system (DESIGN.md sections 5 to 7, docs/decode.md): the host
// model drives N nodes through their AXI4 ports, token after token, layer after layer. Every
// device step: the host writes INT8 activations into every node, queues the step's commands
// (GEMV, ALLREDUCE for row-parallel matrices, PREFETCH of the node's next GEMV), polls STATUS
// until every node is idle, reads the INT32 results of every node, and compares every value with
// the command-level reference (device_ref.hpp), which runs on a second thread meanwhile (or
// after the step, DecodeOptions::reference_beside). The float
// reference pipeline runs beside the quantised one for the cosine-similarity figure.
#pragma once

#include <algorithm>
#include <array>
#include <tuple>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "axi_master.hpp"
#include "decode_types.hpp"
#include "device_ref.hpp"
#include "flash_die_model.hpp"
#include "hbf_ctrl_tb.hpp"
#include "host_model.hpp"
#include "pnm/decode.hpp"
#include "pnm/driver.hpp"
#include "pnm/regs.hpp"
#include "sim.hpp"
#include "split_system.hpp"
#include "splitmix.hpp"
#include "timeline.hpp"
#include "trace.hpp"

namespace pnm::host {

// Error codes of docs/node.md.
inline const char* node_error_name(uint32_t code) {
  static const char* const names[] = {"none", "unknown opcode", "GEMV fields", "range", "PREFETCH not followed by its GEMV",
                                      "collective rejected", "uncorrectable flash word", "watchdog", "command queue full"};
  return code < 9 ? names[code] : "unknown code";
}

// Flash contents seed of node n: the weights are a pure function of (run seed, node, address).
inline uint64_t node_flash_seed(uint64_t seed, unsigned node) {
  uint64_t s = seed * 0x9E3779B97F4A7C15ull + node + 1;
  return ref::splitmix64(s);
}

// A one-node run simulates pnm_node alone (the ring needs two nodes; docs/decisions.md): its
// node id and ring ports are tied off here. pnm_system has none of these ports.
template <class M>
auto tie_off_ring(M& d, int) -> decltype(d.node_id_i, void()) {
  d.node_id_i = 0;
  d.inj_ready_i = 0;
  d.ej_valid_i = 0;
}
template <class M>
void tie_off_ring(M&, long) {}

template <class Model>
class DecodeRunner {
  using Tensor = fw::decode::Tensor;
  using Access = tb::NodeAccess<Model>;  // node n's ports: a slice of one model, or its own model
  using Port = typename Access::Port;
  static constexpr unsigned kCounters = regs::kCntCount;  // every counter, one burst

 public:
  DecodeRunner(const fw::decode::ModelShape& m, const fw::decode::SystemShape& s, const DecodeOptions& o,
               tb::WaveOptions waves = tb::WaveOptions::from_env())
      : m_(m), s_(s), o_(o), comp_(m, s, o.batch), params_(m, o.seed),
        sim_("pnmsim", o.seed, std::move(waves)),
        fp_(tb::flash::params_of_build()) {
    layers_ = o.layers ? o.layers : m.layers;
    std::vector<uint64_t> seeds;
    for (unsigned n = 0; n < s.nodes; ++n) {
      seeds.push_back(node_flash_seed(o.seed, n));
      dies_.push_back(std::make_unique<tb::FlashDieModel>(
          fp_.geometry, tb::FlashTiming{o.tR_cycles, o.ch_bytes, o.cache_read, 64}, seeds.back(), 77 + n));
      if (o.raw_bit_error_rate > 0) dies_.back()->set_raw_bit_error_rate(o.raw_bit_error_rate);
      Port& port = Access::port(sim_.dut(), n);
      ports_.push_back(std::make_unique<tb::flash::FlashPort<Port>>(port, *dies_.back(), fp_,
                                                                   Access::slice(n) * fp_.geometry.channels,
                                                                   Access::slices(s.nodes) * fp_.geometry.channels));
      // Each host port has a random stream of its own (its backpressure with --axi-rate < 1), so
      // it can run on the thread that evaluates its node, like the flash port and die model:
      // both touch node n only.
      axi_rng_.push_back(std::make_unique<tb::Rng>((o.seed ^ 0xA5A5) + 0x9E3779B97F4A7C15ull * n));
      axi_.push_back(std::make_unique<tb::AxiMaster<Port>>(port, *axi_rng_.back(), Access::slice(n),
                                                           Access::slices(s.nodes)));
      axi_.back()->rate = o.axi_rate;
      sim_.add_node(*ports_.back(), n);
      sim_.add_node(*axi_.back(), n);
    }
    ref_ = std::make_unique<DeviceRef>(s.nodes, s.lane_bytes, s.max_batch, s.max_k, s.result_elems, s.flit_elems,
                                       seeds);
    sim_.set_cycle_limit(~0ull);
    tie_off_ring(sim_.dut(), 0);
    if (!o.timeline.empty()) {
      tl_ = std::make_unique<Timeline>(o.ns_per_cycle);
      events_ = std::make_unique<EventTracker<Model>>(sim_.dut(), sim_, *tl_, s.nodes, fp_.geometry.channels);
      sim_.add(*events_);
    }
    if (o.wave_op >= 0) sim_.set_wave_window(~0ull, ~0ull);  // nothing until step K starts
  }

  tb::Sim<Model>& sim() { return sim_; }
  tb::FlashDieModel& die(unsigned n) { return *dies_.at(n); }

  DecodeResult run() {
    const auto t0 = std::chrono::steady_clock::now();
    res_ = DecodeResult{};
    res_.layers = layers_;
    res_.tokens_out.assign(o_.batch, {});
    res_.weight_bytes_per_token = model_bytes();
    if (!o_.trace_out.empty() && !trace_.open(o_.trace_out)) {
      res_.error = "--trace-out: cannot write " + o_.trace_out;
      return res_;
    }
    if (trace_.is_open()) trace_.run({o_.model_name, s_.nodes, o_.batch, o_.tokens, layers_, o_.seed});
    try {
      sim_.reset();
      for (unsigned n = 0; n < s_.nodes; ++n) {
        write(n, regs::kWatchdog, {o_.watchdog_cycles});
        write(n, regs::kCtrl, {1});
      }
      settle();
      std::vector<uint32_t> toks(o_.batch);
      for (uint32_t b = 0; b < o_.batch; ++b) toks[b] = static_cast<uint32_t>((o_.seed * 31 + 7 * b + 1) % m_.vocab);
      if (o_.replay && !o_.replay->token_inputs.empty()) toks = o_.replay->token_inputs[0];
      for (uint32_t t = 0; t < o_.tokens && res_.error.empty(); ++t) {
        token_ = t;
        run_token(t, toks);
        if (!res_.error.empty()) break;
        ++res_.tokens_done;
        for (uint32_t b = 0; b < o_.batch; ++b) res_.tokens_out[b].push_back(toks[b]);
      }
      if (o_.counters && res_.error.empty()) counter_rows("end", -1);
      if (o_.replay && res_.error.empty() && step_index_ != o_.replay->steps.size()) {
        res_.error = o_.replay->source + ":" + std::to_string(o_.replay->steps[step_index_].line) +
                     ": step: the run ended before this step (the trace holds more steps than the run)";
      }
    } catch (const std::runtime_error& e) {  // tb::SimError, and the split model's own checks
      res_.error = e.what();
    }
    res_.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    res_.device_steps = step_index_;
    if (o_.wave_op >= 0) {
      try {
        sim_.close_waves();
      } catch (const tb::SimError& e) {
        if (res_.error.empty()) res_.error = e.what();
      }
    }
    if (tl_) {
      events_->finish();
      res_.timeline_events = tl_->events();
      if (!tl_->write(o_.timeline, {{"model", o_.model_name}, {"nodes", std::to_string(s_.nodes)},
                                    {"batch", std::to_string(o_.batch)}, {"layers", std::to_string(layers_)}}) &&
          res_.error.empty()) {
        res_.error = "--timeline: cannot write " + o_.timeline;
      }
    }
    res_.pass = res_.error.empty() && res_.mismatches == 0 && res_.tokens_done == o_.tokens;
    if (o_.progress) std::fprintf(stderr, "\n");
    return res_;
  }

 private:
  // ---- host port: transfers on every node at once, then wait ----
  void write(unsigned n, uint32_t addr, const std::vector<uint64_t>& beats) {
    pending_.push_back({n, axi_[n]->write(addr, beats)});
  }
  size_t read(unsigned n, uint32_t addr, unsigned beats) {
    const size_t i = axi_[n]->read(addr, beats);
    pending_.push_back({n, i});
    return i;
  }
  // Runs until every queued transaction is done; a SLVERR is an error of the run.
  void settle(const char* what = "host port") {
    const uint64_t c0 = sim_.cycle();
    sim_.run_until([&] {
      for (auto& a : axi_) if (!a->idle()) return false;
      return true;
    }, 10'000'000, "host port transfers");
    res_.host_transfer_cycles += sim_.cycle() - c0;
    if (tl_ && what && sim_.cycle() > c0) tl_->span("host", "host", what, c0, sim_.cycle());
    for (const auto& p : pending_) {
      if (axi_[p.first]->txn(p.second).resp != 0 && res_.error.empty()) {
        res_.error = "node " + std::to_string(p.first) + ": host port answered SLVERR at offset 0x" + hex(axi_[p.first]->txn(p.second).addr);
      }
    }
    pending_.clear();
  }
  static std::string hex(uint64_t v) {
    char b[32];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
  }
  void write_bytes(unsigned n, uint32_t addr, const std::vector<int8_t>& bytes) {
    for (size_t at = 0; at < bytes.size(); at += 256) {
      std::vector<uint64_t> beats;
      for (size_t w = at; w < std::min(bytes.size(), at + 256); w += 8) {
        uint64_t v = 0;
        for (unsigned i = 0; i < 8 && w + i < bytes.size(); ++i) v |= uint64_t(uint8_t(bytes[w + i])) << (8 * i);
        beats.push_back(v);
      }
      write(n, static_cast<uint32_t>(addr + at), beats);
    }
  }
  // INT32 elements [0, count) of every node's result buffer, read at once.
  std::vector<std::vector<int32_t>> read_results(const std::vector<uint32_t>& count) {
    std::vector<std::vector<std::pair<size_t, unsigned>>> parts(s_.nodes);
    for (unsigned n = 0; n < s_.nodes; ++n) {
      const uint32_t beats = (count[n] + 1) / 2;
      for (uint32_t b = 0; b < beats; b += 64) {
        const unsigned len = std::min<uint32_t>(64, beats - b);
        parts[n].push_back({read(n, fw::kResults + 8 * b, len), len});
      }
    }
    settle("read results");
    std::vector<std::vector<int32_t>> out(s_.nodes);
    for (unsigned n = 0; n < s_.nodes; ++n) {
      for (const auto& p : parts[n]) {
        for (uint64_t v : axi_[n]->txn(p.first).data) {
          out[n].push_back(static_cast<int32_t>(v));
          out[n].push_back(static_cast<int32_t>(v >> 32));
        }
      }
      out[n].resize(count[n]);
    }
    return out;
  }
  std::vector<std::array<uint64_t, kCounters>> counters() {
    std::vector<size_t> idx(s_.nodes);
    for (unsigned n = 0; n < s_.nodes; ++n) idx[n] = read(n, regs::kCntFirst, kCounters);
    settle("read counters");
    std::vector<std::array<uint64_t, kCounters>> c(s_.nodes);
    for (unsigned n = 0; n < s_.nodes; ++n) {
      const auto& d = axi_[n]->txn(idx[n]).data;
      for (unsigned i = 0; i < kCounters && i < d.size(); ++i) c[n][i] = d[i];
    }
    return c;
  }
  static unsigned cnt(uint32_t reg) { return (reg - regs::kCntFirst) / 8; }
  // --counters: one row per node with every counter.
  void counter_rows(const char* when, int64_t op) {
    const uint64_t c = sim_.cycle();
    const auto k = counters();
    for (unsigned n = 0; n < s_.nodes; ++n) {
      res_.counter_rows.push_back({when, op, token_, op >= 0 ? step_name_ : "", n, c,
                                   std::vector<uint64_t>(k[n].begin(), k[n].end())});
    }
  }

  // Polls STATUS of every node until all are idle or one halted (then reads its error).
  bool wait_idle() {
    const uint64_t c0 = sim_.cycle();
    uint64_t polls = 0;
    struct Span {  // one timeline span for the whole wait, however it ends
      DecodeRunner& r;
      uint64_t c0;
      const uint64_t& polls;
      ~Span() {
        if (r.tl_) r.tl_->span("host", "host", "wait: poll STATUS", c0, r.sim_.cycle(), {{"polls", std::to_string(polls)}});
      }
    } span{*this, c0, polls};
    for (;; ++polls) {
      std::vector<size_t> idx(s_.nodes);
      for (unsigned n = 0; n < s_.nodes; ++n) idx[n] = read(n, regs::kStatus, 1);
      settle(nullptr);
      bool busy = false;
      for (unsigned n = 0; n < s_.nodes; ++n) {
        const uint64_t st = axi_[n]->txn(idx[n]).data.at(0);
        if ((st >> regs::kStatusHaltedLsb) & 1) {
          report_halt(n);
          return false;
        }
        busy = busy || ((st >> regs::kStatusBusyLsb) & 1);
      }
      if (!busy) return true;
      sim_.run(o_.poll_cycles);
    }
  }
  void report_halt(unsigned n) {
    const size_t e = read(n, regs::kError, 2);  // ERROR, ERROR_ADDR
    settle();
    const auto& d = axi_[n]->txn(e).data;
    const uint32_t code = d.at(0) & 0xff, detail = (d.at(0) >> 8) & 0xff, index = static_cast<uint32_t>(d.at(0) >> 32);
    res_.error = "node " + std::to_string(n) + " halted: error " + std::to_string(code) + " (" + node_error_name(code) +
                 "), command index " + std::to_string(index) + ", detail " + std::to_string(detail) +
                 (code == 6 ? ", flash address 0x" + hex(d.at(1)) : "") + " (token " + std::to_string(token_) +
                 ", step " + step_name_ + ")";
  }

  // ---- the steps of a token ----
  struct Step {
    Tensor t = Tensor::kQkv;
    uint32_t layer = 0, expert = 0, tile = 0;
  };
  fw::decode::Slice slice(const Step& s, unsigned n) const { return comp_.slice(s.t, s.layer, s.expert, n); }

  // The step after `s` in this token (or the first of the next), if it is known now: after O of
  // an MoE layer the experts are not routed yet.
  std::optional<Step> next_step(const Step& s) const {
    uint32_t tiles = 0;
    for (unsigned n = 0; n < s_.nodes; ++n) tiles = std::max(tiles, comp_.tiles(slice(s, n)));
    if (s.tile + 1 < tiles) return Step{s.t, s.layer, s.expert, s.tile + 1};
    const bool moe = m_.experts > 1;
    switch (s.t) {
      case Tensor::kQkv: return Step{Tensor::kO, s.layer, 0, 0};
      case Tensor::kO:
        if (moe) return std::nullopt;
        return Step{Tensor::kGateUp, s.layer, 0, 0};
      case Tensor::kGateUp: return Step{Tensor::kDown, s.layer, s.expert, 0};
      case Tensor::kDown: {
        if (moe) {
          const auto it = std::find(experts_now_.begin(), experts_now_.end(), s.expert);
          if (it != experts_now_.end() && it + 1 != experts_now_.end()) return Step{Tensor::kGateUp, s.layer, *(it + 1), 0};
        }
        if (s.layer + 1 < layers_) return Step{Tensor::kQkv, s.layer + 1, 0, 0};
        return Step{Tensor::kLmHead, 0, 0, 0};
      }
      case Tensor::kLmHead:
        if (token_ + 1 < o_.tokens) return Step{Tensor::kQkv, 0, 0, 0};
        return std::nullopt;
    }
    return std::nullopt;
  }
  // Node n's next GEMV after step s, for its PREFETCH.
  std::optional<isa::Gemv> next_gemv(const Step& s, unsigned n) const {
    std::optional<Step> x = next_step(s);
    for (int guard = 0; x && guard < 4; ++guard) {
      const fw::decode::Slice sl = slice(*x, n);
      if (x->tile < comp_.tiles(sl)) return comp_.gemv(sl, x->tile);
      x = next_step(*x);
    }
    return std::nullopt;
  }

  // One matrix on every node (all its tiles): writes the activations, runs the steps, checks
  // every value, and returns the dequantised device results [batch][global row, parts in order]
  // and the float reference's [batch][row].
  void matmul(Tensor t, uint32_t layer, uint32_t expert, const std::vector<QVec>& xq, const std::vector<Vec>& xf,
              std::vector<Vec>& dev, std::vector<Vec>& flt) {
    const bool rowp = fw::decode::row_parallel(t);
    uint32_t total_rows = 0;
    for (uint32_t p = 0; p < comp_.parts(t); ++p) total_rows += comp_.part_rows(t, p);
    dev.assign(o_.batch, Vec(total_rows, 0.0f));
    flt.assign(o_.batch, Vec(total_rows, 0.0f));
    // Activations: every node its input columns, whole lane words (zero padded).
    for (unsigned n = 0; n < s_.nodes; ++n) {
      const fw::decode::Slice sl = comp_.slice(t, layer, expert, n);
      const uint32_t padded = (sl.k + s_.lane_bytes - 1) / s_.lane_bytes * s_.lane_bytes;
      for (uint32_t b = 0; b < o_.batch; ++b) {
        std::vector<int8_t> q(padded, 0);
        std::copy(xq[b].q.begin() + sl.k_first, xq[b].q.begin() + sl.k_first + sl.k, q.begin());
        Vec f(xf[b].begin() + sl.k_first, xf[b].begin() + sl.k_first + sl.k);
        write_bytes(n, fw::kActivations + b * s_.max_k, q);
        q.resize(sl.k);
        ref_->write_activations(n, b, 0, q, f);
      }
    }
    settle("write activations");
    Step st{t, layer, expert, 0};
    std::optional<Step> cur = st;
    while (cur && cur->t == t && cur->layer == layer && cur->expert == expert && res_.error.empty()) {
      run_step(*cur, xq, rowp, dev, flt);
      const std::optional<Step> nx = next_step(*cur);
      cur = (nx && nx->t == t && nx->layer == layer && nx->expert == expert) ? nx : std::nullopt;
    }
  }

  void run_step(const Step& st, const std::vector<QVec>& xq, bool rowp, std::vector<Vec>& dev, std::vector<Vec>& flt) {
    step_name_ = std::string(fw::decode::tensor_name(st.t)) + " layer " + std::to_string(st.layer) +
                 (m_.experts > 1 ? " expert " + std::to_string(st.expert) : "") + " tile " + std::to_string(st.tile);
    TraceStep ts;
    ts.tensor = st.t;
    ts.layer = st.layer;
    ts.expert = st.expert;
    ts.tile = st.tile;
    ts.cmds.resize(s_.nodes);
    std::vector<fw::decode::Slice> sl(s_.nodes);
    std::vector<fw::decode::Range> tile(s_.nodes);
    for (unsigned n = 0; n < s_.nodes; ++n) {
      sl[n] = slice(st, n);
      tile[n] = st.tile < comp_.tiles(sl[n]) ? comp_.tile(sl[n], st.tile) : fw::decode::Range{};
      if (tile[n].count) {
        const isa::Gemv g = comp_.gemv(sl[n], st.tile);
        ts.cmds[n].push_back(g.encode());
        if (rowp && s_.nodes > 1) ts.cmds[n].push_back(comp_.allreduce(g).encode());
        res_.streamed_bytes += uint64_t(g.rows) * sl[n].row_bytes;
      }
      if (const auto nx = next_gemv(st, n)) {
        const uint32_t per_lane = nx->int4 ? 2 * s_.lane_bytes : s_.lane_bytes;
        ts.cmds[n].push_back(fw::decode::Compiler::prefetch(*nx, (nx->k + per_lane - 1) / per_lane * s_.lane_bytes).encode());
      }
    }
    if (o_.replay) {
      if (step_index_ >= o_.replay->steps.size()) {
        res_.error = o_.replay->source + ": the trace ends before step " + step_name_ + " of token " + std::to_string(token_);
        return;
      }
      const TraceStep& r = o_.replay->steps[step_index_];
      if (r.tensor != st.t || r.layer != st.layer || r.expert != st.expert || r.tile != st.tile) {
        res_.error = o_.replay->source + ":" + std::to_string(r.line) + ": step: expected " + step_name_ +
                     " of token " + std::to_string(token_);
        return;
      }
      ts.cmds = r.cmds;
    }
    const uint64_t op = step_index_++;
    const uint64_t op_start = sim_.cycle();
    const bool wave_here = o_.wave_op >= 0 && op == static_cast<uint64_t>(o_.wave_op);
    if (wave_here) {
      sim_.set_wave_window(op_start, ~0ull);
      res_.wave_first = op_start;
      res_.wave_op_found = true;
    }
    struct OpEnd {  // closes the op's span (and wave window) however the step ends
      DecodeRunner& r;
      uint64_t op, start;
      bool wave;
      ~OpEnd() {
        const uint64_t end = r.sim_.cycle();
        if (wave) {
          r.sim_.set_wave_window(start, end > start ? end - 1 : start);
          r.res_.wave_last = end > start ? end - 1 : start;
        }
        if (r.tl_) r.tl_->span("host", "host", "op " + std::to_string(op) + ": " + r.step_name_, start, end,
                               {{"op", std::to_string(op)}, {"token", std::to_string(r.token_)}});
      }
    } op_end{*this, op, op_start, wave_here};
    if (trace_.is_open()) trace_.step(ts);
    // Reference: on a second thread while the RTL runs, or when its result is asked for.
    auto ref_job = std::async(o_.reference_beside ? std::launch::async : std::launch::deferred, [this, ts] {
      const auto r0 = std::chrono::steady_clock::now();
      std::string why;
      for (unsigned n = 0; n < s_.nodes && why.empty(); ++n) {
        for (const isa::Cmd& c : ts.cmds[n]) {
          why = ref_->apply(n, c);
          if (!why.empty()) break;
        }
      }
      return std::make_pair(why, std::chrono::duration<double>(std::chrono::steady_clock::now() - r0).count());
    });
    for (unsigned n = 0; n < s_.nodes; ++n) {
      for (const isa::Cmd& c : ts.cmds[n]) {
        write(n, fw::kCmdQueue, {uint64_t(c.w[0]) | uint64_t(c.w[1]) << 32, uint64_t(c.w[2]) | uint64_t(c.w[3]) << 32});
        ++res_.device_ops;
        if (events_) events_->expect(n, cmd_label(c), "op " + std::to_string(op) + ": " + step_name_);
      }
    }
    settle("queue commands");
    const bool ok = res_.error.empty() && wait_idle();
    const auto rr = ref_job.get();
    res_.ref_wall_s += rr.second;
    if (!ok) return;
    if (!rr.first.empty()) {
      res_.error = "reference: " + rr.first + " (token " + std::to_string(token_) + ", step " + step_name_ + ")";
      return;
    }
    // Results of every node: column-parallel its rows, row-parallel the whole reduced vector.
    std::vector<uint32_t> count(s_.nodes);
    for (unsigned n = 0; n < s_.nodes; ++n) count[n] = tile[n].count * o_.batch;
    const auto got = read_results(count);
    for (unsigned n = 0; n < s_.nodes; ++n) {
      const auto& want = ref_->results(n);
      for (uint32_t i = 0; i < count[n]; ++i) {
        ++res_.values_checked;
        if (got[n][i] != want[i]) {
          if (res_.mismatches < 10) {
            log("MISMATCH token " + std::to_string(token_) + " step " + step_name_ + " node " + std::to_string(n) +
                " element " + std::to_string(i) + ": expected " + std::to_string(want[i]) + ", got " +
                std::to_string(got[n][i]));
          }
          ++res_.mismatches;
        }
      }
    }
    // Dequantise into global rows.
    for (unsigned n = 0; n < s_.nodes; ++n) {
      if (!tile[n].count || (rowp && n > 0)) continue;
      const fw::decode::Slice& s = sl[n];
      for (uint32_t j = 0; j < tile[n].count; ++j) {
        const uint32_t local = tile[n].first + j;
        uint32_t part = 0, off = 0, base = 0;
        while (part + 1 < s.parts && local >= off + s.part[part].count) {
          off += s.part[part].count;
          base += comp_.part_rows(st.t, part);
          ++part;
        }
        const uint32_t grow = s.part[part].first + (local - off);
        const float scale = params_.row_scale(st.t, st.layer, st.expert, part, grow);
        for (uint32_t b = 0; b < o_.batch; ++b) {
          dev[b][base + grow] = static_cast<float>(got[n][b * tile[n].count + j]) * xq[b].scale * scale;
          float f = 0.0f;
          if (rowp) {
            for (unsigned k = 0; k < s_.nodes; ++k) f += ref_->float_results(k)[b][j];
          } else {
            f = ref_->float_results(n)[b][j];
          }
          flt[b][base + grow] = f * scale;
        }
      }
    }
    if (o_.counters_per_op) counter_rows("op", static_cast<int64_t>(op));
    if (o_.progress) {
      std::fprintf(stderr, "\rpnmsim: token %u/%u  %-28s cycle %llu  mismatches %llu   ", token_ + 1, o_.tokens,
                   step_name_.c_str(), static_cast<unsigned long long>(sim_.cycle()),
                   static_cast<unsigned long long>(res_.mismatches));
    }
  }

  struct Lane {  // one pipeline (device-fed or float reference), one sequence per batch entry
    std::vector<Vec> h;
    std::vector<KvCache> cache;
  };

  void run_token(uint32_t t, std::vector<uint32_t>& toks) {
    const uint64_t c0 = sim_.cycle();
    const auto k0 = counters();
    if (trace_.is_open()) trace_.token(t, toks);
    for (Lane* ln : {&dev_, &flt_}) {
      ln->h.resize(o_.batch);
      ln->cache.resize(o_.batch);
      for (uint32_t b = 0; b < o_.batch; ++b) ln->h[b] = params_.embedding(toks[b]);
    }
    const uint32_t d = m_.head_dim(), kvd = m_.kv_dim(), pos = t;
    for (uint32_t l = 0; l < layers_ && res_.error.empty(); ++l) {
      // Attention block.
      std::vector<QVec> xq;
      std::vector<Vec> xf, od, of;
      normed(xq, xf);
      matmul(Tensor::kQkv, l, 0, xq, xf, od, of);
      if (!res_.error.empty()) return;
      std::vector<Vec> ad(o_.batch), af(o_.batch);
      for (uint32_t b = 0; b < o_.batch; ++b) {
        for (auto [ln, qkv, out] : {std::tuple{&dev_, &od, &ad}, std::tuple{&flt_, &of, &af}}) {
          const Vec& v = (*qkv)[b];
          Vec q(v.begin(), v.begin() + m_.hidden), k(v.begin() + m_.hidden, v.begin() + m_.hidden + kvd),
              vv(v.begin() + m_.hidden + kvd, v.begin() + m_.hidden + 2 * kvd);
          rope(q, d, pos, theta_);
          rope(k, d, pos, theta_);
          (*out)[b] = attention(m_, ln->cache[b], l, q, k, vv);
        }
      }
      if (trace_.is_open()) trace_.host("attention layer=" + std::to_string(l) + " pos=" + std::to_string(pos));
      if (tl_) tl_->instant("host", "host steps", "RoPE + attention, layer " + std::to_string(l), sim_.cycle());
      std::vector<QVec> aq(o_.batch);
      for (uint32_t b = 0; b < o_.batch; ++b) aq[b] = quantize(ad[b]);
      matmul(Tensor::kO, l, 0, aq, af, od, of);
      if (!res_.error.empty()) return;
      add(dev_, od);
      add(flt_, of);
      // FFN block (dense, or the routed experts).
      normed(xq, xf);
      std::vector<Route> rd(o_.batch), rf(o_.batch);
      experts_now_ = {0};
      if (m_.experts > 1) {
        experts_now_.clear();
        for (uint32_t b = 0; b < o_.batch; ++b) {
          rd[b] = route(params_.router_logits(l, dev_norm_[b]), m_.experts_per_token);
          rf[b] = route(params_.router_logits(l, xf[b]), m_.experts_per_token);
          for (uint32_t e : rd[b].experts) experts_now_.push_back(e);
          for (uint32_t e : rf[b].experts) experts_now_.push_back(e);
        }
        std::sort(experts_now_.begin(), experts_now_.end());
        experts_now_.erase(std::unique(experts_now_.begin(), experts_now_.end()), experts_now_.end());
        if (trace_.is_open()) trace_.host("route layer=" + std::to_string(l));
        if (tl_) tl_->instant("host", "host steps", "router, layer " + std::to_string(l), sim_.cycle());
      }
      std::vector<Vec> sum_d(o_.batch, Vec(m_.hidden, 0.0f)), sum_f(o_.batch, Vec(m_.hidden, 0.0f));
      for (uint32_t e : experts_now_) {
        matmul(Tensor::kGateUp, l, e, xq, xf, od, of);
        if (!res_.error.empty()) return;
        std::vector<QVec> mq(o_.batch);
        std::vector<Vec> mf(o_.batch);
        for (uint32_t b = 0; b < o_.batch; ++b) {
          Vec md(m_.ffn);
          mf[b].resize(m_.ffn);
          for (uint32_t i = 0; i < m_.ffn; ++i) {
            md[i] = silu(od[b][i]) * od[b][m_.ffn + i];
            mf[b][i] = silu(of[b][i]) * of[b][m_.ffn + i];
          }
          mq[b] = quantize(md);
        }
        matmul(Tensor::kDown, l, e, mq, mf, od, of);
        if (!res_.error.empty()) return;
        for (uint32_t b = 0; b < o_.batch; ++b) {
          const float wd = weight_of(rd[b], e), wf = weight_of(rf[b], e);
          for (uint32_t i = 0; i < m_.hidden; ++i) {
            sum_d[b][i] += wd * od[b][i];
            sum_f[b][i] += wf * of[b][i];
          }
        }
      }
      add(dev_, sum_d);
      add(flt_, sum_f);
    }
    // LM head and greedy sampling.
    std::vector<QVec> xq;
    std::vector<Vec> xf, ld, lf;
    normed(xq, xf);
    matmul(Tensor::kLmHead, 0, 0, xq, xf, ld, lf);
    if (!res_.error.empty()) return;
    res_.cosine.push_back(cosine(dev_norm_[0], xf[0]));
    for (uint32_t b = 0; b < o_.batch; ++b) toks[b] = argmax(ld[b]);
    if (trace_.is_open()) trace_.host("sample tokens");
    if (tl_) tl_->instant("host", "host steps", "LM head argmax (sample)", sim_.cycle());
    const auto k1 = counters();
    const uint64_t cyc = sim_.cycle() - c0;
    res_.token_cycles.push_back(cyc);
    res_.cycles += cyc;
    auto delta = [&](unsigned n, uint32_t reg) { return k1[n][cnt(reg)] - k0[n][cnt(reg)]; };
    const uint64_t stream = (node_bytes_token(0) + fp_.geometry.channels * fp_.ch_bytes - 1) /
                            (fp_.geometry.channels * fp_.ch_bytes);
    Bubbles bt;
    bt.tr_wait = delta(0, regs::kCntSeqGemvWait);
    bt.collective = delta(0, regs::kCntSeqColl);
    bt.host = delta(0, regs::kCntSeqIdle);
    const uint64_t accounted = stream + bt.tr_wait + bt.collective + bt.host;
    bt.other = cyc > accounted ? cyc - accounted : 0;
    res_.stream_cycles += stream;
    res_.token_bubbles.push_back(bt);
    res_.token_stream_cycles.push_back(stream);
    if (tl_) tl_->span("host", "host", "token " + std::to_string(t), c0, sim_.cycle(), {{"token", std::to_string(t)}});
    res_.bubbles.tr_wait += bt.tr_wait;
    res_.bubbles.collective += bt.collective;
    res_.bubbles.host += bt.host;
    res_.bubbles.other += bt.other;
    for (unsigned n = 0; n < s_.nodes; ++n) {
      res_.flash_bytes += delta(n, regs::kCntFlashBytes);
      res_.ecc_corrected += delta(n, regs::kCntFlashCorrected);
      res_.ecc_uncorrectable += delta(n, regs::kCntFlashUncorrectable);
    }
    res_.ring_ops += delta(0, regs::kCntRingOps);
    res_.ring_busy_cycles += delta(0, regs::kCntRingBusy);
  }

  static float weight_of(const Route& r, uint32_t e) {
    for (size_t i = 0; i < r.experts.size(); ++i) {
      if (r.experts[i] == e) return r.weights[i];
    }
    return 0.0f;
  }
  // RMSNorm of both lanes; the device lane quantised.
  void normed(std::vector<QVec>& xq, std::vector<Vec>& xf) {
    xq.assign(o_.batch, {});
    xf.assign(o_.batch, {});
    dev_norm_.assign(o_.batch, {});
    for (uint32_t b = 0; b < o_.batch; ++b) {
      dev_norm_[b] = rmsnorm(dev_.h[b], eps_);
      xq[b] = quantize(dev_norm_[b]);
      xf[b] = rmsnorm(flt_.h[b], eps_);
    }
  }
  static void add(Lane& ln, const std::vector<Vec>& d) {
    for (size_t b = 0; b < ln.h.size(); ++b) {
      for (size_t i = 0; i < ln.h[b].size(); ++i) ln.h[b][i] += d[b][i];
    }
  }
  // Weight bytes node n streams per token (padded rows), and the model's bytes per token.
  uint64_t node_bytes_token(unsigned n) const {
    uint64_t b = comp_.shape(Tensor::kLmHead, n).bytes();
    b += uint64_t(layers_) * (comp_.shape(Tensor::kQkv, n).bytes() + comp_.shape(Tensor::kO, n).bytes() +
                              uint64_t(m_.experts_per_token) * (comp_.shape(Tensor::kGateUp, n).bytes() +
                                                                comp_.shape(Tensor::kDown, n).bytes()));
    return b;
  }
  uint64_t model_bytes() const {
    const double per = m_.int4 ? 0.5 : 1.0;
    const double layer = double(m_.hidden) * (m_.hidden + 2.0 * m_.kv_dim()) + double(m_.hidden) * m_.hidden +
                         double(m_.experts_per_token) * 3.0 * m_.ffn * m_.hidden;
    return static_cast<uint64_t>((layer * layers_ + double(m_.vocab) * m_.hidden) * per);
  }
  static std::string cmd_label(const isa::Cmd& c) {
    const isa::Opcode op = isa::opcode_of(c);
    std::string s = isa::opcode_name(op);
    if (op == isa::Opcode::kGemv) {
      const isa::Gemv g = isa::Gemv::decode(c);
      s += " rows=" + std::to_string(g.rows) + " k=" + std::to_string(g.k);
    }
    return s;
  }
  void log(const std::string& s) const {
    if (o_.log) {
      o_.log(s);
    } else {
      std::printf("%s\n", s.c_str());
    }
  }

 public:
  // Figures for the report that need the build.
  uint64_t node_bytes_per_cycle() const { return uint64_t(fp_.geometry.channels) * fp_.ch_bytes; }
  double rope_theta() const { return theta_; }
  void set_float_params(double theta, double eps) {
    theta_ = theta;
    eps_ = eps;
  }

 private:
  fw::decode::ModelShape m_;
  fw::decode::SystemShape s_;
  DecodeOptions o_;
  fw::decode::Compiler comp_;
  Params params_;
  tb::Sim<Model> sim_;
  std::vector<std::unique_ptr<tb::Rng>> axi_rng_;
  tb::flash::Params fp_;
  std::vector<std::unique_ptr<tb::FlashDieModel>> dies_;
  std::vector<std::unique_ptr<tb::flash::FlashPort<Port>>> ports_;
  std::vector<std::unique_ptr<tb::AxiMaster<Port>>> axi_;
  std::unique_ptr<DeviceRef> ref_;
  std::unique_ptr<Timeline> tl_;
  std::unique_ptr<EventTracker<Model>> events_;
  std::vector<std::pair<unsigned, size_t>> pending_;
  TraceWriter trace_;
  DecodeResult res_;
  Lane dev_, flt_;
  std::vector<Vec> dev_norm_;
  std::vector<uint32_t> experts_now_{0};
  uint32_t layers_ = 0, token_ = 0;
  size_t step_index_ = 0;
  std::string step_name_;
  double theta_ = 10000.0, eps_ = 1e-5;
};

}  // namespace pnm::host
