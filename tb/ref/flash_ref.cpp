// Flash contents, address map and bad-block remapping (see flash_ref.hpp).
#include "flash_ref.hpp"

#include "splitmix.hpp"

namespace pnm::ref {

namespace {
bool pow2(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }
}  // namespace

std::string FlashGeometry::check() const {
  if (!pow2(channels)) return "channels must be a power of two";
  if (!pow2(dies)) return "dies must be a power of two";
  if (!pow2(planes)) return "planes must be a power of two";
  if (!pow2(blocks)) return "blocks must be a power of two";
  if (!pow2(pages)) return "pages must be a power of two";
  if (!pow2(page_bytes) || page_bytes < 8) return "page_bytes must be a power of two >= 8";
  return "";
}

PhysPage flash_map(const FlashGeometry& g, uint64_t lpn) {
  PhysPage p;
  p.channel = static_cast<uint32_t>(lpn % g.channels);
  lpn /= g.channels;
  p.die = static_cast<uint32_t>(lpn % g.dies);
  lpn /= g.dies;
  p.plane = static_cast<uint32_t>(lpn % g.planes);
  lpn /= g.planes;
  p.page = static_cast<uint32_t>(lpn % g.pages);
  lpn /= g.pages;
  p.block = static_cast<uint32_t>(lpn);
  return p;
}

uint64_t flash_unmap(const FlashGeometry& g, const PhysPage& p) {
  uint64_t lpn = p.block;
  lpn = lpn * g.pages + p.page;
  lpn = lpn * g.planes + p.plane;
  lpn = lpn * g.dies + p.die;
  lpn = lpn * g.channels + p.channel;
  return lpn;
}

PhysPage FlashRemap::apply(const PhysPage& p) const {
  const auto it = fwd_.find({p.channel, p.die, p.plane, p.block});
  if (it == fwd_.end()) return p;
  PhysPage q = p;
  q.block = it->second;
  return q;
}

PhysPage FlashRemap::invert(const PhysPage& p, bool& bad) const {
  bad = fwd_.count({p.channel, p.die, p.plane, p.block}) != 0;
  const auto it = rev_.find({p.channel, p.die, p.plane, p.block});
  if (it == rev_.end()) return p;
  PhysPage q = p;
  q.block = it->second;
  return q;
}

uint64_t flash_word(uint64_t seed, uint64_t word) {
  // One splitmix64 step from a state that mixes the seed and the address: a pure function, and
  // neighbouring words are uncorrelated.
  uint64_t state = seed ^ (word * 0xD1B54A32D192ED03ull);
  return splitmix64(state);
}

void flash_read(uint64_t seed, uint64_t addr, uint64_t n, uint8_t* out) {
  uint64_t i = 0;
  // Unaligned head, whole words, tail: one flash_word per word (decode reads gigabytes).
  for (; i < n && (addr + i) % 8; ++i) {
    out[i] = static_cast<uint8_t>(flash_word(seed, (addr + i) / 8) >> (8 * ((addr + i) % 8)));
  }
  for (; i + 8 <= n; i += 8) {
    const uint64_t w = flash_word(seed, (addr + i) / 8);
    for (unsigned b = 0; b < 8; ++b) out[i + b] = static_cast<uint8_t>(w >> (8 * b));
  }
  for (; i < n; ++i) {
    out[i] = static_cast<uint8_t>(flash_word(seed, (addr + i) / 8) >> (8 * ((addr + i) % 8)));
  }
}

std::vector<uint8_t> flash_read(uint64_t seed, uint64_t addr, uint64_t n) {
  std::vector<uint8_t> v(n);
  flash_read(seed, addr, n, v.data());
  return v;
}

}  // namespace pnm::ref
