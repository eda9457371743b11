// Reference of the flash side of DESIGN.md sections 3 and 4.1, shared by the flash die model
// (tb/models) and every test that checks data read through hbf_ctrl:
//  - the procedural contents: each 64-bit data word is a pure function of (seed, logical word
//    address), so a 128 GiB stack costs no memory;
//  - the address map: logical page -> (channel, die, plane, block, page), striped channel first,
//    then die, then plane, so a sequential stream spreads over every channel and die;
//  - bad-block remapping: a (channel, die, plane, block) marked bad is replaced by a spare block
//    of the same plane; the data written there is the data of the logical page.
// Written from the specification (docs/flash.md), not from the RTL.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace pnm::ref {

struct FlashGeometry {
  uint32_t channels = 8;
  uint32_t dies = 4;          // per channel
  uint32_t planes = 2;        // per die
  uint32_t blocks = 2048;     // per plane
  uint32_t pages = 256;       // per block
  uint32_t page_bytes = 4096;

  uint64_t total_pages() const {
    return static_cast<uint64_t>(channels) * dies * planes * blocks * pages;
  }
  uint64_t total_bytes() const { return total_pages() * page_bytes; }
  // "" when usable, else the reason (every dimension a power of two, page a multiple of 8 bytes).
  std::string check() const;
};

struct PhysPage {
  uint32_t channel = 0, die = 0, plane = 0, block = 0, page = 0;
  bool operator==(const PhysPage& o) const {
    return std::tie(channel, die, plane, block, page) == std::tie(o.channel, o.die, o.plane, o.block, o.page);
  }
};

// Logical page number <-> physical location, before bad-block remapping.
PhysPage flash_map(const FlashGeometry& g, uint64_t logical_page);
uint64_t flash_unmap(const FlashGeometry& g, const PhysPage& p);

// Bad blocks and their replacements. A block is named by (channel, die, plane, block); the
// replacement is another block of the same plane.
class FlashRemap {
 public:
  struct Key {
    uint32_t channel, die, plane, block;
    bool operator<(const Key& o) const {
      return std::tie(channel, die, plane, block) < std::tie(o.channel, o.die, o.plane, o.block);
    }
  };
  void add(const Key& bad, uint32_t spare_block) {
    fwd_[bad] = spare_block;
    rev_[{bad.channel, bad.die, bad.plane, spare_block}] = bad.block;
  }
  bool empty() const { return fwd_.empty(); }
  const std::map<Key, uint32_t>& entries() const { return fwd_; }
  // Where a mapped page really lives.
  PhysPage apply(const PhysPage& p) const;
  // Which mapped location a physical page holds the data of (the inverse of apply); `bad` is set
  // when p lies in a block marked bad (its contents are garbage).
  PhysPage invert(const PhysPage& p, bool& bad) const;

 private:
  std::map<Key, uint32_t> fwd_;
  std::map<Key, uint32_t> rev_;
};

// The procedural contents: data word `word` (byte address 8*word, little-endian bytes).
uint64_t flash_word(uint64_t seed, uint64_t word);
// n bytes from logical byte address `addr`.
void flash_read(uint64_t seed, uint64_t addr, uint64_t n, uint8_t* out);
std::vector<uint8_t> flash_read(uint64_t seed, uint64_t addr, uint64_t n);

}  // namespace pnm::ref
