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
  // Whether this cycle's sample() may read an output that follows this cycle's inputs
  // combinationally, so the model must be evaluated between drive() and sample(). A component
  // that reads only registered outputs (or nothing) this cycle may say false; a split model then
  // leaves out that evaluation when no component of the node needs it (split_system.hpp).
  // Asked after drive().
  virtual bool samples_settled_outputs() const { return true; }
};

// What the next eval() of a model with node-local components does for them, before it evaluates
// their node (Sim::step sets it; every other evaluation leaves the components alone).
enum class NodeWork { kNone, kDrive, kSample };

}  // namespace pnm::tb
