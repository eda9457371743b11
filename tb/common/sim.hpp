// Simulation harness for one Verilated model: its own VerilatedContext, clock and reset, a
// cycle limit that fails instead of hanging, assertion failures turned into test failures,
// randomised uninitialised state (per seed), and waves limited to a cycle window and a scope.
//
// One cycle (step()):  components drive inputs -> eval (clk low) -> components sample the
// handshakes of this cycle -> rising edge -> eval. Inputs therefore change only while the clock
// is low, and every valid/ready handshake is observed exactly once. Components added with
// add_node() run inside the model's evaluations when the model can place them (SplitSystem:
// on the thread of their node), with the same values.
//
// The model must have ports clk_i and rst_ni (CONVENTIONS.md).
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "component.hpp"
#include "wave.hpp"

namespace pnm::tb {

// Thrown by the harness; the message says what happened, where, and with which seed.
class SimError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A model that runs node-local components itself (SplitSystem): add_node_component(n, c) and
// set_node_work(w).
template <class M, class = void>
struct HasNodeComponents : std::false_type {};
template <class M>
struct HasNodeComponents<M, std::void_t<decltype(std::declval<M&>().add_node_component(0u, std::declval<Component&>())),
                                        decltype(std::declval<M&>().set_node_work(NodeWork::kNone))>>
    : std::true_type {};

// A split model that runs quiet windows itself (SplitSystem::run_quiet).
template <class M, class = void>
struct HasQuietWindows : std::false_type {};
template <class M>
struct HasQuietWindows<M, std::void_t<decltype(std::declval<M&>().run_quiet(uint64_t{1}))>> : std::true_type {};

template <class Model>
class Sim {
 public:
  // Picoseconds per half clock period: a 1 GHz clock in waves, matching the default config.
  static constexpr uint64_t kHalfPeriod = 500;

  Sim(const std::string& name, uint64_t seed, WaveOptions waves = WaveOptions::from_env())
      : name_(name), seed_(seed), waves_(std::move(waves)), ctx_(std::make_unique<VerilatedContext>()) {
    ctx_->fatalOnError(false);  // assertion failures become SimError, not abort()
    ctx_->randReset(2);         // X-initialised state gets random values ...
    ctx_->randSeed(static_cast<int>(seed % 0x7fffffffu) + 1);  // ... that follow the seed
    if (waves_.enabled()) ctx_->traceEverOn(true);
    dut_ = std::make_unique<Model>(ctx_.get(), "dut_top");
    if (waves_.enabled()) open_waves();
    dut_->clk_i = 0;
    dut_->rst_ni = 1;
    dut_->eval();
  }

  Sim(const Sim&) = delete;
  Sim& operator=(const Sim&) = delete;

  ~Sim() {
    try {
      close_waves();
    } catch (...) {
    }
    if (dut_) dut_->final();
  }

  Model& dut() { return *dut_; }
  VerilatedContext& ctx() { return *ctx_; }
  uint64_t cycle() const { return cycle_; }
  uint64_t seed() const { return seed_; }
  const std::string& name() const { return name_; }

  void add(Component& c) { components_.push_back(&c); }
  // A component that touches only node `node`'s ports and its own state: a model with
  // node-local components (SplitSystem) runs it on the thread that evaluates the node, inside
  // eval() (drive before the falling-clock evaluation, sample before the rising-clock one: the
  // same values as between them); any other model runs it with the rest.
  void add_node(Component& c, unsigned node) {
    if constexpr (HasNodeComponents<Model>::value) {
      dut_->add_node_component(node, c);
    } else {
      (void)node;
      add(c);
    }
  }
  // Moves the wave window while running (pnmsim --wave-op): only cycles in [start, end] are dumped.
  void set_wave_window(uint64_t start, uint64_t end) {
    waves_.start = start;
    waves_.end = end;
  }
  // Ends the waves now (the file is complete and its .gtkw written); the destructor also does.
  void close_waves() {
    if (!trace_) return;
    trace_->close();
    trace_.reset();
    const std::string view = gtkw_path(waves_.path);
    std::string err = write_gtkw(waves_.fst_path(), waves_.path, view, first_dump_ps_);
    if (err.empty() && waves_.vcd()) {
      err = fst_to_vcd(waves_.fst_path(), waves_.path);
      if (err.empty()) std::remove(waves_.fst_path().c_str());
    }
    if (!err.empty()) throw SimError(name_ + ": " + err);
  }
  void set_cycle_limit(uint64_t limit) { cycle_limit_ = limit; }
  // For tests that provoke an assertion on purpose: failures are counted, not thrown.
  void expect_assertion_failures(bool on) { expect_errors_ = on; }
  bool assertion_failed() const { return ctx_->gotError(); }

  // Asynchronous active-low reset held for `cycles` rising edges; components are idle meanwhile.
  void reset(unsigned cycles = 4) {
    dut_->rst_ni = 0;
    dut_->eval();
    for (unsigned i = 0; i < cycles; ++i) edge_cycle();
    dut_->rst_ni = 1;
  }

  void step() {
    // A split model may hand each quiet cycle to its worker thread once instead of twice, if no
    // component here watches its nodes between the two evaluations (split_system.hpp).
    if constexpr (HasNodeComponents<Model>::value) dut_->set_fuse_quiet_cycles(components_.empty());
    for (Component* c : components_) c->drive();
    // Node-local components work in this step's two evaluations only, also when one throws
    // (a test may go on after a SimError, e.g. with a reset).
    struct NodeWorkScope {
      Sim& sim;
      ~NodeWorkScope() { sim.set_node_work(NodeWork::kNone); }
    } scope{*this};
    set_node_work(NodeWork::kDrive);
    edge_cycle([this] {
      for (Component* c : components_) c->sample();
      set_node_work(NodeWork::kSample);
    });
  }

  // `cycles` cycles. A split model with no component here may run them as quiet windows
  // (split_system.hpp: nodes on both threads go several cycles per hand-over while they need
  // nothing from each other); same cycles and values as step() each.
  void run(uint64_t cycles) {
    if constexpr (HasQuietWindows<Model>::value) {
      while (cycles > 0 && components_.empty()) {
        dut_->set_fuse_quiet_cycles(true);
        const uint64_t k = dut_->run_quiet(cycles);
        if (k == 0) {
          step();
          --cycles;
          continue;
        }
        ctx_->timeInc(2 * kHalfPeriod * k);
        cycle_ += k;
        cycles -= k;
        after_cycles();
      }
    }
    for (uint64_t i = 0; i < cycles; ++i) step();
  }

  // Steps until done() is true; fails (SimError) after max_cycles with `what` in the message.
  template <class Pred>
  void run_until(Pred done, uint64_t max_cycles, const std::string& what) {
    const uint64_t start = cycle_;
    while (!done()) {
      if (cycle_ - start >= max_cycles) {
        throw SimError(name_ + ": timeout after " + std::to_string(max_cycles) +
                       " cycles waiting for " + what + " (cycle " + std::to_string(cycle_) +
                       ", seed stream " + std::to_string(seed_) + ")");
      }
      step();
    }
  }

 private:
  void edge_cycle() {
    edge_cycle([] {});
  }

  template <class F>
  void edge_cycle(F&& between) {
    dut_->clk_i = 0;
    dut_->eval();
    between();
    dump();
    ctx_->timeInc(kHalfPeriod);
    dut_->clk_i = 1;
    dut_->eval();
    dump();
    ctx_->timeInc(kHalfPeriod);
    ++cycle_;
    after_cycles();
  }
  // Assertion failures and the cycle limit, after one cycle or a quiet window.
  void after_cycles() {
    if (ctx_->gotError() && !expect_errors_) {
      throw SimError(name_ + ": RTL assertion failed at cycle " + std::to_string(cycle_) +
                     " (see the %Error line above; seed stream " + std::to_string(seed_) + ")");
    }
    if (cycle_ > cycle_limit_) {
      throw SimError(name_ + ": cycle limit " + std::to_string(cycle_limit_) +
                     " exceeded (seed stream " + std::to_string(seed_) + ")");
    }
  }

  void open_waves() {
    trace_ = std::make_unique<VerilatedFstC>();
    if (!waves_.scope.empty()) {
      // Trace names start at the model's instance name; accept scopes with or without it.
      std::string scope = waves_.scope;
      const std::string top = std::string(dut_->name()) + ".";
      if (scope.compare(0, top.size(), top) != 0) scope = top + scope;
      trace_->dumpvars(99, scope);
    }
    dut_->trace(trace_.get(), 99);
    trace_->open(waves_.fst_path().c_str());
  }

  void set_node_work(NodeWork w) {
    if constexpr (HasNodeComponents<Model>::value) dut_->set_node_work(w);
  }

  void dump() {
    if (trace_ && cycle_ >= waves_.start && cycle_ <= waves_.end) {
      if (!dumped_) first_dump_ps_ = ctx_->time();
      dumped_ = true;
      trace_->dump(ctx_->time());
    }
  }

  std::string name_;
  uint64_t seed_;
  WaveOptions waves_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> dut_;
  std::unique_ptr<VerilatedFstC> trace_;
  std::vector<Component*> components_;
  uint64_t cycle_ = 0;
  uint64_t first_dump_ps_ = 0;
  bool dumped_ = false;
  uint64_t cycle_limit_ = 10'000'000;
  bool expect_errors_ = false;
};

}  // namespace pnm::tb
