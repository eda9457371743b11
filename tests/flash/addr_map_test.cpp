// hbf_addr_map against tb/ref/flash_ref (flash_map, then FlashRemap::apply): random logical
// pages (biased toward remapped blocks) under random backpressure, with a random remap table that
// includes invalid entries and is rewritten while traffic flows.
#include <gtest/gtest.h>

#include <set>

#include PNM_MODEL_HEADER
#include "flash_ref.hpp"
#include "seed.hpp"
#include "sim.hpp"
#include "stream.hpp"

namespace {
using namespace pnm::tb;
using pnm::ref::FlashGeometry;
using pnm::ref::PhysPage;

FlashGeometry geometry() {
  FlashGeometry g;
  g.channels = PNM_P_Channels;
  g.dies = PNM_P_Dies;
  g.planes = PNM_P_Planes;
  g.blocks = PNM_P_Blocks;
  g.pages = PNM_P_Pages;
  return g;
}
constexpr unsigned kEntries = PNM_P_RemapEntries;

unsigned bits(unsigned n) {
  unsigned b = 0;
  while ((1u << b) < n) ++b;
  return b == 0 ? 1 : b;
}

struct In {
  uint64_t lpn;
  uint32_t tag;
};
struct Out {
  PhysPage p;
  bool remapped;
  uint32_t tag;
  bool operator==(const Out& o) const { return p == o.p && remapped == o.remapped && tag == o.tag; }
};

struct Entry {
  bool valid;
  pnm::ref::FlashRemap::Key bad;
  uint32_t spare;
};

TEST(AddrMap, RandomPagesAndRemapTableRandomBackpressure) {
  const FlashGeometry g = geometry();
  Sim<PNM_MODEL> sim("addr_map", test_seed());
  Rng rng(sim.seed());
  auto& d = sim.dut();
  StreamSource<In> src(rng, d.valid_i, d.ready_o, [&](const In& in) {
    d.lpn_i = in.lpn;
    d.tag_i = in.tag;
  }, Backpressure::random(0.7));
  StreamSink<Out> sink(rng, d.valid_o, d.ready_i, [&] {
    return Out{{d.channel_o, d.die_o, d.plane_o, d.block_o, d.page_o}, d.remapped_o != 0, d.tag_o};
  }, Backpressure::random(0.6, 0.02, 30));
  sim.add(src);
  sim.add(sink);
  d.remap_we_i = 0;
  sim.reset();

  const unsigned cw = bits(g.channels), dw = bits(g.dies), pw = bits(g.planes), bw = bits(g.blocks);
  auto write_table = [&](std::vector<Entry>& table) {
    // Distinct bad blocks; spares are distinct from every bad block of their plane.
    std::set<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>> used;
    for (unsigned e = 0; e < kEntries; ++e) {
      Entry en;
      do {
        en.bad = {static_cast<uint32_t>(rng.range(0, g.channels - 1)), static_cast<uint32_t>(rng.range(0, g.dies - 1)),
                  static_cast<uint32_t>(rng.range(0, g.planes - 1)), static_cast<uint32_t>(rng.range(0, g.blocks / 2 - 1))};
      } while (used.count({en.bad.channel, en.bad.die, en.bad.plane, en.bad.block}));
      used.insert({en.bad.channel, en.bad.die, en.bad.plane, en.bad.block});
      en.spare = static_cast<uint32_t>(rng.range(g.blocks / 2, g.blocks - 1));
      en.valid = rng.chance(0.8);
      table[e] = en;
      uint64_t w = en.valid ? 1 : 0;
      w = (w << cw) | en.bad.channel;
      w = (w << dw) | en.bad.die;
      w = (w << pw) | en.bad.plane;
      w = (w << bw) | en.bad.block;
      w = (w << bw) | en.spare;
      d.remap_we_i = 1;
      d.remap_waddr_i = e;
      d.remap_wdata_i = w;
      sim.step();
      d.remap_we_i = 0;
    }
  };

  std::vector<Out> expected;
  uint64_t remapped = 0;
  for (unsigned round = 0; round < 4; ++round) {
    std::vector<Entry> table(kEntries);
    // The table changes only while no request is in flight.
    sim.run_until([&] { return src.idle() && sink.count() == expected.size(); }, 100000, "drain");
    write_table(table);
    pnm::ref::FlashRemap remap;
    for (const auto& e : table) {
      if (e.valid) remap.add(e.bad, e.spare);
    }
    for (unsigned i = 0; i < 3000; ++i) {
      uint64_t lpn = rng.range(0, g.total_pages() - 1);
      if (rng.chance(0.3)) {  // aim at a bad block (valid or not)
        const Entry& e = table[rng.range(0, kEntries - 1)];
        lpn = pnm::ref::flash_unmap(g, {e.bad.channel, e.bad.die, e.bad.plane, e.bad.block,
                                        static_cast<uint32_t>(rng.range(0, g.pages - 1))});
      }
      const uint32_t tag = static_cast<uint32_t>(rng.range(0, 255));
      src.push({lpn, tag});
      const PhysPage mapped = pnm::ref::flash_map(g, lpn);
      const PhysPage real = remap.apply(mapped);
      const bool moved = !(real == mapped);
      remapped += moved;
      expected.push_back({real, moved, tag});
    }
  }
  sim.run_until([&] { return sink.count() == expected.size(); }, 200000, "all pages");
  sim.run(10);
  ASSERT_EQ(sink.count(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Out& e = expected[i];
    const Out& a = sink.received()[i];
    ASSERT_EQ(a, e) << "request " << i << ": expected ch " << e.p.channel << " die " << e.p.die
                    << " plane " << e.p.plane << " block " << e.p.block << " page " << e.p.page
                    << (e.remapped ? " (remapped)" : "") << ", got ch " << a.p.channel << " die "
                    << a.p.die << " plane " << a.p.plane << " block " << a.p.block << " page "
                    << a.p.page << (a.remapped ? " (remapped)" : "") << "; seed stream " << sim.seed();
  }
  EXPECT_TRUE(sink.violations().empty());
  EXPECT_GT(remapped, 0u);
  EXPECT_EQ(d.cnt_remapped_o, remapped);
}

}  // namespace
