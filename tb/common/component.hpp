// The per-cycle testbench interface shared by the harness (sim.hpp) and the split system model
// (split_system.hpp), which runs the components of a node on the thread that evaluates it.
#pragma once

namespace pnm::tb {

// Anything that drives inputs or watches outputs every cycle (stream drivers, monitors).
class Component {
 public:
  virtual ~Component() = default;
  virtual void drive() = 0;   // set inputs for this cycle (clock low)
  virtual void sample() = 0;  // observe outputs after inputs settled, before the rising edge
};

// What the next eval() of a model with node-local components does for them, before it evaluates
// their node (Sim::step sets it; every other evaluation leaves the components alone).
enum class NodeWork { kNone, kDrive, kSample };

}  // namespace pnm::tb
