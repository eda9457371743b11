// Serial line model for the FPGA top's UART (8N1, LSB first, clk_per_bit cycles per bit): a PC
// on the other end of uart_rx_i / uart_tx_o. Bytes to send are shifted onto the line with random
// idle time between them; bytes from the board are sampled at the middle of each bit and their
// stop bit checked. As a firmware uart::Link it runs the simulation while it waits, so the
// bridge HAL and the node driver run on it unchanged.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "pnm/uart_bridge.hpp"
#include "rng.hpp"
#include "sim.hpp"

namespace pnm::tb {

template <class Model>
class UartLine : public Component, public fw::uart::Link {
 public:
  UartLine(Sim<Model>& sim, Rng& rng, unsigned clk_per_bit)
      : sim_(sim), d_(sim.dut()), rng_(rng), cpb_(clk_per_bit) {}

  unsigned max_gap_bits = 3;  // random idle time between sent bytes, 0..max_gap_bits bit times
  uint64_t timeout = 2'000'000;  // cycles receive() waits for its bytes
  unsigned framing_errors = 0;   // bytes from the board with a low stop bit

  // The next byte sent is framed with a low stop bit (a line error the board must drop).
  void corrupt_next_stop_bit() { corrupt_next_ = true; }

  bool send(const uint8_t* bytes, size_t n) override {
    for (size_t i = 0; i < n; ++i) queue_byte(bytes[i]);
    sim_.run_until([&] { return bits_.empty(); }, timeout + 20ull * cpb_ * n, "UART send");
    return true;
  }
  bool receive(uint8_t* bytes, size_t n) override {
    const uint64_t start = sim_.cycle();
    while (rx_.size() < n) {
      if (sim_.cycle() - start > timeout) return false;
      sim_.step();
    }
    for (size_t i = 0; i < n; ++i) {
      bytes[i] = rx_.front();
      rx_.pop_front();
    }
    return true;
  }
  void idle(uint32_t cycles) override { sim_.run(cycles); }
  // For a pump that moves bytes without running the simulation (a pseudo-terminal): queue bytes
  // for the line, and take the bytes received so far.
  void post(const uint8_t* bytes, size_t n) {
    for (size_t i = 0; i < n; ++i) queue_byte(bytes[i]);
  }
  size_t take(uint8_t* out, size_t max) {
    size_t n = 0;
    for (; n < max && !rx_.empty(); ++n) {
      out[n] = rx_.front();
      rx_.pop_front();
    }
    return n;
  }
  size_t pending_rx() const { return rx_.size(); }

  void drive() override {
    d_.uart_rx_i = bits_.empty() ? 1 : bits_.front();
    if (!bits_.empty() && ++held_ >= cpb_) {  // each bit stays on the line for cpb cycles
      held_ = 0;
      bits_.pop_front();
    }
  }
  void sample() override {
    const bool line = d_.uart_tx_o;
    if (rx_count_ == 0) {
      if (!line && prev_) rx_count_ = 1;  // falling edge: start bit
    } else {
      ++rx_count_;
      // Middle of bit b (0 start, 1..8 data, 9 stop) is at cycle b*cpb + cpb/2 after the edge.
      if (rx_count_ >= cpb_ / 2 && (rx_count_ - cpb_ / 2) % cpb_ == 0) {
        const unsigned b = (rx_count_ - cpb_ / 2) / cpb_;
        if (b >= 1 && b <= 8) rx_byte_ |= static_cast<uint8_t>(line) << (b - 1);
        if (b == 9) {
          if (line) rx_.push_back(rx_byte_);
          else ++framing_errors;
          rx_byte_ = 0;
          rx_count_ = 0;
        }
      }
    }
    prev_ = line;
  }

 private:
  void queue_byte(uint8_t v) {
    const unsigned gap = static_cast<unsigned>(rng_.range(0, max_gap_bits));
    for (unsigned i = 0; i < gap; ++i) bits_.push_back(1);
    bits_.push_back(0);
    for (unsigned b = 0; b < 8; ++b) bits_.push_back((v >> b) & 1);
    bits_.push_back(corrupt_next_ ? 0 : 1);
    if (corrupt_next_) bits_.push_back(1);  // back to idle after the bad stop bit
    corrupt_next_ = false;
  }

  Sim<Model>& sim_;
  Model& d_;
  Rng& rng_;
  unsigned cpb_;
  std::deque<uint8_t> bits_;
  unsigned held_ = 0;
  bool corrupt_next_ = false;
  bool prev_ = true;
  unsigned rx_count_ = 0;
  uint8_t rx_byte_ = 0;
  std::deque<uint8_t> rx_;
};

}  // namespace pnm::tb
