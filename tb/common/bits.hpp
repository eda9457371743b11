// Values of any width moved in and out of Verilated ports: a port of up to 64 bits is an integer
// (CData ... QData), a wider one is VlWide<N> (32-bit words, least significant first). Tests hold
// such values as Word vectors so one test source serves every parameterised width.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <cstring>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "bytes_to_port assumes a little-endian host");
#include <vector>

#include "rng.hpp"

namespace pnm::tb {

using Words = std::vector<uint32_t>;  // little-endian 32-bit words

inline unsigned words_for(unsigned bits) { return (bits + 31) / 32; }

// Random value of exactly `bits` bits.
inline Words random_words(Rng& rng, unsigned bits) {
  Words w(words_for(bits));
  for (auto& x : w) x = static_cast<uint32_t>(rng.next());
  if (bits % 32) w.back() &= (1u << (bits % 32)) - 1u;
  return w;
}

template <class T>
void to_port(T& port, const Words& w) {
  uint64_t v = w.empty() ? 0 : w[0];
  if (w.size() > 1 && sizeof(T) > 4) v |= static_cast<uint64_t>(w[1]) << 32;
  port = static_cast<T>(v);
}
template <std::size_t N>
void to_port(VlWide<N>& port, const Words& w) {
  for (std::size_t i = 0; i < N; ++i) port[i] = i < w.size() ? w[i] : 0;
}

template <class T>
Words from_port(const T& port, unsigned bits) {
  const uint64_t v = static_cast<uint64_t>(port);
  Words w(words_for(bits));
  w[0] = static_cast<uint32_t>(v);
  if (w.size() > 1) w[1] = static_cast<uint32_t>(v >> 32);
  return w;
}
template <std::size_t N>
Words from_port(const VlWide<N>& port, unsigned bits) {
  Words w(words_for(bits));
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = port[i];
  return w;
}

// Bits [lo, lo+width) of a word vector (width <= 64), and the reverse.
inline uint64_t get_bits(const Words& w, unsigned lo, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lo + i;
    if (b / 32 < w.size() && ((w[b / 32] >> (b % 32)) & 1u)) v |= 1ull << i;
  }
  return v;
}
inline void set_bits(Words& w, unsigned lo, unsigned width, uint64_t v) {
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = lo + i;
    if (b / 32 >= w.size()) w.resize(b / 32 + 1, 0);
    if ((v >> i) & 1u) w[b / 32] |= 1u << (b % 32);
    else w[b / 32] &= ~(1u << (b % 32));
  }
}

// Fields of a port of any width read and written in place (width <= 32; may cross a word).
template <class T>
inline uint32_t port_word(const T& p, unsigned i) {
  const uint64_t v = static_cast<uint64_t>(p);
  return i == 0 ? static_cast<uint32_t>(v) : i == 1 ? static_cast<uint32_t>(v >> 32) : 0;
}
template <std::size_t N>
inline uint32_t port_word(const VlWide<N>& p, unsigned i) {
  return i < N ? p[i] : 0;
}
inline uint64_t field_mask(unsigned width) { return width >= 64 ? ~0ull : (1ull << width) - 1; }
// Bits [lo, lo + width) of a port.
template <class T>
inline uint32_t port_field(const T& p, unsigned lo, unsigned width) {
  const unsigned i = lo / 32, s = lo % 32;
  uint64_t v = port_word(p, i) >> s;
  if (s + width > 32) v |= static_cast<uint64_t>(port_word(p, i + 1)) << (32 - s);
  return static_cast<uint32_t>(v & field_mask(width));
}
// Sets bits [lo, lo + width) of a port, leaving the others; true when they changed.
template <class T>
inline bool set_port_field(T& p, unsigned lo, unsigned width, uint32_t v) {
  const uint64_t mask = field_mask(width) << lo;
  const uint64_t old = static_cast<uint64_t>(p);
  const uint64_t nv = (old & ~mask) | ((static_cast<uint64_t>(v) << lo) & mask);
  p = static_cast<T>(nv);
  return nv != old;
}
template <std::size_t N>
inline bool set_port_field(VlWide<N>& p, unsigned lo, unsigned width, uint32_t v) {
  bool changed = false;
  for (unsigned done = 0; done < width;) {
    const unsigned b = lo + done, i = b / 32, s = b % 32;
    const unsigned n = width - done < 32 - s ? width - done : 32 - s;
    const uint32_t m = static_cast<uint32_t>(field_mask(n) << s);
    const uint32_t nv = (p[i] & ~m) | ((static_cast<uint32_t>(static_cast<uint64_t>(v) >> done) << s) & m);
    changed |= nv != p[i];
    p[i] = nv;
    done += n;
  }
  return changed;
}

// Raw little-endian bytes into a port, for streams that carry byte vectors (weights,
// activations): no allocation per beat. `n` is the port width in bytes.
template <class T>
void bytes_to_port(T& port, const uint8_t* p, unsigned n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n < sizeof(v) ? n : sizeof(v));
  port = static_cast<T>(v);
}
template <std::size_t N>
void bytes_to_port(VlWide<N>& port, const uint8_t* p, unsigned n) {
  // VlWide words are little-endian uint32_t, least significant first: on a little-endian host
  // the bytes are the port's memory image.
  const unsigned full = n < 4 * N ? n : static_cast<unsigned>(4 * N);
  std::memcpy(port.data(), p, full);
  if (full < 4 * N) std::memset(reinterpret_cast<uint8_t*>(port.data()) + full, 0, 4 * N - full);
}

}  // namespace pnm::tb
