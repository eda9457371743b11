// Flash die model (see flash_die_model.hpp).
#include "flash_die_model.hpp"

#include <algorithm>
#include <stdexcept>

#include "secded.hpp"

namespace pnm::tb {

namespace {
constexpr unsigned kCodeBits = 72;  // 64 data + 8 check bits per word
constexpr uint64_t kGarbageSalt = 0xBADB10C4BADB10C4ull;
}  // namespace

FlashDieModel::FlashDieModel(const ref::FlashGeometry& geometry, const FlashTiming& timing,
                             uint64_t data_seed, uint64_t error_seed)
    : g_(geometry), t_(timing), data_seed_(data_seed), err_rng_(error_seed) {
  const std::string bad = g_.check();
  if (!bad.empty()) throw std::invalid_argument("flash geometry: " + bad);
  if (t_.ch_bytes == 0 || t_.ch_bytes % 8 != 0 || g_.page_bytes % t_.ch_bytes != 0) {
    throw std::invalid_argument("flash timing: ch_bytes must be a multiple of 8 dividing the page");
  }
  if (t_.tR_cycles == 0) throw std::invalid_argument("flash timing: tR_cycles must be >= 1");
  channels_.resize(g_.channels);
  for (auto& c : channels_) c.planes.resize(static_cast<size_t>(g_.dies) * g_.planes);
}

void FlashDieModel::set_raw_bit_error_rate(double rber) {
  if (!(rber >= 0.0 && rber < 1.0)) throw std::invalid_argument("raw bit error rate must be in [0, 1)");
  rber_ = rber;
  if (rber_ > 0.0) next_error_ = std::geometric_distribution<uint64_t>(rber_)(err_rng_);
}

bool FlashDieModel::cmd_ready(uint32_t ch) const { return channels_[ch].queued < t_.cmd_queue; }

void FlashDieModel::cmd_push(uint32_t ch, const FlashReadCmd& cmd) {
  if (!cmd_ready(ch)) throw std::logic_error("flash model: command pushed while not ready");
  if (cmd.die >= g_.dies || cmd.plane >= g_.planes || cmd.block >= g_.blocks || cmd.page >= g_.pages) {
    throw std::logic_error("flash model: read command outside the geometry (channel " +
                           std::to_string(ch) + ")");
  }
  Channel& c = channels_[ch];
  c.planes[cmd.die * g_.planes + cmd.plane].queue.push_back(cmd);
  ++c.queued;
  c.planes_dirty = true;
  ++stats_.reads;
}

bool FlashDieModel::data_valid(uint32_t ch) const { return channels_[ch].beat_valid; }

const FlashBeat& FlashDieModel::data(uint32_t ch) const { return channels_[ch].beat; }

FlashDieModel::Page* FlashDieModel::transfer_source(Channel& c, uint32_t plane_index, bool from_cache) {
  Plane& p = c.planes[plane_index];
  return from_cache ? &p.cache_reg : &p.page_reg;
}

void FlashDieModel::data_pop(uint32_t ch) {
  Channel& c = channels_[ch];
  if (!c.beat_valid) throw std::logic_error("flash model: data popped while not valid");
  c.beat_valid = false;
  c.popped = true;
  ++stats_.beats_sent;
  ++c.send_beat;
  if (c.send_beat * t_.ch_bytes >= g_.page_bytes) {
    Plane& p = c.planes[c.send_plane];
    if (c.send_from_cache) p.cache_full = false;
    else p.page_full = false;
    c.sending = false;
    c.planes_dirty = true;
    ++stats_.pages_sent;
  }
}

void FlashDieModel::prepare_beat(Channel& c, uint32_t /*ch*/) {
  const Page* src = transfer_source(c, c.send_plane, c.send_from_cache);
  const uint32_t off = c.send_beat * t_.ch_bytes;
  c.beat.tag = src->cmd.tag;
  c.beat.data.assign(src->data.begin() + off, src->data.begin() + off + t_.ch_bytes);
  c.beat.ecc.assign(src->ecc.begin() + off / 8, src->ecc.begin() + (off + t_.ch_bytes) / 8);
  c.beat.last = off + t_.ch_bytes >= g_.page_bytes;
  c.beat_valid = true;
}

void FlashDieModel::tick() {
  for (uint32_t ch = 0; ch < g_.channels; ++ch) {
    Channel& c = channels_[ch];
    // A beat offered this cycle was either taken (popped) or is still valid (a stall).
    if (c.beat_valid || c.popped) ++stats_.bus_busy_cycles;
    if (c.beat_valid) ++stats_.bus_stall_cycles;
    c.popped = false;
    const bool look = c.planes_dirty || cycle_ + 1 >= c.next_sense_done;
    c.planes_dirty = false;
    uint64_t next_sense_done = ~0ull;
    for (uint32_t pi = 0; look && pi < c.planes.size(); ++pi) {
      Plane& p = c.planes[pi];
      if (p.sensing && cycle_ + 1 >= p.sense_done) {
        p.sensing = false;
        p.page_full = true;
        fill_page(ch, p.sensing_cmd, p.page_reg);
        p.page_reg.ready_cycle = cycle_;
      }
      if (t_.cache_read && p.page_full && !p.cache_full) {
        std::swap(p.cache_reg, p.page_reg);
        p.cache_full = true;
        p.page_full = false;
      }
      if (!p.sensing && !p.page_full && !p.queue.empty()) {
        p.sensing_cmd = p.queue.front();
        p.queue.pop_front();
        --c.queued;
        p.sensing = true;
        p.sense_done = cycle_ + 1 + t_.tR_cycles;
      }
      if (p.sensing) next_sense_done = std::min(next_sense_done, p.sense_done);
    }
    if (look) c.next_sense_done = next_sense_done;
    if (!c.sending) {
      // The oldest sensed page goes on the bus next.
      bool found = false;
      uint64_t best = 0;
      for (uint32_t pi = 0; pi < c.planes.size(); ++pi) {
        Plane& p = c.planes[pi];
        const bool ready = t_.cache_read ? p.cache_full : p.page_full;
        const Page& pg = t_.cache_read ? p.cache_reg : p.page_reg;
        if (ready && (!found || pg.ready_cycle < best)) {
          found = true;
          best = pg.ready_cycle;
          c.send_plane = pi;
        }
      }
      if (found) {
        c.sending = true;
        c.send_from_cache = t_.cache_read;
        c.send_beat = 0;
      }
    }
    if (c.sending && !c.beat_valid) prepare_beat(c, ch);
  }
  ++cycle_;
}

bool FlashDieModel::idle() const {
  for (const auto& c : channels_) {
    if (c.sending || c.queued) return false;
    for (const auto& p : c.planes) {
      if (p.sensing || p.page_full || p.cache_full || !p.queue.empty()) return false;
    }
  }
  return true;
}

void FlashDieModel::fill_page(uint32_t ch, const FlashReadCmd& cmd, Page& out) {
  out.cmd = cmd;
  out.data.resize(g_.page_bytes);
  out.ecc.resize(g_.page_bytes / 8);
  const ref::PhysPage phys{ch, cmd.die, cmd.plane, cmd.block, cmd.page};
  bool bad = false;
  const ref::PhysPage mapped = remap_.invert(phys, bad);
  if (bad) ++stats_.bad_block_reads;
  const uint64_t first_word = ref::flash_unmap(g_, mapped) * (g_.page_bytes / 8);
  for (uint32_t w = 0; w < g_.page_bytes / 8; ++w) {
    uint64_t data;
    uint8_t ecc;
    if (bad) {
      // A bad block reads back as noise whose check bits do not match.
      data = ref::flash_word(data_seed_ ^ kGarbageSalt, ref::flash_unmap(g_, phys) * 4096 + w);
      ecc = static_cast<uint8_t>(ref::secded_encode(data) ^ 0x0F);
    } else {
      data = ref::flash_word(data_seed_, first_word + w);
      ecc = ref::secded_encode(data);
      corrupt(first_word + w, data, ecc);
    }
    for (unsigned b = 0; b < 8; ++b) out.data[8 * w + b] = static_cast<uint8_t>(data >> (8 * b));
    out.ecc[w] = ecc;
  }
}

void FlashDieModel::corrupt(uint64_t word, uint64_t& data, uint8_t& ecc) {
  unsigned flips = 0;
  auto flip = [&](unsigned bit) {
    if (bit < 64) data ^= 1ull << bit;
    else ecc = static_cast<uint8_t>(ecc ^ (1u << (bit - 64)));
    ++flips;
  };
  const auto forced = forced_.find(word);
  if (forced != forced_.end()) {
    for (unsigned bit : forced->second) flip(bit % kCodeBits);
  }
  if (rber_ > 0.0) {
    // Bits between errors are geometric: skip to the next flipped bit instead of drawing 72
    // times per word (the stream of bits read is one long Bernoulli sequence).
    unsigned bit = 0;
    while (bit + next_error_ < kCodeBits) {
      bit += static_cast<unsigned>(next_error_);
      flip(bit);
      ++bit;
      next_error_ = std::geometric_distribution<uint64_t>(rber_)(err_rng_);
    }
    next_error_ -= kCodeBits - bit;
  }
  if (flips == 1) ++stats_.words_1bit;
  else if (flips == 2) ++stats_.words_2bit;
  else if (flips >= 3) ++stats_.words_3plus;
}

}  // namespace pnm::tb
