// hbf_ctrl with the flash die model on its channels, against the flash reference: requests of
// many lengths and alignments (sequential and random), in-order bytes under random output
// backpressure with many requests in flight, ECC (forced single and double flips: corrected and
// counted, or reported with the first failing address and never delivered as good data), a
// random-error campaign with zero silent corruptions, bad-block remapping, prefetch (the next
// request's tR hidden behind the current transfer), and long output stalls without deadlock.
#include <gtest/gtest.h>

#include <memory>

#include PNM_MODEL_HEADER
#include "hbf_ctrl_tb.hpp"
#include "seed.hpp"

namespace {
using namespace pnm::tb;
using namespace pnm::tb::flash;

FlashTiming timing(uint32_t tr = 200, bool cache = true) {
  FlashTiming t;
  t.tR_cycles = tr;
  t.ch_bytes = PNM_P_ChBytes;
  t.cache_read = cache;
  return t;
}

using CtrlBench = Bench<PNM_MODEL>;

std::unique_ptr<CtrlBench> make_bench(Backpressure out_bp, FlashTiming t = timing()) {
  const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  return std::make_unique<CtrlBench>(params_of_build(), t, name, test_seed(), out_bp);
}

void expect_clean(const CtrlBench& b) {
  const std::string m = b.mismatches();
  EXPECT_TRUE(m.empty()) << m;
}

// A request of random length (1 byte to a few pages) at a random byte address.
Req random_req(CtrlBench& b, uint32_t tag) {
  const auto& g = b.params().geometry;
  Req r;
  const uint32_t max_len = b.rng.chance(0.2) ? 6 * g.page_bytes : g.page_bytes + 100;
  r.len = static_cast<uint32_t>(b.rng.range(1, max_len));
  if (b.rng.chance(0.3)) r.len = b.params().lane_bytes * static_cast<uint32_t>(b.rng.range(1, 20));
  r.addr = b.rng.range(0, g.total_bytes() - r.len);
  if (b.rng.chance(0.3)) r.addr &= ~static_cast<uint64_t>(b.params().lane_bytes - 1);
  r.tag = tag & 0xff;
  return r;
}

TEST(HbfCtrl, RandomRequestsRandomBackpressure) {
  auto b = make_bench(Backpressure::random(0.6, 0.01, 80));
  for (uint32_t i = 0; i < 300; ++i) b->submit(random_req(*b, i));
  b->run_to_completion(5'000'000);
  expect_clean(*b);
  EXPECT_EQ(b->model.stats().bad_block_reads, 0u);
  EXPECT_EQ(b->sim.dut().cnt_bytes_o, b->bytes_requested());
  EXPECT_EQ(b->sim.dut().inflight_high_water_o, b->params().outstanding);
}

TEST(HbfCtrl, SequentialStreamEveryAlignment) {
  auto b = make_bench(Backpressure::random(0.9));
  const uint32_t l = b->params().lane_bytes;
  uint64_t addr = 0;
  uint32_t tag = 0;
  // Back-to-back requests that continue each other, with lengths that move the offset through
  // every byte position of the lane.
  for (uint32_t len : {1u, l - 1, l, l + 1, 2 * l + 3, 5u, 7 * l, 3u, b->params().geometry.page_bytes,
                       b->params().geometry.page_bytes + 1, 2 * b->params().geometry.page_bytes - 1, 11u}) {
    for (uint32_t k = 0; k < 3; ++k) {
      b->submit({addr, len, tag++});
      addr += len;
    }
  }
  b->run_to_completion(2'000'000);
  expect_clean(*b);
}

TEST(HbfCtrl, ForcedErrorsCorrectedOrReportedNeverSilent) {
  auto b = make_bench(Backpressure::random(0.8));
  const auto& g = b->params().geometry;
  const uint64_t words = g.total_bytes() / 8;
  // Single flips (data and check bits) and double flips at random words.
  for (int i = 0; i < 60; ++i) {
    const uint64_t w = b->rng.range(0, words - 1);
    b->force_flips(w, {static_cast<unsigned>(b->rng.range(0, 71))});
  }
  std::vector<uint64_t> doubles;
  for (int i = 0; i < 12; ++i) {
    const uint64_t w = b->rng.range(0, words - 1);
    const unsigned a = static_cast<unsigned>(b->rng.range(0, 71));
    unsigned c = static_cast<unsigned>(b->rng.range(0, 70));
    if (c >= a) ++c;
    b->force_flips(w, {a, c});
    doubles.push_back(w);
  }
  // Requests over every double and around them, plus random ones.
  uint32_t tag = 0;
  for (uint64_t w : doubles) {
    const uint64_t a = w * 8 >= 100 ? w * 8 - 100 : 0;
    b->submit({a, static_cast<uint32_t>(std::min<uint64_t>(300, g.total_bytes() - a)), tag++});
  }
  for (int i = 0; i < 150; ++i) b->submit(random_req(*b, tag++));
  b->run_to_completion(5'000'000);
  expect_clean(*b);
  EXPECT_EQ(b->silent_corruptions(), 0u);
  EXPECT_GT(b->sim.dut().cnt_corrected_o, 0u);
  EXPECT_GT(b->sim.dut().cnt_uncorrectable_o, 0u);
}

TEST(HbfCtrl, BadBlockRemapKeepsDataRight) {
  auto b = make_bench(Backpressure::random(0.8));
  const auto& g = b->params().geometry;
  // Remap the blocks holding logical pages 5 and 40 (and two more) to spares.
  std::vector<uint64_t> pages = {5, 40, 77, 130};
  unsigned entry = 0;
  for (uint64_t lpn : pages) {
    const auto p = pnm::ref::flash_map(g, lpn);
    b->remap(entry++, {p.channel, p.die, p.plane, p.block}, g.blocks - 1 - p.block % 4);
  }
  uint32_t tag = 0;
  for (uint64_t lpn : pages) {
    for (int k = 0; k < 3; ++k) {
      const uint64_t a = lpn * g.page_bytes + b->rng.range(0, g.page_bytes - 1);
      b->submit({a, static_cast<uint32_t>(b->rng.range(1, 2 * g.page_bytes)) , tag++});
    }
  }
  b->run_to_completion(2'000'000);
  expect_clean(*b);
  EXPECT_EQ(b->model.stats().bad_block_reads, 0u) << "a read reached a block marked bad";
}

// The output blocked for long stretches: the reorder buffer fills, the issuer waits, nothing is
// lost or duplicated, and everything drains afterwards.
TEST(HbfCtrl, LongOutputStallsNoDeadlock) {
  auto b = make_bench(Backpressure::random(0.3, 0.05, 3000));
  const auto& g = b->params().geometry;
  for (uint32_t i = 0; i < 40; ++i) b->submit({static_cast<uint64_t>(i) * 3 * g.page_bytes, 3 * g.page_bytes, i});
  b->run_to_completion(20'000'000);
  expect_clean(*b);
  EXPECT_EQ(b->sim.dut().rob_high_water_o, b->params().rob_pages) << "the reorder buffer never filled";
  EXPECT_EQ(b->sim.dut().req_high_water_o, 4u) << "the request queue never filled";
  EXPECT_LE(b->sim.dut().inflight_high_water_o, b->params().outstanding);
  EXPECT_GT(b->sim.dut().cnt_out_stall_o, 0u);
}

// Two requests on the same plane sequence: queued back to back, the second one's page reads are
// issued while the first one is still transferring (prefetch), so its tR is hidden.
TEST(HbfCtrl, QueuedRequestHidesTr) {
  const auto& g = params_of_build().geometry;
  const uint64_t tr = 400;
  const uint32_t len = static_cast<uint32_t>(g.channels * g.page_bytes);  // one page per channel
  uint64_t cycles[2];
  for (int prefetch = 0; prefetch < 2; ++prefetch) {
    auto b = make_bench(Backpressure::none(), timing(tr));
    const uint64_t start = b->sim.cycle();
    b->submit({0, len, 1});
    if (!prefetch) b->run_to_completion(1'000'000, 0);
    b->submit({len, len, 2});
    b->run_to_completion(1'000'000, 0);
    expect_clean(*b);
    cycles[prefetch] = b->sim.cycle() - start;
  }
  // Without the queue the second request pays tR again; with it, almost none of it.
  EXPECT_LT(cycles[1] + tr / 2, cycles[0]) << "queued " << cycles[1] << " vs serial " << cycles[0];
  std::printf("[ INFO     ] two %u-byte requests: serial %lu cycles, queued %lu cycles (tR %lu)\n", len,
              static_cast<unsigned long>(cycles[0]), static_cast<unsigned long>(cycles[1]),
              static_cast<unsigned long>(tr));
}

// Random bit errors at RBER 1e-4 over more than 10^6 words read: every word with one flip is
// corrected, every word with two is reported, and no beat is delivered as good data with wrong
// bytes. (Three or more flips in one word are outside SEC-DED's guarantee; the model counts them.)
TEST(HbfCtrl, RandomErrorCampaignNoSilentCorruption) {
  auto b = make_bench(Backpressure::random(0.9), timing(50));
  b->model.set_raw_bit_error_rate(1e-4);
  const auto& g = b->params().geometry;
  const uint32_t len = 16 * g.page_bytes;
  const uint64_t target_words = 1'050'000;
  uint32_t tag = 0;
  uint64_t addr = 0;
  for (uint64_t words = 0; words < target_words; words += len / 8) {
    b->submit({addr, len, tag++});
    addr = (addr + len) % g.total_bytes();
  }
  b->run_to_completion(20'000'000);
  const auto& st = b->model.stats();
  const uint64_t words_read = st.beats_sent * b->params().ch_bytes / 8;
  std::printf("[ INFO     ] campaign: %lu words read, %lu with 1 flip, %lu with 2, %lu with 3+; "
              "RTL corrected %lu, uncorrectable %lu; silent corruptions %lu\n",
              static_cast<unsigned long>(words_read), static_cast<unsigned long>(st.words_1bit),
              static_cast<unsigned long>(st.words_2bit), static_cast<unsigned long>(st.words_3plus),
              static_cast<unsigned long>(b->sim.dut().cnt_corrected_o),
              static_cast<unsigned long>(b->sim.dut().cnt_uncorrectable_o),
              static_cast<unsigned long>(b->silent_corruptions()));
  EXPECT_GE(words_read, 1'000'000u);
  EXPECT_GT(st.words_2bit, 0u) << "the campaign injected no double errors";
  if (st.words_3plus == 0) {
    EXPECT_EQ(b->silent_corruptions(), 0u);
    EXPECT_EQ(b->sim.dut().cnt_corrected_o, st.words_1bit);
    EXPECT_EQ(b->sim.dut().cnt_uncorrectable_o, st.words_2bit);
  } else {
    EXPECT_LE(b->silent_corruptions(), st.words_3plus);
  }
}

}  // namespace
