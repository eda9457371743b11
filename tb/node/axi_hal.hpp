// The firmware's HAL (firmware/include/pnm/hal.hpp) over the AXI4 master models of a simulated
// node or system: each access runs the simulation until its transaction completes.
#pragma once

#include <cstdint>
#include <vector>

#include "axi_master.hpp"
#include "pnm/hal.hpp"
#include "sim.hpp"

namespace pnm::tb {

template <class Model>
class AxiHal : public fw::Hal {
 public:
  AxiHal(Sim<Model>& sim, std::vector<AxiMaster<Model>*> masters, uint64_t timeout = 1'000'000)
      : sim_(sim), m_(std::move(masters)), timeout_(timeout) {}

  bool write64(uint32_t node, uint32_t offset, const uint64_t* data, size_t words) override {
    const size_t i = m_.at(node)->write(offset, std::vector<uint64_t>(data, data + words));
    finish(node);
    ++accesses;
    return m_[node]->txn(i).resp == 0;
  }
  bool read64(uint32_t node, uint32_t offset, uint64_t* data, size_t words) override {
    const size_t i = m_.at(node)->read(offset, static_cast<unsigned>(words));
    finish(node);
    ++accesses;
    const auto& t = m_[node]->txn(i);
    for (size_t w = 0; w < words; ++w) data[w] = t.data[w];
    return t.resp == 0;
  }
  void wait(uint32_t cycles) override { sim_.run(cycles); }

  uint64_t accesses = 0;

 private:
  void finish(uint32_t node) {
    sim_.run_until([&] { return m_[node]->idle(); }, timeout_, "AXI access of the HAL");
  }
  Sim<Model>& sim_;
  std::vector<AxiMaster<Model>*> m_;
  uint64_t timeout_;
};

}  // namespace pnm::tb
