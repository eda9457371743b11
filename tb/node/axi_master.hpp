// AXI4 master bus-functional model for the node's host port (64-bit data, INCR bursts): one
// transaction at a time, with random gaps between beats and random BREADY/RREADY backpressure.
// Works with any Verilated model whose ports follow pnm_node's s_* names; in pnm_system, whose
// ports hold every node's signals side by side, `node` of `nodes` picks this master's slice.
#pragma once

#include <cstdint>
#include <deque>
#include <type_traits>
#include <vector>

#include "bits.hpp"
#include "rng.hpp"
#include "sim.hpp"

namespace pnm::tb {

template <class Model>
class AxiMaster : public Component {
 public:
  AxiMaster(Model& dut, Rng& rng, unsigned node = 0, unsigned nodes = 1)
      : d_(dut), rng_(rng), node_(node), nodes_(nodes) {}

  double rate = 1.0;  // probability per cycle of offering a beat / being ready

  struct Txn {
    bool write = false;
    uint32_t addr = 0;
    std::vector<uint64_t> data;  // write data, or read data when done
    unsigned beats = 1;
    unsigned resp = 0;           // worst response seen (0 OKAY, 2 SLVERR)
    bool done = false;
  };

  // Queues a transaction; the returned index names it in txn().
  size_t write(uint32_t addr, const std::vector<uint64_t>& data) {
    txns_.push_back({true, addr, data, static_cast<unsigned>(data.size()), 0, false});
    return txns_.size() - 1;
  }
  size_t read(uint32_t addr, unsigned beats) {
    txns_.push_back({false, addr, {}, beats, 0, false});
    return txns_.size() - 1;
  }
  const Txn& txn(size_t i) const { return txns_[i]; }
  bool idle() const { return cur_ >= txns_.size(); }

  void drive() override {
    put(d_.s_awvalid_i, 1, 0);
    put(d_.s_wvalid_i, 1, 0);
    put(d_.s_arvalid_i, 1, 0);
    put(d_.s_bready_i, 1, rng_.chance(rate));
    put(d_.s_rready_i, 1, rng_.chance(rate));
    if (idle()) return;
    Txn& t = txns_[cur_];
    if (t.write) {
      if (phase_ == 0) {
        put(d_.s_awvalid_i, 1, 1);
        put(d_.s_awid_i, 4, 1);
        put(d_.s_awaddr_i, 24, t.addr);
        put(d_.s_awlen_i, 8, t.beats - 1);
        put(d_.s_awsize_i, 3, 3);
        put(d_.s_awburst_i, 2, 1);
      } else if (phase_ == 1) {
        if (!offering_ && rng_.chance(rate)) offering_ = true;
        if (offering_) {
          put(d_.s_wvalid_i, 1, 1);
          put(d_.s_wdata_i, 64, t.data[beat_]);
          put(d_.s_wstrb_i, 8, 0xff);
          put(d_.s_wlast_i, 1, beat_ + 1 == t.beats);
        }
      }
    } else if (phase_ == 0) {
      put(d_.s_arvalid_i, 1, 1);
      put(d_.s_arid_i, 4, 2);
      put(d_.s_araddr_i, 24, t.addr);
      put(d_.s_arlen_i, 8, t.beats - 1);
      put(d_.s_arsize_i, 3, 3);
      put(d_.s_arburst_i, 2, 1);
    }
  }

  // The slave's ready outputs may follow valid combinationally; an idle master reads nothing.
  bool samples_settled_outputs() const override { return !idle(); }

  void sample() override {
    if (idle()) return;
    Txn& t = txns_[cur_];
    if (t.write) {
      if (phase_ == 0 && get(d_.s_awready_o, 1)) {
        phase_ = 1;
        beat_ = 0;
      } else if (phase_ == 1 && offering_ && get(d_.s_wready_o, 1)) {
        offering_ = false;
        if (++beat_ == t.beats) phase_ = 2;
      } else if (phase_ == 2 && get(d_.s_bvalid_o, 1) && get(d_.s_bready_i, 1)) {
        t.resp = static_cast<unsigned>(get(d_.s_bresp_o, 2));
        finish(t);
      }
    } else {
      if (phase_ == 0 && get(d_.s_arready_o, 1)) {
        phase_ = 1;
      } else if (phase_ == 1 && get(d_.s_rvalid_o, 1) && get(d_.s_rready_i, 1)) {
        t.data.push_back(get(d_.s_rdata_o, 64));
        const unsigned r = static_cast<unsigned>(get(d_.s_rresp_o, 2));
        if (r > t.resp) t.resp = r;
        if (get(d_.s_rlast_o, 1)) finish(t);
      }
    }
  }

 private:
  void finish(Txn& t) {
    t.done = true;
    ++cur_;
    phase_ = 0;
    offering_ = false;
  }
  // This master's slice of a port that holds `nodes_` slices of `w` bits.
  template <class T>
  void put(T& port, unsigned w, uint64_t v) {
    if constexpr (std::is_integral_v<T>) {
      if (nodes_ == 1) {
        port = static_cast<T>(v);
        return;
      }
    }
    Words x = from_port(port, nodes_ * w);
    set_bits(x, node_ * w, w, v);
    to_port(port, x);
  }
  template <class T>
  uint64_t get(const T& port, unsigned w) const {
    if constexpr (std::is_integral_v<T>) {
      if (nodes_ == 1) return static_cast<uint64_t>(port);
    }
    return get_bits(from_port(port, nodes_ * w), node_ * w, w);
  }

  Model& d_;
  Rng& rng_;
  unsigned node_, nodes_;
  std::deque<Txn> txns_;
  size_t cur_ = 0;
  unsigned phase_ = 0, beat_ = 0;
  bool offering_ = false;
};

}  // namespace pnm::tb
