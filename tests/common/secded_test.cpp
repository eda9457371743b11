// SEC-DED (72,64) encoder/decoder against the reference of tb/ref/secded.cpp: every single-bit
// position (data and check bits) corrected, every double-bit pair flagged and never mis-corrected,
// triple errors agree with the reference, and a random campaign.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <vector>

#include PNM_MODEL_HEADER
#include "rng.hpp"
#include "secded.hpp"
#include "seed.hpp"

namespace {
using pnm::ref::SecdedStatus;

class Secded : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = std::make_unique<VerilatedContext>();
    ctx_->fatalOnError(false);
    dut_ = std::make_unique<PNM_MODEL>(ctx_.get(), "dut_top");
  }
  void TearDown() override { dut_->final(); }

  uint8_t encode(uint64_t d) {
    dut_->enc_data_i = d;
    dut_->eval();
    return dut_->enc_ecc_o;
  }
  struct Dec {
    uint64_t data;
    bool single, dbl;
    uint8_t syndrome;
  };
  Dec decode(uint64_t d, uint8_t ecc) {
    dut_->dec_data_i = d;
    dut_->dec_ecc_i = ecc;
    dut_->eval();
    return {dut_->dec_data_o, dut_->dec_single_o != 0, dut_->dec_double_o != 0,
            static_cast<uint8_t>(dut_->dec_syndrome_o)};
  }
  // Flips bit b of the 72-bit code word (0..63 data, 64..71 check bits).
  static void flip(uint64_t& d, uint8_t& e, unsigned b) {
    if (b < 64) d ^= 1ull << b;
    else e = static_cast<uint8_t>(e ^ (1u << (b - 64)));
  }
  std::vector<uint64_t> words(pnm::tb::Rng& rng, unsigned n) {
    std::vector<uint64_t> w = {0, ~0ull, 0xAAAAAAAAAAAAAAAAull, 0x5555555555555555ull, 1ull << 63, 1};
    while (w.size() < n) w.push_back(rng.next());
    return w;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<PNM_MODEL> dut_;
};

TEST_F(Secded, ReferenceIsASecdedCode) {
  // The reference itself: positions are distinct non-powers of two below 72.
  std::set<unsigned> seen;
  for (unsigned i = 0; i < 64; ++i) {
    const unsigned p = pnm::ref::secded_data_position(i);
    EXPECT_LT(p, 72u);
    EXPECT_NE(p & (p - 1), 0u) << "data bit " << i << " at a check position";
    EXPECT_TRUE(seen.insert(p).second) << "position " << p << " used twice";
  }
}

TEST_F(Secded, EncoderMatchesReference) {
  pnm::tb::Rng rng(pnm::tb::test_seed());
  for (const uint64_t d : words(rng, 20000)) {
    ASSERT_EQ(encode(d), pnm::ref::secded_encode(d)) << std::hex << "data 0x" << d;
  }
  for (unsigned b = 0; b < 64; ++b) ASSERT_EQ(encode(1ull << b), pnm::ref::secded_encode(1ull << b));
}

TEST_F(Secded, CleanWordsPassUntouched) {
  pnm::tb::Rng rng(pnm::tb::test_seed());
  for (const uint64_t d : words(rng, 5000)) {
    const Dec r = decode(d, pnm::ref::secded_encode(d));
    ASSERT_EQ(r.data, d);
    ASSERT_FALSE(r.single);
    ASSERT_FALSE(r.dbl);
    ASSERT_EQ(r.syndrome, 0);
  }
}

TEST_F(Secded, EverySingleBitPositionCorrected) {
  pnm::tb::Rng rng(pnm::tb::test_seed());
  for (const uint64_t d : words(rng, 64)) {
    for (unsigned b = 0; b < 72; ++b) {
      uint64_t rd = d;
      uint8_t re = pnm::ref::secded_encode(d);
      flip(rd, re, b);
      const Dec r = decode(rd, re);
      ASSERT_EQ(r.data, d) << std::hex << "data 0x" << d << std::dec << " flipped bit " << b;
      ASSERT_TRUE(r.single) << "bit " << b;
      ASSERT_FALSE(r.dbl) << "bit " << b;
      const auto ref = pnm::ref::secded_decode(rd, re);
      ASSERT_EQ(ref.status, SecdedStatus::kCorrected);
      ASSERT_EQ(ref.data, d);
    }
  }
}

TEST_F(Secded, EveryDoubleBitPairFlaggedNeverMiscorrected) {
  pnm::tb::Rng rng(pnm::tb::test_seed());
  unsigned pairs = 0;
  for (const uint64_t d : words(rng, 12)) {
    const uint8_t e = pnm::ref::secded_encode(d);
    for (unsigned a = 0; a < 72; ++a) {
      for (unsigned b = a + 1; b < 72; ++b) {
        uint64_t rd = d;
        uint8_t re = e;
        flip(rd, re, a);
        flip(rd, re, b);
        const Dec r = decode(rd, re);
        ASSERT_TRUE(r.dbl) << "bits " << a << "," << b << " not flagged";
        ASSERT_FALSE(r.single) << "bits " << a << "," << b << " reported as corrected";
        ASSERT_EQ(r.data, rd) << "decoder changed data of an uncorrectable word";
        ASSERT_EQ(pnm::ref::secded_decode(rd, re).status, SecdedStatus::kUncorrectable);
        ++pairs;
      }
    }
  }
  EXPECT_EQ(pairs, 12u * 72 * 71 / 2);
}

TEST_F(Secded, TripleErrorsAgreeWithReference) {
  pnm::tb::Rng rng(pnm::tb::test_seed());
  for (unsigned n = 0; n < 20000; ++n) {
    const uint64_t d = rng.next();
    uint64_t rd = d;
    uint8_t re = pnm::ref::secded_encode(d);
    unsigned bits[3];
    do {
      for (auto& b : bits) b = static_cast<unsigned>(rng.range(0, 71));
    } while (bits[0] == bits[1] || bits[1] == bits[2] || bits[0] == bits[2]);
    for (const unsigned b : bits) flip(rd, re, b);
    const auto ref = pnm::ref::secded_decode(rd, re);
    const Dec r = decode(rd, re);
    ASSERT_EQ(r.single, ref.status == SecdedStatus::kCorrected);
    ASSERT_EQ(r.dbl, ref.status == SecdedStatus::kUncorrectable);
    if (ref.status == SecdedStatus::kCorrected) {
      ASSERT_EQ(r.data, ref.data);
    }
  }
}
}  // namespace
