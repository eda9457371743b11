// Node driver over the HAL (docs/node.md): queues commands, loads activations, reads results,
// and reports the node's state and errors. Freestanding: no exceptions, no heap; every call
// says whether it succeeded.
#pragma once

#include <cstddef>
#include <cstdint>

#include "pnm/hal.hpp"
#include "pnm/isa.hpp"
#include "pnm/regs.hpp"

namespace pnm::fw {

// Host port windows of a node (docs/node.md).
constexpr uint32_t kCmdQueue = 0x010000;
constexpr uint32_t kActivations = 0x100000;
constexpr uint32_t kResults = 0x400000;

struct NodeError {
  uint32_t code = 0;    // docs/node.md; 0: none
  uint32_t detail = 0;  // the unit's own code
  uint32_t index = 0;   // failing command, counted from the last queue clear
  uint64_t flash_addr = 0;
};

enum class Wait { kIdle, kHalted, kTimeout, kBusError };

class Driver {
 public:
  Driver(Hal& hal, uint32_t node) : hal_(hal), node_(node) {}

  bool write_reg(uint32_t reg, uint64_t v) { return hal_.write64(node_, reg, &v, 1); }
  bool read_reg(uint32_t reg, uint64_t& v) { return hal_.read64(node_, reg, &v, 1); }

  bool start(bool irq = false) { return write_reg(regs::kCtrl, irq ? 3 : 1); }
  bool clear_queue() { return write_reg(regs::kClear, 1); }

  // Queues one command (two 64-bit beats; the second queues it). False if refused (queue full).
  bool submit(const isa::Cmd& c) {
    const uint64_t beats[2] = {uint64_t(c.w[0]) | uint64_t(c.w[1]) << 32,
                               uint64_t(c.w[2]) | uint64_t(c.w[3]) << 32};
    return hal_.write64(node_, kCmdQueue, beats, 2);
  }

  // INT8 activations of one slot from element 0; `n` is rounded up to whole lane words by the
  // caller's buffer (the node writes a lane word with its last beat).
  bool write_activations(uint32_t slot, uint32_t max_k, const int8_t* x, size_t n) {
    uint64_t beat[32];
    size_t done = 0;
    while (done < n) {
      const size_t words = (n - done + 7) / 8 < 32 ? (n - done + 7) / 8 : 32;
      for (size_t w = 0; w < words; ++w) {
        uint64_t v = 0;
        for (unsigned b = 0; b < 8; ++b) {
          const size_t i = done + w * 8 + b;
          if (i < n) v |= uint64_t(uint8_t(x[i])) << (8 * b);
        }
        beat[w] = v;
      }
      if (!hal_.write64(node_, kActivations + slot * max_k + static_cast<uint32_t>(done), beat, words)) {
        return false;
      }
      done += words * 8;
    }
    return true;
  }

  // INT32 elements [first, first + n) of the result buffer.
  bool read_results(uint32_t first, int32_t* out, size_t n) {
    const uint32_t e0 = first & ~1u;
    size_t skip = first - e0, got = 0;
    uint32_t at = e0;
    uint64_t beat[32];
    while (got < n) {
      const size_t need = (n - got + skip + 1) / 2;
      const size_t words = need < 32 ? need : 32;
      if (!hal_.read64(node_, kResults + 4 * at, beat, words)) return false;
      for (size_t w = 0; w < words; ++w) {
        const int32_t pair[2] = {static_cast<int32_t>(beat[w]), static_cast<int32_t>(beat[w] >> 32)};
        for (unsigned h = 0; h < 2; ++h) {
          if (skip) {
            --skip;
          } else if (got < n) {
            out[got++] = pair[h];
          }
        }
      }
      at += static_cast<uint32_t>(2 * words);
    }
    return true;
  }

  // Polls STATUS until the queue is empty and idle, or the node halted, or `max_polls` ran out.
  Wait wait_idle(uint32_t max_polls, uint32_t cycles_between = 64) {
    for (uint32_t i = 0; i < max_polls; ++i) {
      uint64_t s = 0;
      if (!read_reg(regs::kStatus, s)) return Wait::kBusError;
      if ((s >> regs::kStatusHaltedLsb) & 1) return Wait::kHalted;
      if (!((s >> regs::kStatusBusyLsb) & 1)) return Wait::kIdle;
      hal_.wait(cycles_between);
    }
    return Wait::kTimeout;
  }

  bool error(NodeError& e) {
    uint64_t v = 0, a = 0;
    if (!read_reg(regs::kError, v) || !read_reg(regs::kErrorAddr, a)) return false;
    e.code = static_cast<uint32_t>(v >> regs::kErrorCodeLsb) & 0xff;
    e.detail = static_cast<uint32_t>(v >> regs::kErrorDetailLsb) & 0xff;
    e.index = static_cast<uint32_t>(v >> regs::kErrorIndexLsb);
    e.flash_addr = a;
    return true;
  }

 private:
  Hal& hal_;
  uint32_t node_;
};

}  // namespace pnm::fw
