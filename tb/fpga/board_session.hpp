// A PC's session with the FPGA board over the UART bridge (docs/fpga.md): learns the build and
// the flash geometry from the bridge registers, loads flash pages with the procedural image
// (ref::flash_word) where the node's address map reads them, and runs GEMVs through the node
// driver, checked bit-exactly against ref::gemv. Shared by the fpga_top tests (simulated serial
// line) and the pnm_board tool (a real serial port).
#pragma once

#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "flash_ref.hpp"
#include "gemv_ref.hpp"
#include "pnm/driver.hpp"
#include "pnm/isa.hpp"
#include "pnm/regs.hpp"
#include "pnm/uart_bridge.hpp"
#include "rng.hpp"

namespace pnm::tb {

class BoardSession {
 public:
  BoardSession(fw::uart::Link& link, uint64_t data_seed)
      : bridge(link), hal(bridge), drv(hal, 0), data_seed_(data_seed) {}

  fw::uart::Bridge bridge;
  fw::uart::BridgeHal hal;
  fw::Driver drv;
  fw::uart::Info info{};
  ref::FlashGeometry geometry;

  // Reads ID, INFO and GEOMETRY; "" when the board answered as a PNM FPGA top, else why not.
  std::string connect() {
    uint64_t id = 0, inf = 0, geo = 0;
    if (!bridge.read_reg(fw::uart::kRegId, id)) return "no answer to the ID read (status " + status() + ")";
    if (id != fw::uart::kIdValue) return "ID register reads " + hex(id) + ", not PNMFPGA1";
    if (!bridge.read_reg(fw::uart::kRegInfo, inf) || !bridge.read_reg(fw::uart::kRegGeometry, geo))
      return "INFO/GEOMETRY read failed (status " + status() + ")";
    info = fw::uart::Info::decode(inf);
    const auto g = fw::uart::Geometry::decode(geo);
    geometry.channels = g.channels;
    geometry.dies = g.dies;
    geometry.planes = g.planes;
    geometry.blocks = g.blocks;
    geometry.pages = g.pages;
    geometry.page_bytes = g.page_bytes;
    if (auto why = geometry.check(); !why.empty()) return "GEOMETRY: " + why;
    return "";
  }

  // The emulator word (bridge address) that holds logical flash word `word`.
  uint32_t emu_addr(uint64_t word) const {
    const auto& g = geometry;
    const uint32_t wpp = g.page_bytes / 8;
    const auto p = ref::flash_map(g, word / wpp);
    const uint64_t page = ((uint64_t(p.die) * g.planes + p.plane) * g.blocks + p.block) * g.pages + p.page;
    return fw::uart::flash_word_addr(p.channel, static_cast<uint32_t>(page * wpp + word % wpp));
  }
  // Loads every page of [addr, addr + bytes) not loaded yet, one frame per page.
  bool load(uint64_t addr, uint64_t bytes) {
    const uint32_t wpp = geometry.page_bytes / 8;
    for (uint64_t lpn = addr / geometry.page_bytes; lpn * geometry.page_bytes < addr + bytes; ++lpn) {
      if (loaded_.count(lpn)) continue;
      std::vector<uint64_t> words(wpp);
      for (uint32_t w = 0; w < wpp; ++w) words[w] = ref::flash_word(data_seed_, lpn * wpp + w);
      if (!bridge.write(emu_addr(lpn * wpp), words.data(), wpp)) return false;
      loaded_.insert(lpn);
    }
    return true;
  }
  // Rewrites one flash word with its check bits XORed with `flip` (72 bits: lo data, hi check).
  bool plant(uint64_t word, uint64_t flip_lo, uint8_t flip_hi) {
    const uint64_t v = ref::flash_word(data_seed_, word);
    const bool ok = bridge.write_reg(fw::uart::kRegFlipLo, flip_lo) &&
                    bridge.write_reg(fw::uart::kRegFlipHi, flip_hi) && bridge.write(emu_addr(word), &v, 1);
    return bridge.write_reg(fw::uart::kRegFlipLo, 0) && bridge.write_reg(fw::uart::kRegFlipHi, 0) && ok;
  }

  // One GEMV with random activations through the driver; "" when every result matches
  // ref::gemv, else the first difference or the node's error.
  std::string gemv(Rng& rng, bool int4, uint32_t rows, uint32_t k, uint64_t w_addr, uint32_t out_base) {
    std::vector<int8_t> x(k);
    for (auto& v : x) v = static_cast<int8_t>(rng.next());
    const unsigned lane = info.lane_bytes, per_lane = int4 ? 2 * lane : lane;
    const unsigned row_bytes = (k + per_lane - 1) / per_lane * lane;
    if (!load(w_addr * 64, uint64_t(rows) * row_bytes)) return "flash load failed (status " + status() + ")";
    // The node stores whole lane words: the vector goes out padded to a lane-pair boundary.
    std::vector<int8_t> padded(x);
    padded.resize((k + 2 * lane - 1) / (2 * lane) * (2 * lane), 0);
    if (!drv.write_activations(0, info.max_k, padded.data(), padded.size())) return "activation write failed";
    isa::Gemv g;
    g.int4 = int4;
    g.batch = 1;
    g.rows = rows;
    g.k = k;
    g.w_addr = w_addr;
    g.out_base = out_base;
    if (!g.valid() || !drv.submit(g.encode())) return "GEMV not queued (status " + status() + ")";
    const auto w8 = drv.wait_idle(1000, 2000);
    if (w8 != fw::Wait::kIdle) return node_error(w8);
    std::vector<int32_t> got(rows);
    if (!drv.read_results(out_base * 8, got.data(), got.size())) return "result read failed";
    const auto w = ref::flash_read(data_seed_, w_addr * 64, uint64_t(rows) * row_bytes);
    const auto want = ref::gemv(w.data(), rows, k, row_bytes,
                                int4 ? ref::GemvWeights::kInt4 : ref::GemvWeights::kInt8, {x})[0];
    for (uint32_t r = 0; r < rows; ++r) {
      if (got[r] != want[r]) {
        std::ostringstream o;
        o << (int4 ? "INT4" : "INT8") << " GEMV rows " << rows << " k " << k << " w_addr " << w_addr
          << ": row " << r << " expected " << want[r] << " got " << got[r];
        return o.str();
      }
    }
    return "";
  }

  // The board self-test: `gemvs` random GEMVs (INT8 and INT4 in turn, shapes within the build),
  // then one planted single-bit flash error that must be corrected and counted. Each line of
  // progress goes to `log`; "" when everything matched.
  template <class Log>
  std::string selftest(Rng& rng, unsigned gemvs, Log&& log) {
    if (!drv.start()) return "CTRL.run write failed (status " + status() + ")";
    const uint32_t kmax = info.max_k;
    for (unsigned i = 0; i < gemvs; ++i) {
      const bool int4 = i % 2 == 1;
      const auto k = static_cast<uint32_t>(rng.range(1, kmax));
      // Rows that fit half the flash, so the weights can start anywhere in the first half.
      const uint64_t row_max = k + 2 * info.lane_bytes;
      const uint64_t fit = geometry.total_bytes() / 2 / row_max;
      const auto rows = static_cast<uint32_t>(rng.range(1, fit < 24 ? (fit ? fit : 1) : 24));
      const uint64_t max_w = geometry.total_bytes() / 2 / 64;
      const uint64_t w_addr = rng.range(0, max_w);
      const auto out_base = static_cast<uint32_t>(rng.range(0, 4));
      if (auto why = gemv(rng, int4, rows, k, w_addr, out_base); !why.empty()) return why;
      log("GEMV " + std::to_string(i + 1) + "/" + std::to_string(gemvs) + (int4 ? " INT4" : " INT8") +
          " rows " + std::to_string(rows) + " k " + std::to_string(k) + ": match");
    }
    uint64_t before = 0, after = 0;
    if (!drv.read_reg(regs::kCntFlashCorrected, before)) return "counter read failed";
    if (!load(0, 64 * 16) || !plant(1, uint64_t(1) << 9, 0)) return "flash write failed (status " + status() + ")";
    if (auto why = gemv(rng, false, 4, 64, 0, 0); !why.empty()) return "after a planted bit error: " + why;
    if (!drv.read_reg(regs::kCntFlashCorrected, after)) return "counter read failed";
    if (after != before + 1) return "planted single-bit error: corrected counter went from " +
                                   std::to_string(before) + " to " + std::to_string(after);
    log("planted single-bit flash error: corrected and counted");
    return "";
  }

  std::string node_error(fw::Wait w) {
    if (w == fw::Wait::kTimeout) return "node still busy after the wait";
    if (w == fw::Wait::kBusError) return "STATUS read failed (status " + status() + ")";
    fw::NodeError e;
    if (!drv.error(e)) return "node halted; ERROR read failed";
    std::ostringstream o;
    o << "node halted: error " << e.code << " detail " << e.detail << " command index " << e.index
      << " flash address " << e.flash_addr;
    return o.str();
  }
  std::string status() const { return hex(bridge.status()); }

 private:
  static std::string hex(uint64_t v) {
    std::ostringstream o;
    o << "0x" << std::hex << v;
    return o.str();
  }
  uint64_t data_seed_;
  std::set<uint64_t> loaded_;
};

}  // namespace pnm::tb
