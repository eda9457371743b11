// Test bench for hbf_ctrl, shared by its unit tests and the bandwidth benchmark: the flash die
// model (tb/models) on the channel ports, a request source, an output sink with random
// backpressure, and the expected bytes and status of every request from the flash reference.
#pragma once

#include <algorithm>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bits.hpp"
#include "flash_die_model.hpp"
#include "flash_ref.hpp"
#include "rng.hpp"
#include "sim.hpp"
#include "stream.hpp"

namespace pnm::tb::flash {

// Parameters of the Verilated hbf_ctrl (must match its -G values).
struct Params {
  ref::FlashGeometry geometry;
  unsigned ch_bytes;
  unsigned lane_bytes;
  unsigned outstanding;
  unsigned rob_pages;
  unsigned remap_entries;
};

#ifdef PNM_P_Channels
// The parameters of the Verilated model this file is compiled against (its PNM_P_* defines).
inline Params params_of_build() {
  Params p;
  p.geometry.channels = PNM_P_Channels;
  p.geometry.dies = PNM_P_Dies;
  p.geometry.planes = PNM_P_Planes;
  p.geometry.blocks = PNM_P_Blocks;
  p.geometry.pages = PNM_P_Pages;
  p.geometry.page_bytes = PNM_P_PageBytes;
  p.ch_bytes = PNM_P_ChBytes;
  p.lane_bytes = PNM_P_LaneBytes;
  p.outstanding = PNM_P_Outstanding;
  p.rob_pages = PNM_P_RobPages;
  p.remap_entries = PNM_P_RemapEntries;
  return p;
}
#endif

struct Req {
  uint64_t addr = 0;
  uint32_t len = 1;
  uint32_t tag = 0;
};

struct OutBeat {
  Words data;
  uint32_t bytes = 0;
  bool last = false;
  bool poison = false;
  uint32_t tag = 0;
  uint32_t corrected = 0;
  bool uncorrectable = false;
  uint64_t bad_addr = 0;
  bool operator==(const OutBeat& o) const {
    return data == o.data && bytes == o.bytes && last == o.last && poison == o.poison && tag == o.tag &&
           corrected == o.corrected && uncorrectable == o.uncorrectable && bad_addr == o.bad_addr;
  }
};

inline unsigned log2_ceil(unsigned n) {
  unsigned b = 0;
  while ((1u << b) < n) ++b;
  return b == 0 ? 1 : b;
}

// Connects the die model to the flat channel ports. With several flash controllers on one model
// (pnm_system), `base` is the first of this controller's channels in ports of `port_channels`
// channels; the other channels' bits are left as they are.
template <class Model>
class FlashPort : public Component {
 public:
  FlashPort(Model& dut, FlashDieModel& m, const Params& p, unsigned base = 0, unsigned port_channels = 0)
      : dut_(dut), m_(m), p_(p), base_(base), total_(port_channels ? port_channels : p.geometry.channels) {}
  // Fields are written into and read from the ports in place (port_field, bits.hpp): no copy
  // of the flat ports per cycle, which matters with four nodes of eight channels.
  void drive() override {
    const unsigned chs = p_.geometry.channels;
    const unsigned slot_w = log2_ceil(p_.rob_pages / chs);
    const unsigned cb = p_.ch_bytes;
    const bool whole = base_ == 0 && total_ == chs;
    if (whole) data_.assign(static_cast<size_t>(chs) * cb, 0);
    for (unsigned c = 0; c < chs; ++c) {
      const unsigned pc = base_ + c;
      set_port_field(dut_.ch_cmd_ready_i, pc, 1, m_.cmd_ready(c));
      const bool valid = m_.data_valid(c);
      set_port_field(dut_.ch_rd_valid_i, pc, 1, valid);
      if (valid) {
        const FlashBeat& b = m_.data(c);
        set_port_field(dut_.ch_rd_last_i, pc, 1, b.last);
        set_port_field(dut_.ch_rd_tag_i, pc * slot_w, slot_w, b.tag);
        for (unsigned w = 0; w < b.ecc.size(); ++w) set_port_field(dut_.ch_rd_ecc_i, 8 * (pc * cb / 8 + w), 8, b.ecc[w]);
        if (whole) {
          std::copy(b.data.begin(), b.data.end(), data_.begin() + c * cb);
        } else {
          for (unsigned i = 0; i < cb; ++i) set_port_field(dut_.ch_rd_data_i, 8 * (pc * cb + i), 8, b.data[i]);
        }
      } else if (whole) {  // a channel without a beat shows zeros
        set_port_field(dut_.ch_rd_last_i, pc, 1, 0);
        set_port_field(dut_.ch_rd_tag_i, pc * slot_w, slot_w, 0);
        for (unsigned w = 0; w < cb / 8; ++w) set_port_field(dut_.ch_rd_ecc_i, 8 * (pc * cb / 8 + w), 8, 0);
      }
    }
    if (whole) bytes_to_port(dut_.ch_rd_data_i, data_.data(), static_cast<unsigned>(data_.size()));
  }
  void sample() override {
    const auto& g = p_.geometry;
    const unsigned dw = log2_ceil(g.dies), pw = log2_ceil(g.planes), bw = log2_ceil(g.blocks),
                   gw = log2_ceil(g.pages), sw = log2_ceil(p_.rob_pages / g.channels);
    for (unsigned c = 0; c < g.channels; ++c) {
      const unsigned pc = base_ + c;
      if (port_field(dut_.ch_cmd_valid_o, pc, 1) && m_.cmd_ready(c)) {
        m_.cmd_push(c, {port_field(dut_.ch_cmd_die_o, pc * dw, dw), port_field(dut_.ch_cmd_plane_o, pc * pw, pw),
                        port_field(dut_.ch_cmd_block_o, pc * bw, bw), port_field(dut_.ch_cmd_page_o, pc * gw, gw),
                        port_field(dut_.ch_cmd_tag_o, pc * sw, sw)});
      }
      if (m_.data_valid(c) && port_field(dut_.ch_rd_ready_o, pc, 1)) m_.data_pop(c);
    }
    m_.tick();
  }
  // The controller's channel outputs are registered (command FIFOs; ch_rd_ready_o is constant).
  bool samples_settled_outputs() const override { return false; }

 private:
  Model& dut_;
  FlashDieModel& m_;
  const Params& p_;
  unsigned base_, total_;
  std::vector<uint8_t> data_;
};

// Requests, output and expectations; the flash behind the channel ports is added by a derived
// bench (the die model: Bench; the synthesizable emulator: see tests/flash/hbf_emu_test.cpp).
template <class Model>
class CtrlBench {
 protected:
  Params p_;

 public:
  CtrlBench(const Params& p, const std::string& name, uint64_t seed, Backpressure out_bp,
            uint64_t data_seed)
      : p_(p),
        sim(name, seed),
        rng(sim.seed()),
        reqs(rng, sim.dut().req_valid_i, sim.dut().req_ready_o, [this](const Req& r) {
          auto& d = sim.dut();
          d.req_addr_i = r.addr;
          d.req_len_i = r.len;
          d.req_tag_i = r.tag;
        }),
        out(rng, sim.dut().out_valid_o, sim.dut().out_ready_i, [this] { return read_beat(); }, out_bp),
        data_seed_(data_seed) {}
  virtual ~CtrlBench() = default;

  const Params& params() const { return p_; }
  uint64_t data_seed() const { return data_seed_; }

  // Marks (channel, die, plane, block) bad and remaps it to `spare` in the RTL table (and, through
  // on_remap, in the flash behind it).
  void remap(unsigned entry, const ref::FlashRemap::Key& bad, uint32_t spare) {
    on_remap(bad, spare);
    const auto& g = p_.geometry;
    uint64_t w = 1;
    w = (w << log2_ceil(g.channels)) | bad.channel;
    w = (w << log2_ceil(g.dies)) | bad.die;
    w = (w << log2_ceil(g.planes)) | bad.plane;
    w = (w << log2_ceil(g.blocks)) | bad.block;
    w = (w << log2_ceil(g.blocks)) | spare;
    auto& d = sim.dut();
    d.remap_we_i = 1;
    d.remap_waddr_i = entry;
    d.remap_wdata_i = w;
    sim.step();
    d.remap_we_i = 0;
  }

  // Forced flips on logical word `word` (bits 0..71), mirrored for the expected status.
  void force_flips(uint64_t word, const std::vector<unsigned>& bits) {
    on_force_flips(word, bits);
    if (bits.size() == 1) single_words_.insert(word);
    if (bits.size() >= 2) double_words_.insert(word);
  }
  void submit(const Req& r) {
    reqs.push(r);
    const unsigned l = p_.lane_bytes;
    const auto bytes = ref::flash_read(data_seed_, r.addr, r.len);
    // ECC status over the whole pages read (the controller checks every word it reads).
    const uint64_t pb = p_.geometry.page_bytes;
    const uint64_t first_page = r.addr / pb, last_page = (r.addr + r.len - 1) / pb;
    uint32_t corrected = 0;
    bool unc = false;
    uint64_t bad_addr = 0;
    std::set<uint64_t> bad_pages;
    for (uint64_t pg = first_page; pg <= last_page; ++pg) {
      const uint64_t w0 = pg * pb / 8, w1 = (pg + 1) * pb / 8;
      for (auto it = single_words_.lower_bound(w0); it != single_words_.end() && *it < w1; ++it) ++corrected;
      auto d = double_words_.lower_bound(w0);
      if (d != double_words_.end() && *d < w1) {
        bad_pages.insert(pg);
        if (!unc) bad_addr = *d * 8;
        unc = true;
      }
    }
    const uint32_t beats = (r.len + l - 1) / l;
    for (uint32_t j = 0; j < beats; ++j) {
      OutBeat b;
      const uint32_t off = j * l;
      b.bytes = std::min<uint32_t>(l, r.len - off);
      std::vector<uint8_t> lane(l, 0);
      std::copy(bytes.begin() + off, bytes.begin() + off + b.bytes, lane.begin());
      b.data = bytes_to_words(lane);
      b.last = j + 1 == beats;
      b.tag = r.tag;
      const uint64_t a0 = r.addr + off, a1 = a0 + b.bytes - 1;
      // A beat is poisoned when a page it draws bytes from has an uncorrectable word; the lane
      // words it is built from may reach one lane word further.
      for (uint64_t pg = a0 / pb; pg <= a1 / pb; ++pg) b.poison = b.poison || bad_pages.count(pg);
      if (b.last) {
        b.corrected = corrected;
        b.uncorrectable = unc;
        b.bad_addr = unc ? bad_addr : 0;
      }
      expected_.push_back(b);
      expected_req_.push_back(static_cast<uint32_t>(submitted_));
    }
    ++submitted_;
    bytes_ += r.len;
  }

  void run_to_completion(uint64_t max_cycles, unsigned settle = 16) {
    sim.run_until([&] { return out.count() >= expected_.size() && reqs.idle(); }, max_cycles,
                  "all request bytes");
    sim.run(settle);
  }

  // "" when every beat matched; poisoned beats are compared without their data (it is garbage
  // by definition), everything else bit for bit.
  std::string mismatches() const {
    std::ostringstream os;
    const auto& got = out.received();
    if (got.size() != expected_.size()) os << "expected " << expected_.size() << " beats, got " << got.size() << "\n";
    unsigned shown = 0;
    for (size_t i = 0; i < std::min(got.size(), expected_.size()) && shown < 8; ++i) {
      OutBeat e = expected_[i];
      if (e.poison && got[i].poison) e.data = got[i].data;
      if (got[i] == e) continue;
      ++shown;
      os << "beat " << i << " of request " << expected_req_[i] << ": expected " << describe(e)
         << ", got " << describe(got[i]) << "\n";
    }
    for (const auto& v : out.violations()) os << v << "\n";
    if (!os.str().empty()) os << "seed stream " << sim.seed() << "\n";
    return os.str();
  }

  // Beats delivered as good data (not poisoned) whose bytes differ from the flash contents.
  uint64_t silent_corruptions() const {
    uint64_t n = 0;
    const auto& got = out.received();
    for (size_t i = 0; i < std::min(got.size(), expected_.size()); ++i) {
      if (!got[i].poison && got[i].data != expected_[i].data) ++n;
    }
    return n;
  }

  uint64_t bytes_requested() const { return bytes_; }

  Sim<Model> sim;
  Rng rng;
  StreamSource<Req> reqs;
  StreamSink<OutBeat> out;

 protected:
  // Adds the components, clears the control inputs and resets; called by the derived bench.
  void start() {
    sim.add(reqs);
    sim.add(out);
    sim.dut().remap_we_i = 0;
    sim.dut().cfg_outstanding_i = 0;  // the build's maximum
    sim.reset();
  }
  virtual void on_remap(const ref::FlashRemap::Key& bad, uint32_t spare) = 0;
  virtual void on_force_flips(uint64_t word, const std::vector<unsigned>& bits) = 0;

 private:
  static Words bytes_to_words(const std::vector<uint8_t>& b) {
    Words w((b.size() + 3) / 4, 0);
    for (size_t i = 0; i < b.size(); ++i) w[i / 4] |= static_cast<uint32_t>(b[i]) << (8 * (i % 4));
    return w;
  }
  static std::string describe(const OutBeat& b) {
    std::ostringstream os;
    os << "{tag " << b.tag << ", bytes " << b.bytes << (b.last ? ", last" : "") << (b.poison ? ", poison" : "")
       << ", corrected " << b.corrected << (b.uncorrectable ? ", UNCORRECTABLE at " + std::to_string(b.bad_addr) : "")
       << ", data[0] 0x" << std::hex << (b.data.empty() ? 0 : b.data[0]) << std::dec << "}";
    return os.str();
  }
  OutBeat read_beat() const {
    const auto& d = const_cast<Sim<Model>&>(sim).dut();
    OutBeat b;
    b.data = from_port(d.out_data_o, p_.lane_bytes * 8);
    // Bytes past out_bytes_o are don't-care: compare only the valid ones.
    b.bytes = d.out_bytes_o;
    for (unsigned i = b.bytes; i < p_.lane_bytes; ++i) b.data[i / 4] &= ~(0xFFu << (8 * (i % 4)));
    b.last = d.out_last_o;
    b.poison = d.out_poison_o;
    b.tag = d.out_tag_o;
    b.corrected = d.out_corrected_o;
    b.uncorrectable = d.out_uncorrectable_o;
    b.bad_addr = d.out_bad_addr_o;
    return b;
  }

  uint64_t data_seed_;
  std::vector<OutBeat> expected_;
  std::vector<uint32_t> expected_req_;
  std::set<uint64_t> single_words_, double_words_;
  uint64_t submitted_ = 0;
  uint64_t bytes_ = 0;
};


// The bench with the flash die model on the channel ports.
template <class Model>
class Bench : public CtrlBench<Model> {
 public:
  Bench(const Params& p, const FlashTiming& timing, const std::string& name, uint64_t seed,
        Backpressure out_bp, uint64_t data_seed = 0x5EED)
      : CtrlBench<Model>(p, name, seed, out_bp, data_seed),
        model(p.geometry, timing, data_seed, seed ^ 0xE770),
        port(this->sim.dut(), model, this->p_) {
    this->sim.add(port);
    this->start();
  }
  FlashDieModel model;
  FlashPort<Model> port;

 protected:
  void on_remap(const ref::FlashRemap::Key& bad, uint32_t spare) override { model.remap().add(bad, spare); }
  void on_force_flips(uint64_t word, const std::vector<unsigned>& bits) override {
    model.force_flips(word, bits);
  }
};

}  // namespace pnm::tb::flash
