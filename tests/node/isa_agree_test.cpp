// The ISA's two generated sides agree: random commands encoded with the firmware header
// (firmware/include/pnm/isa.hpp) are split by the RTL package (rtl/node/pnm_isa_pkg.sv, through
// tests/node/isa_fields_top.sv) into exactly the values that were encoded; decode() inverts
// encode(); values too wide for a field are reported by valid().
#include <gtest/gtest.h>

#include PNM_MODEL_HEADER
#include "pnm/isa.hpp"
#include "rng.hpp"
#include "seed.hpp"
#include "sim.hpp"

namespace {
using namespace pnm::tb;
namespace isa = pnm::isa;

uint64_t rnd(Rng& rng, unsigned width) { return width >= 64 ? rng.next() : rng.next() & ((1ull << width) - 1); }

void apply(PNM_MODEL& d, const isa::Cmd& c) {
  for (unsigned i = 0; i < isa::kCmdWords; ++i) d.cmd_i[i] = c.w[i];
  d.eval();
}

TEST(IsaAgree, RtlPackageSplitsWhatFirmwareEncodes) {
  Sim<PNM_MODEL> sim("isa_agree", test_seed());
  Rng rng(sim.seed());
  auto& d = sim.dut();
  for (int i = 0; i < 2000; ++i) {
    isa::Gemv g;
    g.int4 = rnd(rng, 1); g.requant = rnd(rng, 1); g.rq_per_row = rnd(rng, 1);
    g.batch = rnd(rng, 3); g.rows = rnd(rng, 20); g.k = rnd(rng, 16); g.rq_base = rnd(rng, 8);
    g.x_base = rnd(rng, 16); g.w_addr = rnd(rng, 36); g.out_base = rnd(rng, 16);
    ASSERT_TRUE(g.valid());
    apply(d, g.encode());
    EXPECT_EQ(d.opcode_o, static_cast<uint32_t>(isa::Opcode::kGemv));
    EXPECT_EQ(d.gemv_int4_o, g.int4);
    EXPECT_EQ(d.gemv_requant_o, g.requant);
    EXPECT_EQ(d.gemv_rq_per_row_o, g.rq_per_row);
    EXPECT_EQ(d.gemv_batch_o, g.batch);
    EXPECT_EQ(d.gemv_rows_o, g.rows);
    EXPECT_EQ(d.gemv_k_o, g.k);
    EXPECT_EQ(d.gemv_rq_base_o, g.rq_base);
    EXPECT_EQ(d.gemv_x_base_o, g.x_base);
    EXPECT_EQ(d.gemv_w_addr_o, g.w_addr);
    EXPECT_EQ(d.gemv_out_base_o, g.out_base);
    const auto back = isa::Gemv::decode(g.encode());
    EXPECT_EQ(back.w_addr, g.w_addr);
    EXPECT_EQ(back.rows, g.rows);

    isa::Requant r;
    r.index = rnd(rng, 8); r.shift = rnd(rng, 5); r.zp = rnd(rng, 8); r.m0 = rnd(rng, 32);
    apply(d, r.encode());
    EXPECT_EQ(d.opcode_o, static_cast<uint32_t>(isa::Opcode::kRequant));
    EXPECT_EQ(d.rq_index_o, r.index);
    EXPECT_EQ(d.rq_shift_o, r.shift);
    EXPECT_EQ(d.rq_zp_o, r.zp);
    EXPECT_EQ(d.rq_m0_o, r.m0);

    isa::Allreduce a;
    a.len = rnd(rng, 20); a.base = rnd(rng, 16);
    apply(d, a.encode());
    EXPECT_EQ(d.opcode_o, static_cast<uint32_t>(isa::Opcode::kAllreduce));
    EXPECT_EQ(d.ar_len_o, a.len);
    EXPECT_EQ(d.ar_base_o, a.base);

    isa::Allgather ag;
    ag.len = rnd(rng, 20); ag.base = rnd(rng, 16);
    apply(d, ag.encode());
    EXPECT_EQ(d.ag_len_o, ag.len);
    EXPECT_EQ(d.ag_base_o, ag.base);

    isa::Broadcast b;
    b.len = rnd(rng, 20); b.base = rnd(rng, 16); b.root = rnd(rng, 8);
    apply(d, b.encode());
    EXPECT_EQ(d.bc_len_o, b.len);
    EXPECT_EQ(d.bc_base_o, b.base);
    EXPECT_EQ(d.bc_root_o, b.root);

    isa::Prefetch p;
    p.bytes = rnd(rng, 32); p.w_addr = rnd(rng, 36);
    apply(d, p.encode());
    EXPECT_EQ(d.opcode_o, static_cast<uint32_t>(isa::Opcode::kPrefetch));
    EXPECT_EQ(d.pf_bytes_o, p.bytes);
    EXPECT_EQ(d.pf_w_addr_o, p.w_addr);

    isa::Signal s;
    s.tag = rnd(rng, 32);
    apply(d, s.encode());
    EXPECT_EQ(d.sig_tag_o, s.tag);

    apply(d, isa::Fence{}.encode());
    EXPECT_EQ(d.opcode_o, static_cast<uint32_t>(isa::Opcode::kFence));
    if (HasFailure()) break;
  }
}

TEST(IsaAgree, OversizedValuesAreReported) {
  isa::Gemv g;
  g.rows = 1u << 20;  // 20-bit field
  EXPECT_FALSE(g.valid());
  g.rows = (1u << 20) - 1;
  EXPECT_TRUE(g.valid());
  g.w_addr = 1ull << 36;
  EXPECT_FALSE(g.valid());
  isa::Signal s;
  s.tag = 0xffffffffu;
  EXPECT_TRUE(s.valid());
}

}  // namespace
