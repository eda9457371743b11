// The flash reference (address map, remap, procedural contents) and the flash die model on their
// own: read latency tR, cache read overlapping sensing with transfer, channel bus bandwidth,
// SEC-DED check bits, forced and random bit errors, bad blocks. The RTL tests build on these.
#include <gtest/gtest.h>

#include <cmath>

#include "flash_die_model.hpp"
#include "flash_ref.hpp"
#include "rng.hpp"
#include "secded.hpp"
#include "seed.hpp"

namespace {
using namespace pnm::tb;
using pnm::ref::FlashGeometry;
using pnm::ref::PhysPage;

FlashGeometry small_geometry() {
  FlashGeometry g;
  g.channels = 4;
  g.dies = 2;
  g.planes = 2;
  g.blocks = 16;
  g.pages = 8;
  g.page_bytes = 256;
  return g;
}

FlashTiming timing(uint32_t tr, uint32_t ch_bytes) {
  FlashTiming t;
  t.tR_cycles = tr;
  t.ch_bytes = ch_bytes;
  return t;
}

// Sends a read of logical page `lpn` (mapped, not remapped) to its channel.
void read_logical(FlashDieModel& m, uint64_t lpn, uint32_t tag) {
  const PhysPage p = pnm::ref::flash_map(m.geometry(), lpn);
  ASSERT_TRUE(m.cmd_ready(p.channel));
  m.cmd_push(p.channel, {p.die, p.plane, p.block, p.page, tag});
}

uint64_t le_word(const uint8_t* p) {
  uint64_t d = 0;
  for (unsigned k = 0; k < 8; ++k) d |= static_cast<uint64_t>(p[k]) << (8 * k);
  return d;
}

// Drives a model with an always-ready controller and records each beat with its cycle.
struct Capture {
  struct Beat {
    uint64_t cycle;
    uint32_t ch;
    FlashBeat beat;
  };
  std::vector<Beat> beats;
  void run(FlashDieModel& m, uint64_t max_cycles) {
    for (uint64_t i = 0; i < max_cycles && !m.idle(); ++i) step(m);
  }
  void step(FlashDieModel& m) {
    for (uint32_t ch = 0; ch < m.geometry().channels; ++ch) {
      if (m.data_valid(ch)) {
        beats.push_back({m.cycle(), ch, m.data(ch)});
        m.data_pop(ch);
      }
    }
    m.tick();
  }
};

TEST(FlashRef, MapIsABijectionStripedChannelFirst) {
  const FlashGeometry g = small_geometry();
  std::vector<bool> seen(g.total_pages());
  for (uint64_t lpn = 0; lpn < g.total_pages(); ++lpn) {
    const PhysPage p = pnm::ref::flash_map(g, lpn);
    ASSERT_LT(p.channel, g.channels);
    ASSERT_LT(p.block, g.blocks);
    EXPECT_EQ(pnm::ref::flash_unmap(g, p), lpn);
    const uint64_t flat = (((static_cast<uint64_t>(p.channel) * g.dies + p.die) * g.planes + p.plane) *
                               g.blocks + p.block) * g.pages + p.page;
    ASSERT_FALSE(seen[flat]) << "two logical pages on one physical page";
    seen[flat] = true;
  }
  // Consecutive pages: every channel, then every die, then every plane.
  EXPECT_EQ(pnm::ref::flash_map(g, 1).channel, 1u);
  EXPECT_EQ(pnm::ref::flash_map(g, g.channels).die, 1u);
  EXPECT_EQ(pnm::ref::flash_map(g, g.channels * g.dies).plane, 1u);
  EXPECT_EQ(pnm::ref::flash_map(g, g.channels * g.dies * g.planes).page, 1u);
}

TEST(FlashRef, ContentsArePureLittleEndianWords) {
  const auto a = pnm::ref::flash_read(7, 1000, 64);
  EXPECT_EQ(a, pnm::ref::flash_read(7, 1000, 64));
  EXPECT_NE(a, pnm::ref::flash_read(8, 1000, 64));
  const uint64_t w = pnm::ref::flash_word(7, 125);  // bytes 1000..1007
  for (unsigned b = 0; b < 8; ++b) EXPECT_EQ(a[b], static_cast<uint8_t>(w >> (8 * b)));
  // Unaligned reads agree with aligned ones.
  const auto u = pnm::ref::flash_read(7, 1003, 10);
  for (unsigned i = 0; i < 10; ++i) EXPECT_EQ(u[i], a[3 + i]);
}

TEST(FlashRef, RemapInvertsAndMarksBadBlocks) {
  pnm::ref::FlashRemap r;
  r.add({1, 0, 1, 5}, 15);
  const PhysPage in_bad{1, 0, 1, 5, 3};
  const PhysPage spare{1, 0, 1, 15, 3};
  EXPECT_EQ(r.apply(in_bad), spare);
  bool bad = false;
  EXPECT_EQ(r.invert(spare, bad), in_bad);
  EXPECT_FALSE(bad);
  r.invert(in_bad, bad);
  EXPECT_TRUE(bad);
  const PhysPage other{1, 0, 0, 5, 3};  // same block number, other plane: untouched
  EXPECT_EQ(r.apply(other), other);
}

TEST(FlashDieModel, OneReadTakesTrThenStreamsThePage) {
  const FlashGeometry g = small_geometry();
  const FlashTiming t = timing(100, 16);
  FlashDieModel m(g, t, 42, 1);
  const uint64_t lpn = 37;
  read_logical(m, lpn, 9);
  Capture cap;
  cap.run(m, 10000);
  const uint32_t beats = g.page_bytes / t.ch_bytes;
  ASSERT_EQ(cap.beats.size(), beats);
  EXPECT_EQ(cap.beats.front().cycle, t.tR_cycles + 1u) << "first beat tR cycles after the command";
  EXPECT_EQ(cap.beats.back().cycle - cap.beats.front().cycle, beats - 1u) << "one beat per cycle";
  const auto expect = pnm::ref::flash_read(42, lpn * g.page_bytes, g.page_bytes);
  for (uint32_t i = 0; i < beats; ++i) {
    const FlashBeat& b = cap.beats[i].beat;
    EXPECT_EQ(b.tag, 9u);
    EXPECT_EQ(b.last, i + 1 == beats);
    for (uint32_t k = 0; k < t.ch_bytes; ++k) ASSERT_EQ(b.data[k], expect[i * t.ch_bytes + k]);
    for (uint32_t w = 0; w < t.ch_bytes / 8; ++w) {
      EXPECT_EQ(b.ecc[w], pnm::ref::secded_encode(le_word(&b.data[8 * w])));
    }
  }
}

// Two reads of one plane: with cache read the second sense overlaps the first transfer.
TEST(FlashDieModel, CacheReadOverlapsSensingWithTransfer) {
  const FlashGeometry g = small_geometry();
  uint64_t last_beat[2];
  for (int cache = 0; cache < 2; ++cache) {
    FlashTiming t;
    t.tR_cycles = 50;
    t.ch_bytes = 8;  // 32 beats per page: transfer comparable to tR
    t.cache_read = cache;
    FlashDieModel m(g, t, 1, 1);
    m.cmd_push(0, {0, 0, 0, 0, 1});
    m.cmd_push(0, {0, 0, 0, 1, 2});
    Capture cap;
    cap.run(m, 10000);
    ASSERT_EQ(cap.beats.size(), 2u * g.page_bytes / t.ch_bytes);
    last_beat[cache] = cap.beats.back().cycle;
  }
  const uint64_t tr = 50, transfer = g.page_bytes / 8;
  // Without cache read: tR, transfer, tR, transfer (the second sense waits for the page
  // register). With cache read the second sense starts when the first page moves to the cache
  // register, so it hides under the first transfer: a saving of one transfer time.
  EXPECT_EQ(last_beat[0], 2 * (tr + transfer));
  EXPECT_EQ(last_beat[1], 2 * tr + transfer);
  EXPECT_LT(last_beat[1], last_beat[0]);
}

TEST(FlashDieModel, ChannelBusSaturatesWithEnoughReadsInFlight) {
  const FlashGeometry g = small_geometry();
  FlashTiming t;
  t.tR_cycles = 200;
  t.ch_bytes = 8;
  FlashDieModel m(g, t, 3, 1);
  // 64 pages on channel 0, spread over its dies and planes.
  uint32_t n = 0;
  for (uint32_t page = 0; page < g.pages; ++page) {
    for (uint32_t die = 0; die < g.dies; ++die) {
      for (uint32_t plane = 0; plane < g.planes; ++plane) m.cmd_push(0, {die, plane, 0, page, n++});
    }
  }
  Capture cap;
  cap.run(m, 100000);
  const uint64_t beats = static_cast<uint64_t>(n) * g.page_bytes / t.ch_bytes;
  ASSERT_EQ(cap.beats.size(), beats);
  // 4 planes x 32-beat pages cover tR = 200 only partly: the bus is busy 4 x 32 cycles per
  // 200 + 32; what matters here is that no beat is lost and the count of busy cycles is right.
  EXPECT_EQ(m.stats().beats_sent, beats);
  EXPECT_EQ(m.stats().pages_sent, n);
  EXPECT_EQ(m.stats().bus_busy_cycles, beats);
  EXPECT_EQ(m.stats().bus_stall_cycles, 0u);
}

TEST(FlashDieModel, ForcedFlipsAreSeenByTheDecoder) {
  const FlashGeometry g = small_geometry();
  FlashDieModel m(g, timing(10, 8), 5, 1);
  const uint64_t lpn = 3;
  const uint64_t w0 = lpn * g.page_bytes / 8;
  m.force_flips(w0 + 1, {17});        // one data bit
  m.force_flips(w0 + 2, {70});        // one check bit
  m.force_flips(w0 + 3, {0, 63});     // two bits
  read_logical(m, lpn, 0);
  Capture cap;
  cap.run(m, 1000);
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> ecc;
  for (const auto& b : cap.beats) {
    bytes.insert(bytes.end(), b.beat.data.begin(), b.beat.data.end());
    ecc.insert(ecc.end(), b.beat.ecc.begin(), b.beat.ecc.end());
  }
  const auto expect = pnm::ref::flash_read(5, lpn * g.page_bytes, g.page_bytes);
  for (uint32_t w = 0; w < g.page_bytes / 8; ++w) {
    const uint64_t d = le_word(&bytes[8 * w]);
    const uint64_t e = le_word(&expect[8 * w]);
    const auto r = pnm::ref::secded_decode(d, ecc[w]);
    if (w == 1 || w == 2) {
      EXPECT_EQ(r.status, pnm::ref::SecdedStatus::kCorrected) << "word " << w;
      EXPECT_EQ(r.data, e);
    } else if (w == 3) {
      EXPECT_EQ(r.status, pnm::ref::SecdedStatus::kUncorrectable);
    } else {
      EXPECT_EQ(r.status, pnm::ref::SecdedStatus::kOk) << "word " << w;
      EXPECT_EQ(d, e);
    }
  }
  EXPECT_EQ(m.stats().words_1bit, 2u);
  EXPECT_EQ(m.stats().words_2bit, 1u);
}

TEST(FlashDieModel, RandomBitErrorRateMatchesItsSetting) {
  FlashGeometry g = small_geometry();
  FlashTiming t = timing(1, 64);
  t.cmd_queue = g.blocks * g.pages;
  FlashDieModel m(g, t, 5, test_seed());
  const double rber = 1e-3;
  m.set_raw_bit_error_rate(rber);
  uint32_t n = 0;
  for (uint32_t block = 0; block < g.blocks; ++block) {
    for (uint32_t page = 0; page < g.pages; ++page) m.cmd_push(0, {0, 0, block, page, n++});
  }
  Capture cap;
  cap.run(m, 1000000);
  const double words = static_cast<double>(n) * g.page_bytes / 8;
  const double p1 = 72 * rber * std::pow(1 - rber, 71);
  const double got = static_cast<double>(m.stats().words_1bit);
  // Binomial: mean words*p1, sigma sqrt(words*p1); 5 sigma cannot flip by chance.
  EXPECT_NEAR(got, words * p1, 5 * std::sqrt(words * p1));
  EXPECT_GT(m.stats().words_2bit, 0u);
}

TEST(FlashDieModel, RemappedReadReturnsTheLogicalDataAndBadReadsAreCounted) {
  const FlashGeometry g = small_geometry();
  FlashDieModel m(g, timing(5, 32), 11, 1);
  const uint64_t lpn = 77;
  const PhysPage p = pnm::ref::flash_map(g, lpn);
  m.remap().add({p.channel, p.die, p.plane, p.block}, g.blocks - 1);
  // Correct controller: reads the spare block.
  m.cmd_push(p.channel, {p.die, p.plane, g.blocks - 1, p.page, 1});
  Capture good;
  good.run(m, 1000);
  std::vector<uint8_t> got;
  for (const auto& b : good.beats) got.insert(got.end(), b.beat.data.begin(), b.beat.data.end());
  EXPECT_EQ(got, pnm::ref::flash_read(11, lpn * g.page_bytes, g.page_bytes));
  EXPECT_EQ(m.stats().bad_block_reads, 0u);
  // Broken controller: reads the bad block; the model counts it and the check bits disagree.
  m.cmd_push(p.channel, {p.die, p.plane, p.block, p.page, 2});
  Capture bad;
  bad.run(m, 1000);
  EXPECT_EQ(m.stats().bad_block_reads, 1u);
  EXPECT_NE(pnm::ref::secded_decode(le_word(bad.beats[0].beat.data.data()), bad.beats[0].beat.ecc[0]).status,
            pnm::ref::SecdedStatus::kOk);
}

TEST(FlashDieModel, RejectsBadGeometryAndCommands) {
  FlashGeometry g = small_geometry();
  g.dies = 3;
  EXPECT_THROW(FlashDieModel(g, FlashTiming{}, 1, 1), std::invalid_argument);
  g = small_geometry();
  FlashTiming t;
  t.ch_bytes = 12;
  EXPECT_THROW(FlashDieModel(g, t, 1, 1), std::invalid_argument);
  FlashDieModel m(g, FlashTiming{}, 1, 1);
  EXPECT_THROW(m.cmd_push(0, {g.dies, 0, 0, 0, 0}), std::logic_error);
  EXPECT_THROW(m.data_pop(0), std::logic_error);
}

}  // namespace
