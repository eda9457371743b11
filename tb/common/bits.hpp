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
