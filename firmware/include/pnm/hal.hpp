// Hardware abstraction layer of the firmware (DESIGN.md section 5): the only way the driver
// reaches a node. A board implements it over its bus; the test bench implements it over the AXI4
// master model (tb/node/axi_hal.hpp). Freestanding: no exceptions, no heap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pnm::fw {

class Hal {
 public:
  virtual ~Hal() = default;
  // 64-bit accesses at byte offsets of one node's host port. False on a bus error (SLVERR).
  virtual bool write64(uint32_t node, uint32_t offset, const uint64_t* data, size_t words) = 0;
  virtual bool read64(uint32_t node, uint32_t offset, uint64_t* data, size_t words) = 0;
  // Lets time pass while the driver polls (a board: a short delay; the test bench: clock cycles).
  virtual void wait(uint32_t cycles) = 0;
};

}  // namespace pnm::fw
