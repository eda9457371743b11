// Bit-exact command-level reference of the nodes (DESIGN.md section 6): what every node's result
// buffer must hold after each command the host queued, computed from the formulas (tb/ref) and
// the procedural flash contents, independent of the RTL and of the decode compiler. It also
// computes, on the same weight bytes, the float GEMV of the float reference pipeline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pnm/isa.hpp"

namespace pnm::host {

class DeviceRef {
 public:
  DeviceRef(unsigned nodes, unsigned lane_bytes, unsigned max_batch, unsigned max_k, unsigned result_elems,
            unsigned flit_elems, std::vector<uint64_t> flash_seeds);

  // What the host wrote into a node's activation slot (INT8), and the float activations of the
  // float reference pipeline at the same elements.
  void write_activations(unsigned node, unsigned slot, unsigned first, const std::vector<int8_t>& q,
                         const std::vector<float>& f);

  // Applies one command of one node. Collectives apply when the last node's copy arrives (every
  // node runs the same collective in the same order). Returns "" or why the reference cannot run it.
  std::string apply(unsigned node, const isa::Cmd& c);

  const std::vector<int32_t>& results(unsigned node) const { return rb_[node]; }
  // Float results of the last GEMV of a node: [slot][row].
  const std::vector<std::vector<float>>& float_results(unsigned node) const { return fres_[node]; }

 private:
  unsigned nodes_, lane_, max_batch_, max_k_, elems_, flit_;
  std::vector<uint64_t> seeds_;
  std::vector<std::vector<std::vector<int8_t>>> act_;   // [node][slot][element]
  std::vector<std::vector<std::vector<float>>> fact_;   // float activations, same layout
  std::vector<std::vector<int32_t>> rb_;                // result buffers
  std::vector<std::vector<std::vector<float>>> fres_;
  std::vector<std::vector<isa::Cmd>> pending_;          // collectives waiting for every node
};

}  // namespace pnm::host
