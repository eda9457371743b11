// Host side of the FPGA top's UART bridge (rtl/fpga/pnm_uart_bridge.sv, docs/fpga.md "Host
// protocol"): the frame format, regions, registers and status codes, and a HAL over any byte
// link, so the node driver (pnm/driver.hpp) runs unchanged against a board. Freestanding: no
// exceptions, no heap.
#pragma once

#include <cstddef>
#include <cstdint>

#include "pnm/hal.hpp"

namespace pnm::fw::uart {

constexpr uint8_t kOpWrite = 0x57;  // 'W'
constexpr uint8_t kOpRead = 0x52;   // 'R'
constexpr unsigned kMaxBeats = 256;  // 64-bit beats per frame
constexpr unsigned kHeaderBytes = 6;  // op, address (4, little endian), beats - 1

// Status byte ending every response.
constexpr uint8_t kOk = 0x00, kSlvErr = 0x02, kDecErr = 0x03, kBadOp = 0x81, kTimeout = 0x82,
                  kUnaligned = 0x83;
// Only when the link itself failed (no status byte came back); never sent by the bridge.
constexpr uint8_t kNoResponse = 0xFF;

// Regions of the bridge's 32-bit address space.
constexpr uint32_t kNodeBase = 0x0000'0000;   // the node's host port (24-bit offsets)
constexpr uint32_t kFlashBase = 0x1000'0000;  // flash emulator words, write only
constexpr uint32_t kRegBase = 0x2000'0000;    // bridge registers
constexpr uint32_t flash_word_addr(uint32_t channel, uint32_t word) {
  return kFlashBase | (channel << 24) | (word << 3);
}

// Bridge registers (offsets from kRegBase).
constexpr uint32_t kRegId = 0x00, kRegTrCycles = 0x08, kRegFlipLo = 0x10, kRegFlipHi = 0x18,
                   kRegInfo = 0x20, kRegFrames = 0x28, kRegFrameErrors = 0x30, kRegRxErrors = 0x38,
                   kRegGeometry = 0x40;
constexpr uint64_t kIdValue = 0x3141'4750'464d'4e50ull;  // "PNMFPGA1"

// INFO: build parameters of the board's node.
struct Info {
  uint32_t max_k, lane_bytes, max_batch, channels, flash_log2;
  static constexpr Info decode(uint64_t v) {
    return {static_cast<uint32_t>(v), static_cast<uint32_t>((v >> 32) & 0xFF),
            static_cast<uint32_t>((v >> 40) & 0xFF), static_cast<uint32_t>((v >> 48) & 0xFF),
            static_cast<uint32_t>(v >> 56)};
  }
};

// GEOMETRY: the flash behind the node's address map (channels x dies x planes x blocks x pages
// of page_bytes), so the host can place a logical flash address in the right emulator word.
struct Geometry {
  uint32_t channels, dies, planes, blocks, pages, page_bytes;
  static constexpr Geometry decode(uint64_t v) {
    return {static_cast<uint32_t>(v & 0xFF), static_cast<uint32_t>((v >> 8) & 0xFF),
            static_cast<uint32_t>((v >> 16) & 0xFF), 1u << ((v >> 24) & 0x1F), 1u << ((v >> 32) & 0x1F),
            1u << ((v >> 40) & 0x1F)};
  }
};

// Request frame into out (at least kHeaderBytes + 8 * beats bytes); data only for writes.
// Returns the frame length, or 0 if beats is not 1..kMaxBeats.
inline size_t encode(uint8_t op, uint32_t addr, const uint64_t* data, size_t beats, uint8_t* out) {
  if (beats == 0 || beats > kMaxBeats) return 0;
  out[0] = op;
  for (unsigned i = 0; i < 4; ++i) out[1 + i] = static_cast<uint8_t>(addr >> (8 * i));
  out[5] = static_cast<uint8_t>(beats - 1);
  size_t n = kHeaderBytes;
  if (op == kOpWrite) {
    for (size_t b = 0; b < beats; ++b)
      for (unsigned i = 0; i < 8; ++i) out[n++] = static_cast<uint8_t>(data[b] >> (8 * i));
  }
  return n;
}

// A byte link to the board: a serial port, or the test bench's UART model.
class Link {
 public:
  virtual ~Link() = default;
  virtual bool send(const uint8_t* bytes, size_t n) = 0;
  // Exactly n bytes, false if they did not come in time.
  virtual bool receive(uint8_t* bytes, size_t n) = 0;
  virtual void idle(uint32_t cycles) = 0;
};

// Accesses of the bridge's address space, each one frame; status() is the last frame's status.
class Bridge {
 public:
  explicit Bridge(Link& link) : link_(link) {}

  bool write(uint32_t addr, const uint64_t* data, size_t beats) {
    uint8_t frame[kHeaderBytes + 8 * kMaxBeats];
    const size_t n = encode(kOpWrite, addr, data, beats, frame);
    uint8_t st = kNoResponse;
    if (n == 0 || !link_.send(frame, n) || !link_.receive(&st, 1)) st = kNoResponse;
    status_ = st;
    return st == kOk;
  }
  bool read(uint32_t addr, uint64_t* data, size_t beats) {
    uint8_t frame[kHeaderBytes];
    uint8_t resp[8 * kMaxBeats + 1];
    status_ = kNoResponse;
    if (encode(kOpRead, addr, nullptr, beats, frame) == 0 || !link_.send(frame, kHeaderBytes) ||
        !link_.receive(resp, 8 * beats + 1))
      return false;
    for (size_t b = 0; b < beats; ++b) {
      uint64_t v = 0;
      for (unsigned i = 0; i < 8; ++i) v |= uint64_t(resp[8 * b + i]) << (8 * i);
      data[b] = v;
    }
    status_ = resp[8 * beats];
    return status_ == kOk;
  }
  bool write_reg(uint32_t reg, uint64_t v) { return write(kRegBase + reg, &v, 1); }
  bool read_reg(uint32_t reg, uint64_t& v) { return read(kRegBase + reg, &v, 1); }
  uint8_t status() const { return status_; }
  Link& link() { return link_; }

 private:
  Link& link_;
  uint8_t status_ = kOk;
};

// The firmware HAL over the bridge: node offsets go to region 0, split into frames of at most
// kMaxBeats beats. One node per board.
class BridgeHal : public Hal {
 public:
  explicit BridgeHal(Bridge& b) : b_(b) {}
  bool write64(uint32_t node, uint32_t offset, const uint64_t* data, size_t words) override {
    return node == 0 && frames(offset, words, [&](uint32_t addr, size_t at, size_t n) {
             return b_.write(addr, data + at, n);
           });
  }
  bool read64(uint32_t node, uint32_t offset, uint64_t* data, size_t words) override {
    return node == 0 && frames(offset, words, [&](uint32_t addr, size_t at, size_t n) {
             return b_.read(addr, data + at, n);
           });
  }
  void wait(uint32_t cycles) override { b_.link().idle(cycles); }

 private:
  // One access per frame of at most kMaxBeats beats: access(bridge address, first word, words).
  template <class Access>
  static bool frames(uint32_t offset, size_t words, Access&& access) {
    for (size_t done = 0; done < words;) {
      const size_t n = words - done < kMaxBeats ? words - done : kMaxBeats;
      if (!access(kNodeBase + offset + 8 * static_cast<uint32_t>(done), done, n)) return false;
      done += n;
    }
    return true;
  }
  Bridge& b_;
};

}  // namespace pnm::fw::uart
