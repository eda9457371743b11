// AXI4 master bus-functional model for the node's host port (64-bit data, INCR bursts): one
// transaction at a time, with random gaps between beats and random BREADY/RREADY backpressure.
// Works with any Verilated model whose ports follow pnm_node's s_* names.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "rng.hpp"
#include "sim.hpp"

namespace pnm::tb {

template <class Model>
class AxiMaster : public Component {
 public:
  AxiMaster(Model& dut, Rng& rng) : d_(dut), rng_(rng) {}

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
    d_.s_awvalid_i = 0;
    d_.s_wvalid_i = 0;
    d_.s_arvalid_i = 0;
    d_.s_bready_i = rng_.chance(rate);
    d_.s_rready_i = rng_.chance(rate);
    if (idle()) return;
    Txn& t = txns_[cur_];
    if (t.write) {
      if (phase_ == 0) {
        d_.s_awvalid_i = 1;
        d_.s_awid_i = 1;
        d_.s_awaddr_i = t.addr;
        d_.s_awlen_i = t.beats - 1;
        d_.s_awsize_i = 3;
        d_.s_awburst_i = 1;
      } else if (phase_ == 1) {
        if (!offering_ && rng_.chance(rate)) offering_ = true;
        if (offering_) {
          d_.s_wvalid_i = 1;
          d_.s_wdata_i = t.data[beat_];
          d_.s_wstrb_i = 0xff;
          d_.s_wlast_i = beat_ + 1 == t.beats;
        }
      }
    } else if (phase_ == 0) {
      d_.s_arvalid_i = 1;
      d_.s_arid_i = 2;
      d_.s_araddr_i = t.addr;
      d_.s_arlen_i = t.beats - 1;
      d_.s_arsize_i = 3;
      d_.s_arburst_i = 1;
    }
  }

  void sample() override {
    if (idle()) return;
    Txn& t = txns_[cur_];
    if (t.write) {
      if (phase_ == 0 && d_.s_awready_o) {
        phase_ = 1;
        beat_ = 0;
      } else if (phase_ == 1 && offering_ && d_.s_wready_o) {
        offering_ = false;
        if (++beat_ == t.beats) phase_ = 2;
      } else if (phase_ == 2 && d_.s_bvalid_o && d_.s_bready_i) {
        t.resp = d_.s_bresp_o;
        finish(t);
      }
    } else {
      if (phase_ == 0 && d_.s_arready_o) {
        phase_ = 1;
      } else if (phase_ == 1 && d_.s_rvalid_o && d_.s_rready_i) {
        t.data.push_back(d_.s_rdata_o);
        if (d_.s_rresp_o > t.resp) t.resp = d_.s_rresp_o;
        if (d_.s_rlast_o) finish(t);
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
  Model& d_;
  Rng& rng_;
  std::deque<Txn> txns_;
  size_t cur_ = 0;
  unsigned phase_ = 0, beat_ = 0;
  bool offering_ = false;
};

}  // namespace pnm::tb
