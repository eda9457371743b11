// Cycle model of the flash dies behind hbf_ctrl (DESIGN.md section 4.1), one instance per node:
// per channel a command port and a read-data port, per die and plane the array read time tR,
// optional cache read, the shared channel bus at CH_BYTES per cycle, SEC-DED check bits beside
// every 64-bit word, bit-error injection, and bad blocks.
//
// Timing, per plane: a read command waits in the plane's queue until the page register is free,
// senses for tR cycles, and leaves the page in the page register. Without cache read the plane
// stays occupied until the page has been transferred. With cache read the page moves to the
// cache register as soon as that is free, and the next sense overlaps the transfer. The channel
// bus sends one page at a time, CH_BYTES per beat, oldest sensed page first, and holds a beat
// while the controller is not ready.
//
// Contents: the page at a physical location holds the logical page that the address map and the
// remap table put there (flash_ref.hpp), so a correctly remapped read returns the right data and
// a read of a bad block returns garbage (and is counted). Not tied to any Verilated model: a
// bench connects the ports (see the flash tests).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "flash_ref.hpp"

namespace pnm::tb {

struct FlashTiming {
  uint32_t tR_cycles = 3000;
  uint32_t ch_bytes = 8;     // channel bytes per cycle (a multiple of 8: whole ECC words)
  bool cache_read = true;
  uint32_t cmd_queue = 64;   // commands a channel accepts before it stops being ready
};

struct FlashReadCmd {
  uint32_t die = 0, plane = 0, block = 0, page = 0;
  uint32_t tag = 0;
};

// One channel beat: ch_bytes of data and one ECC byte per 8 data bytes.
struct FlashBeat {
  uint32_t tag = 0;
  std::vector<uint8_t> data;
  std::vector<uint8_t> ecc;
  bool last = false;
};

struct FlashModelStats {
  uint64_t reads = 0;              // commands accepted
  uint64_t pages_sent = 0;
  uint64_t beats_sent = 0;
  uint64_t bad_block_reads = 0;    // reads of a block marked bad (garbage returned)
  uint64_t words_1bit = 0;         // words delivered with exactly 1 flipped bit
  uint64_t words_2bit = 0;         // ... exactly 2
  uint64_t words_3plus = 0;        // ... 3 or more
  uint64_t bus_busy_cycles = 0;    // channel-cycles with a beat offered
  uint64_t bus_stall_cycles = 0;   // ... offered but not accepted
};

class FlashDieModel {
 public:
  FlashDieModel(const ref::FlashGeometry& geometry, const FlashTiming& timing, uint64_t data_seed,
                uint64_t error_seed);

  const ref::FlashGeometry& geometry() const { return g_; }
  const FlashTiming& timing() const { return t_; }
  ref::FlashRemap& remap() { return remap_; }

  // Error injection. Random: each of the 72 bits of every word flips with probability `rber`.
  // Forced: the word at logical byte address 8*word gets these bit flips (bit 0..63 data,
  // 64..71 check bits) every time it is read.
  void set_raw_bit_error_rate(double rber);
  void force_flips(uint64_t word, std::vector<unsigned> bits) { forced_[word] = std::move(bits); }

  // ---- Per-channel ports, valid/ready semantics, sampled once per cycle ----
  bool cmd_ready(uint32_t ch) const;
  void cmd_push(uint32_t ch, const FlashReadCmd& cmd);  // only when cmd_ready(ch)
  bool data_valid(uint32_t ch) const;
  const FlashBeat& data(uint32_t ch) const;             // only when data_valid(ch)
  void data_pop(uint32_t ch);                           // the controller took the beat

  // Advances one cycle (after the handshakes of this cycle).
  void tick();

  uint64_t cycle() const { return cycle_; }
  const FlashModelStats& stats() const { return stats_; }
  bool idle() const;  // nothing queued, sensing or waiting for transfer

 private:
  struct Page {                 // a sensed page waiting for, or in, transfer
    FlashReadCmd cmd;
    uint64_t ready_cycle = 0;   // when sensing finished (orders the bus)
    std::vector<uint8_t> data;  // page_bytes
    std::vector<uint8_t> ecc;   // page_bytes / 8
  };
  struct Plane {
    std::deque<FlashReadCmd> queue;
    bool sensing = false;
    uint64_t sense_done = 0;
    FlashReadCmd sensing_cmd;
    bool page_full = false;     // page register holds a sensed page
    Page page_reg;
    bool cache_full = false;    // cache register (cache read only)
    Page cache_reg;
  };
  struct Channel {
    std::vector<Plane> planes;  // die * planes + plane
    uint32_t queued = 0;        // commands accepted and not yet sensing
    bool sending = false;       // a page is on the bus
    uint32_t send_plane = 0;
    bool send_from_cache = false;
    uint32_t send_beat = 0;
    FlashBeat beat;
    bool beat_valid = false;
    bool popped = false;        // a beat was taken this cycle
    // The planes need a look only after a command arrived or a page left the bus (planes_dirty)
    // or when a sensing plane finishes (next_sense_done, the earliest): tick() skips them
    // otherwise, with the same result (a look settles every plane until the next such event).
    bool planes_dirty = true;
    uint64_t next_sense_done = ~0ull;
  };

  void fill_page(uint32_t ch, const FlashReadCmd& cmd, Page& out);
  void corrupt(uint64_t word, uint64_t& data, uint8_t& ecc);
  void prepare_beat(Channel& c, uint32_t ch);
  Page* transfer_source(Channel& c, uint32_t plane_index, bool from_cache);

  ref::FlashGeometry g_;
  FlashTiming t_;
  uint64_t data_seed_;
  ref::FlashRemap remap_;
  std::mt19937_64 err_rng_;
  double rber_ = 0.0;
  uint64_t next_error_ = 0;   // error-free bits before the next random flip
  std::map<uint64_t, std::vector<unsigned>> forced_;
  std::vector<Channel> channels_;
  uint64_t cycle_ = 0;
  FlashModelStats stats_;
};

}  // namespace pnm::tb
