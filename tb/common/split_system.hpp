// pnm_system simulated as separate Verilated models: one pnm_node model per node (all of one
// class, so the nodes share their code) and one ring_fabric model, wired together here exactly as
// rtl/top/pnm_system.sv wires them. The same RTL and the same cycles as the single pnm_system model
// (tests/cli/check_split.py compares the two on a decode run); faster because the single model
// inlines every node separately and its code no longer fits the caches (docs/performance.md).
//
// Sim<SplitSystem> drives it like any model: clk_i and rst_ni, eval(), final(). eval() first
// evaluates every model with the inputs it already holds (on a rising clock this is the edge of
// every model at once, each sampling the values of before the edge), then moves the ring signals
// across (node -> ring: inj_valid, inj_data, ej_ready; ring -> node: inj_ready, ej_valid, ej_data)
// and re-evaluates the models whose inputs changed, until nothing changes: the combinational paths
// through the ring interface (the router's inj_ready follows inj_valid) settle as in one model.
//
// An idle ring is not evaluated: when ring_fabric's idle_o is high (no flit or credit anywhere,
// the link registers settled), no node injects and no ring input changed since its last
// evaluation, which was at a rising clock, a clock edge would change none of its registers, so
// eval() leaves the model alone (ring_skips()). The first evaluation with a changed input is at
// the level the clock has then; the edges skipped were no-ops. The ring is idle for all but a few
// thousand cycles of a decode token, and it is a fifth of the work of a cycle.
//
// Components reach node n through NodeAccess (below): its own model, slice 0 of 1.
//
// set_threads(2) evaluates the second half of the nodes on a worker thread while this thread
// evaluates the first half and the ring (the models are independent until the exchange). The
// worker spins between cycles, so it wants a core of its own; results do not depend on it.
//
// Node-local components (add_node_component: a node's flash port and die model) run on the
// thread that evaluates their node, right before its first evaluation of the call: drive() at
// the falling clock, sample() at the rising one (set_node_work, from Sim::step). Between
// Sim::step's two evaluations nothing changes a node's ports, so sample() sees the same values
// as in the single model, where it runs between them; the flash model work is thus split over
// the two threads instead of serialising the cycle.
//
// Quiet cycles take one hand-over between the threads instead of two (set_fuse_quiet_cycles).
// A cycle is quiet when, at its falling clock, the ring is idle, no flit is offered or delivered
// (every node's inj_valid_o and the ring's ej_valid_o are low) and no ring input changed: then
// the falling-clock evaluation changes none of the ring signals (a node's inj_valid_o and
// inj_data_o come from flops, its ej_ready_o is low without ej_valid_i), so the worker's nodes
// need nothing from each other until the rising clock. The falling-clock call then evaluates
// nothing; the rising-clock call has each thread run its half of the nodes through the whole
// cycle, node by node: drive(), the falling-clock evaluation, sample(), the rising-clock
// evaluation. Each node sees exactly the inputs, in the same order, as with two hand-overs; a
// node whose ring outputs did change at the falling clock is an error (the premise above no
// longer holds for the RTL), and cli.split_equals_single compares the runs.
// It requires that nothing outside the node components touches the worker's nodes between the
// two evaluations (Sim::step allows it only when Sim has no other component).
//
// In a quiet cycle where no component of a node samples settled outputs
// (Component::samples_settled_outputs: the flash port reads registered outputs only, an idle AXI
// master reads nothing), the node's falling-clock evaluation is left out: the rising-clock
// evaluation computes the same combinational values from the same inputs first. Verilator only
// needs to know that the clock was low, which is one field of the model's root
// (__Vtrigrprev__TOP__clk_i in Verilator 5.006, __Vtrigprevexpr___TOP__clk_i__0 in later 5.x);
// where the model has neither (another Verilator, or the root header not included) the falling
// evaluation is always made.
//
// Quiet windows (run_quiet, set_quiet_window): while the ring is idle and no node offers it
// anything, the nodes need nothing from each other, so each thread takes its nodes through up to
// W whole quiet cycles on one hand-over instead of one. A node whose ring outputs change at the
// rising clock of window cycle c stops there (its next cycle needs the ring); the others go on to
// W. Back on the calling thread, the cycles every node finished are done; the ring interface of
// cycle c settles as in eval() and the nodes that went further are "ahead": the next eval()
// calls leave them (and their components) out until the others have caught up, and the ring
// sees their outputs as they were given it. That is exact as long as the ring outputs of an
// ahead node do not change in the cycles it ran ahead: a node's offer reaches another node
// through the router's output register and the link's Latency registers, so W no larger than
// the link latency keeps it (pnmsim sets W to it). The settling of each catch-up cycle checks it:
// a ring output that would have changed for a node ahead is an error naming the node, never a
// wrong input. Sim::run uses windows when it has no component of its own.
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bits.hpp"
#include "component.hpp"

namespace pnm::tb {

namespace split_detail {
// The previous-clock field that Verilated models keep to find rising edges: its name in
// Verilator 5.006 and in later 5.x releases (5.048 seen).
template <class M, class = void>
struct HasClockPrev5006 : std::false_type {};
template <class M>
struct HasClockPrev5006<M, std::void_t<decltype(std::declval<M&>().rootp->__Vtrigrprev__TOP__clk_i)>>
    : std::true_type {};
template <class M, class = void>
struct HasClockPrevExpr : std::false_type {};
template <class M>
struct HasClockPrevExpr<M, std::void_t<decltype(std::declval<M&>().rootp->__Vtrigprevexpr___TOP__clk_i__0)>>
    : std::true_type {};
template <class M>
struct HasClockPrev
    : std::integral_constant<bool, HasClockPrev5006<M>::value || HasClockPrevExpr<M>::value> {};
// Sets the field as a falling-clock evaluation would leave it (clock low).
template <class M>
void set_clock_prev_low(M& d) {
  if constexpr (HasClockPrev5006<M>::value) {
    d.rootp->__Vtrigrprev__TOP__clk_i = 0;
  } else {
    d.rootp->__Vtrigprevexpr___TOP__clk_i__0 = 0;
  }
}

// Copies `width` bits from src[src_lo..] to dst[dst_lo..]; true when dst changed.
template <class D, class S>
inline bool copy_bits(D& dst, unsigned dst_lo, const S& src, unsigned src_lo, unsigned width) {
  bool changed = false;
  for (unsigned done = 0; done < width; done += 32) {
    const unsigned w = std::min(32u, width - done);
    changed |= set_port_field(dst, dst_lo + done, w, port_field(src, src_lo + done, w));
  }
  return changed;
}
}  // namespace split_detail

template <class NodeModel, class RingModel, unsigned Nodes, unsigned PortWidth>
class SplitSystem {
  static_assert(Nodes >= 2, "the ring needs two nodes");

 public:
  static constexpr unsigned kNodes = Nodes;
  using Node = NodeModel;

  CData clk_i = 0;
  CData rst_ni = 1;

  SplitSystem(VerilatedContext* ctx, const char* name) : ctx_(ctx), name_(name) {
    for (unsigned n = 0; n < Nodes; ++n) {
      node_[n] = std::make_unique<NodeModel>(ctx, (name_ + ".node" + std::to_string(n)).c_str());
      node_[n]->node_id_i = static_cast<std::remove_reference_t<decltype(node_[n]->node_id_i)>>(n);
    }
    ring_ = std::make_unique<RingModel>(ctx, (name_ + ".ring").c_str());
  }

  ~SplitSystem() { stop_worker(); }
  SplitSystem(const SplitSystem&) = delete;
  SplitSystem& operator=(const SplitSystem&) = delete;

  // 1: every model on the calling thread; 2: nodes [Nodes/2, Nodes) on a worker thread.
  void set_threads(unsigned threads) {
    if (threads < 1 || threads > 2) throw std::runtime_error(name_ + ": threads must be 1 or 2");
    stop_worker();
    if (threads == 2) {
      stop_ = false;
      const uint32_t seen = go_.load(std::memory_order_acquire);
      worker_ = std::thread([this, seen] { worker_loop(seen); });
    }
  }
  unsigned threads() const { return worker_.joinable() ? 2 : 1; }

  // Components that touch node n's ports and their own state only (see the header comment).
  void add_node_component(unsigned n, Component& c) { node_comp_.at(n).push_back(&c); }
  void set_node_work(NodeWork w) { work_ = w; }
  // true: a quiet cycle takes one hand-over (header comment). Sim::step sets it before each
  // cycle: allowed only while no component outside the node components watches the nodes.
  void set_fuse_quiet_cycles(bool on) { fuse_ok_ = on; }
  // W of the header comment (0 or 1: no windows); at most kMaxWindow.
  void set_quiet_window(unsigned w) {
    if (w > kMaxWindow) throw std::runtime_error(name_ + ": quiet window " + std::to_string(w) + " above " + std::to_string(kMaxWindow));
    window_ = w;
  }
  // Cycles run with one hand-over so far (quiet cycles and the cycles of quiet windows), node
  // evaluations left out in them, and the windows.
  uint64_t quiet_cycles() const { return quiet_cycles_; }
  uint64_t quiet_windows() const { return quiet_windows_; }
  uint64_t falls_skipped() const {
    uint64_t sum = 0;
    for (const NodeCount& f : falls_skipped_) sum += f.n;
    return sum;
  }

  // Runs up to `cycles` whole cycles (falling and rising clock) as quiet windows (header
  // comment) and returns how many every node finished; 0 when the system is not quiet now, has
  // no worker or no window, or nodes are still catching up. Call between cycles (after a rising
  // evaluation) only, with set_fuse_quiet_cycles(true). Nodes ahead finish catching up within the
  // `cycles` asked for, so the next eval() calls of those cycles must follow.
  uint64_t run_quiet(uint64_t cycles) {
    if (!worker_.joinable() || window_ < 2 || !fuse_ok_ || !primed_ || nodes_ahead_ || deferred_ || !clk_i ||
        work_ != NodeWork::kNone || !quiet()) {
      return 0;
    }
    const unsigned w = static_cast<unsigned>(std::min<uint64_t>(cycles, window_));
    if (w < 2) return 0;
    window_len_ = w;
    const uint32_t g = start_worker(Handover::kWindow);
    window_nodes(0, kHalf, w);
    wait_for([&] { return done_.load(std::memory_order_acquire) == g; });
    throw_if_premise_broken();
    unsigned done = w;
    for (unsigned n = 0; n < Nodes; ++n) done = std::min(done, pos_[n].n);
    nodes_ahead_ = 0;
    for (unsigned n = 0; n < Nodes; ++n) {
      ahead_[n] = pos_[n].n - done;
      node_evals_ += 2 * pos_[n].n;
      if (ahead_[n]) ++nodes_ahead_;
    }
    quiet_cycles_ += done;
    ring_skips_ += 2 * done;
    ++quiet_windows_;
    settle();  // the ring interface of the last cycle every node finished
    return done;
  }

  NodeModel& node(unsigned n) { return *node_.at(n); }
  RingModel& ring() { return *ring_; }
  const char* name() const { return name_.c_str(); }
  // Model evaluations so far (nodes, ring): the cost figure of the settling loop; ring
  // evaluations left out because the ring was idle.
  uint64_t node_evals() const { return node_evals_ - falls_skipped(); }
  uint64_t ring_evals() const { return ring_evals_; }
  uint64_t ring_skips() const { return ring_skips_; }
  // false: evaluate the ring at every call, idle or not (the reference behaviour).
  void set_skip_idle_ring(bool skip) { skip_idle_ring_ = skip; }

  void eval() {
    for (auto& n : node_) {
      n->clk_i = clk_i;
      n->rst_ni = rst_ni;
    }
    ring_->clk_i = clk_i;
    ring_->rst_ni = rst_ni;
    if (worker_.joinable()) {
      if (!clk_i && fuse_ok_ && primed_ && !nodes_ahead_ && work_ == NodeWork::kDrive && quiet()) {
        // Falling clock of a quiet cycle: every node waits for the rising clock.
        deferred_ = true;
        ++ring_skips_;
        return;
      } else if (deferred_) {
        // Rising clock after a deferred falling one: the worker runs its nodes' whole cycle.
        deferred_ = false;
        if (!clk_i || work_ != NodeWork::kSample) {
          throw std::runtime_error(name_ + ": a deferred falling-clock evaluation must be followed by the rising one");
        }
        const uint32_t g = start_worker(Handover::kCycle);
        quiet_cycle(0, kHalf);
        eval_ring_unless_idle();
        wait_for([&] { return done_.load(std::memory_order_acquire) == g; });
        node_evals_ += 2 * Nodes;  // node_evals() takes the skipped ones off
        ++quiet_cycles_;
        throw_if_premise_broken();
      } else {
        run_worker(Handover::kOne);
        node_evals_ += Nodes - nodes_ahead_;
      }
    } else {
      eval_nodes(0, Nodes);
      eval_ring_unless_idle();
      node_evals_ += Nodes - nodes_ahead_;
    }
    // A node ahead has now caught up when this rising clock ends the last cycle it ran ahead:
    // from this settling on it takes part like the others.
    if (nodes_ahead_ && clk_i) {
      for (unsigned n = 0; n < Nodes; ++n) {
        if (ahead_[n] && --ahead_[n] == 0) --nodes_ahead_;
      }
    }
    settle();
  }

  void final() {
    for (auto& n : node_) n->final();
    ring_->final();
  }

  // Waves need the single pnm_system model (one file, one hierarchy).
  void trace(VerilatedFstC*, int) {
    throw std::runtime_error(name_ + ": waves are written by the single pnm_system model, not the split one");
  }

 private:
  static constexpr unsigned kMaxRounds = 8;
  static constexpr unsigned kHalf = Nodes / 2;
  static constexpr unsigned kMaxWindow = 64;

  // Settles the ring interface: at most a few rounds (ready follows valid inside the router).
  // Nodes ahead (quiet windows) keep their inputs: one that would change is an error.
  void settle() {
    for (unsigned round = 0;; ++round) {
      if (round == kMaxRounds) {
        throw std::runtime_error(name_ + ": the ring interface did not settle in " +
                                 std::to_string(kMaxRounds) + " rounds (combinational loop between node and ring)");
      }
      if (to_ring()) eval_ring();
      const bool ring_changed = ring_outputs_changed();
      primed_ = true;  // from here on the shadows hold what the other side was given
      if (!ring_changed) break;  // the nodes hold the ring's outputs already
      bool any = false;
      for (unsigned n = 0; n < Nodes; ++n) {
        if (to_node(n)) {
          if (ahead_[n]) {
            throw std::runtime_error(name_ + ": node " + std::to_string(n) + " ran " + std::to_string(ahead_[n]) +
                                     " cycles ahead in a quiet window, but its ring inputs changed meanwhile "
                                     "(quiet window " + std::to_string(window_) + " longer than the ring's latency?)");
          }
          node_[n]->eval();
          ++node_evals_;
          any = true;
        }
      }
      if (!any) break;
    }
  }

  // Nodes [first, last) with their components' work of this call (work_ is read-only while
  // the worker runs: set_node_work is called between evaluations).
  void eval_nodes(unsigned first, unsigned last) {
    for (unsigned n = first; n < last; ++n) {
      if (ahead_[n]) continue;  // it ran this cycle in a quiet window already
      if (work_ == NodeWork::kDrive) {
        for (Component* c : node_comp_[n]) c->drive();
      } else if (work_ == NodeWork::kSample) {
        for (Component* c : node_comp_[n]) c->sample();
      }
      node_[n]->eval();
    }
  }

  // What the worker does for its nodes on one hand-over: the evaluation of this call, or (a
  // quiet cycle) the falling-clock and rising-clock evaluations with their components' work.
  enum class Handover { kOne, kCycle, kWindow };
  uint32_t start_worker(Handover h) {
    handover_ = h;
    const uint32_t g = go_.load(std::memory_order_relaxed) + 1;
    go_.store(g, std::memory_order_release);  // the worker evaluates nodes [kHalf, Nodes)
    return g;
  }
  void run_worker(Handover h) {
    const uint32_t g = start_worker(h);
    eval_nodes(0, kHalf);
    eval_ring_unless_idle();
    wait_for([&] { return done_.load(std::memory_order_acquire) == g; });
  }
  // Nodes [first, last) through a quiet cycle (header comment); eval() set clk_i and rst_ni.
  void quiet_cycle(unsigned first, unsigned last) {
    for (unsigned n = first; n < last; ++n) node_quiet_cycle(n);
  }
  // Nodes [first, last) through up to w quiet cycles each (run_quiet): a node stops after the
  // cycle whose rising clock changed its ring outputs; pos_ says how many cycles it ran.
  void window_nodes(unsigned first, unsigned last, unsigned w) {
    std::array<bool, Nodes> stopped{};
    for (unsigned n = first; n < last; ++n) pos_[n].n = 0;
    for (unsigned i = 0; i < w; ++i) {
      bool any = false;
      for (unsigned n = first; n < last; ++n) {
        if (stopped[n]) continue;
        node_quiet_cycle(n);
        pos_[n].n = i + 1;
        stopped[n] = node_ring_outputs_changed(n);
        any = any || !stopped[n];
      }
      if (!any) break;
    }
  }
  void node_quiet_cycle(unsigned n) {
    NodeModel& d = *node_[n];
    d.clk_i = 0;
    bool settled = false;
    for (Component* c : node_comp_[n]) {
      c->drive();
      settled = settled || c->samples_settled_outputs();
    }
    if constexpr (split_detail::HasClockPrev<NodeModel>::value) {
      if (!settled) {
        split_detail::set_clock_prev_low(d);  // as the falling evaluation would leave it
        ++falls_skipped_[n].n;
      }
    } else {
      settled = true;
    }
    if (settled) {
      d.eval();
      if (node_ring_outputs_changed(n)) premise_broken_.store(static_cast<int>(n), std::memory_order_relaxed);
    }
    for (Component* c : node_comp_[n]) c->sample();
    d.clk_i = 1;
    d.eval();
  }
  // A node whose ring outputs changed at the falling clock of a quiet cycle (the premise of
  // running its cycle without the ring) ends the run.
  void throw_if_premise_broken() const {
    if (const int n = premise_broken_.load(std::memory_order_relaxed); n >= 0) {
      throw std::runtime_error(name_ + ": node " + std::to_string(n) +
                               " changed its ring outputs at the falling clock of a quiet cycle "
                               "(tb/common/split_system.hpp: the one-hand-over premise)");
    }
  }
  // The ring is idle and nothing is offered, delivered or changed at its inputs (header comment).
  bool quiet() const {
    return rst_ni && ring_rst_ && ring_clk_ && !ring_dirty_ && ring_->idle_o &&
           port_zero(ring_->inj_valid_i) && port_zero(ring_->ej_valid_o);
  }
  // Node n's ring outputs differ from what the ring was last given.
  bool node_ring_outputs_changed(unsigned n) const {
    const NodeModel& d = *node_[n];
    const NodeShadow& sh = node_shadow_[n];
    return !(same(d.inj_valid_o, sh.inj_valid) && same(d.ej_ready_o, sh.ej_ready) && same(d.inj_data_o, sh.inj_data));
  }

  void eval_ring() {
    ring_->eval();
    ++ring_evals_;
    ring_dirty_ = false;
    ring_clk_ = clk_i;
    ring_rst_ = rst_ni;
  }
  // The skip rule of the header comment; ring_dirty_ is set by to_ring() when an input changed.
  void eval_ring_unless_idle() {
    const bool idle = skip_idle_ring_ && !ring_dirty_ && ring_clk_ && ring_rst_ && rst_ni &&
                      ring_->idle_o && port_zero(ring_->inj_valid_i);
    if (idle) {
      ++ring_skips_;
    } else {
      eval_ring();
    }
  }
  template <class T>
  static bool port_zero(const T& v) {
    static const T zero{};
    return same(v, zero);
  }

  template <class Pred>
  static void wait_for(Pred ready) {
    for (unsigned spins = 0; !ready(); ++spins) {
      if (spins < 4096) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
      } else {
        std::this_thread::yield();  // the other side is busy for long (host steps between ops)
      }
    }
  }
  void worker_loop(uint32_t seen) {
    Verilated::threadContextp(ctx_);
    for (;;) {
      wait_for([&] { return go_.load(std::memory_order_acquire) != seen; });
      seen = go_.load(std::memory_order_acquire);
      if (stop_.load(std::memory_order_acquire)) return;
      if (handover_ == Handover::kCycle) {
        quiet_cycle(kHalf, Nodes);
      } else if (handover_ == Handover::kWindow) {
        window_nodes(kHalf, Nodes, window_len_);
      } else {
        eval_nodes(kHalf, Nodes);
      }
      done_.store(seen, std::memory_order_release);
    }
  }
  void stop_worker() {
    if (!worker_.joinable()) return;
    stop_.store(true, std::memory_order_release);
    go_.fetch_add(1, std::memory_order_acq_rel);
    worker_.join();
    done_.store(go_.load(std::memory_order_acquire), std::memory_order_release);
  }
  static constexpr unsigned kLink = 2 * PortWidth;  // both directions of one node

  // Ports compared and kept as memory images (integers and VlWide alike): the idle ring costs two
  // comparisons per evaluation instead of a bit copy per node.
  template <class T>
  static bool same(const T& a, const T& b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
  }
  template <class T>
  static void keep(T& shadow, const T& v) {
    std::memcpy(&shadow, &v, sizeof(T));
  }
  using NodeOut = std::remove_reference_t<decltype(std::declval<NodeModel&>().inj_data_o)>;
  using RingOut = std::remove_reference_t<decltype(std::declval<RingModel&>().ej_data_o)>;
  struct NodeShadow {
    std::remove_reference_t<decltype(std::declval<NodeModel&>().inj_valid_o)> inj_valid{};
    std::remove_reference_t<decltype(std::declval<NodeModel&>().ej_ready_o)> ej_ready{};
    NodeOut inj_data{};
  };
  struct RingShadow {
    std::remove_reference_t<decltype(std::declval<RingModel&>().inj_ready_o)> inj_ready{};
    std::remove_reference_t<decltype(std::declval<RingModel&>().ej_valid_o)> ej_valid{};
    RingOut ej_data{};
  };
  bool ring_outputs_changed() {
    const RingModel& r = *ring_;
    if (primed_ && same(r.inj_ready_o, ring_shadow_.inj_ready) && same(r.ej_valid_o, ring_shadow_.ej_valid) &&
        same(r.ej_data_o, ring_shadow_.ej_data)) {
      return false;
    }
    keep(ring_shadow_.inj_ready, r.inj_ready_o);
    keep(ring_shadow_.ej_valid, r.ej_valid_o);
    keep(ring_shadow_.ej_data, r.ej_data_o);
    return true;
  }
  bool to_ring() {
    using split_detail::copy_bits;
    bool changed = false;
    for (unsigned n = 0; n < Nodes; ++n) {
      const NodeModel& d = *node_[n];
      NodeShadow& sh = node_shadow_[n];
      if (primed_ && !node_ring_outputs_changed(n)) continue;  // copied already
      if (ahead_[n]) continue;  // its outputs are of a later cycle: the ring keeps the last ones
      keep(sh.inj_valid, d.inj_valid_o);
      keep(sh.ej_ready, d.ej_ready_o);
      keep(sh.inj_data, d.inj_data_o);
      changed |= copy_bits(ring_->inj_valid_i, 2 * n, d.inj_valid_o, 0, 2);
      changed |= copy_bits(ring_->ej_ready_i, 2 * n, d.ej_ready_o, 0, 2);
      changed |= copy_bits(ring_->inj_data_i, kLink * n, d.inj_data_o, 0, kLink);
    }
    ring_dirty_ = ring_dirty_ || changed;
    return changed;
  }
  bool to_node(unsigned n) {
    using split_detail::copy_bits;
    NodeModel& d = *node_[n];
    bool changed = copy_bits(d.inj_ready_i, 0, ring_->inj_ready_o, 2 * n, 2);
    changed |= copy_bits(d.ej_valid_i, 0, ring_->ej_valid_o, 2 * n, 2);
    changed |= copy_bits(d.ej_data_i, 0, ring_->ej_data_o, kLink * n, kLink);
    return changed;
  }

  VerilatedContext* ctx_;
  std::string name_;
  std::thread worker_;
  std::atomic<uint32_t> go_{0}, done_{0};
  std::atomic<bool> stop_{false};
  std::array<std::unique_ptr<NodeModel>, Nodes> node_;
  std::array<std::vector<Component*>, Nodes> node_comp_;
  NodeWork work_ = NodeWork::kNone;
  Handover handover_ = Handover::kOne;  // written before go_ (release), read by the worker
  bool fuse_ok_ = false;
  bool deferred_ = false;      // no node has been evaluated at this falling clock (a quiet cycle)
  std::atomic<int> premise_broken_{-1};  // a node whose ring outputs changed at a deferred falling clock
  uint64_t quiet_cycles_ = 0;
  // Per node, written only by the thread that evaluates it (read after a hand-over); a cache
  // line each, so the two threads do not write one line.
  struct alignas(64) NodeCount {
    uint64_t n = 0;
  };
  std::array<NodeCount, Nodes> falls_skipped_{};
  // Quiet windows: cycles each node ran in the last one (written by its thread), cycles a node
  // is still ahead of the others, how many nodes are, the window and the last one's length.
  struct alignas(64) NodePos {
    unsigned n = 0;
  };
  std::array<NodePos, Nodes> pos_{};
  std::array<unsigned, Nodes> ahead_{};
  unsigned nodes_ahead_ = 0;  // nodes with ahead_ > 0
  unsigned window_ = 0, window_len_ = 0;
  uint64_t quiet_windows_ = 0;
  std::unique_ptr<RingModel> ring_;
  std::array<NodeShadow, Nodes> node_shadow_{};
  RingShadow ring_shadow_{};
  bool primed_ = false;  // the first evaluation copies every port whatever the shadows say
  bool skip_idle_ring_ = true;
  bool ring_dirty_ = true;   // an input changed since the ring's last evaluation
  CData ring_clk_ = 0, ring_rst_ = 0;  // clock and reset at the ring's last evaluation
  uint64_t node_evals_ = 0, ring_evals_ = 0, ring_skips_ = 0;
};

// How a test bench reaches node n's ports. In one Verilated model (pnm_system, or pnm_node alone)
// node n owns slice n of `nodes` in every port; in a SplitSystem node n is its own model and owns
// all of it (slice 0 of 1).
template <class M>
struct NodeAccess {
  using Port = M;
  static Port& port(M& m, unsigned) { return m; }
  static unsigned slice(unsigned n) { return n; }
  static unsigned slices(unsigned nodes) { return nodes; }
};
template <class N, class R, unsigned K, unsigned W>
struct NodeAccess<SplitSystem<N, R, K, W>> {
  using Port = N;
  static Port& port(SplitSystem<N, R, K, W>& m, unsigned n) { return m.node(n); }
  static unsigned slice(unsigned) { return 0; }
  static unsigned slices(unsigned) { return 1; }
};

}  // namespace pnm::tb
