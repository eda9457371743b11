// Requantisation of INT32 accumulators to INT8 with TFLite/gemmlowp semantics, bit-exact
// (DESIGN.md section 3):
//   q = clamp(RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc, M0), shift) + zp,
//             -128, 127)
// A valid/ready pipeline of Latency register stages (input, partial products, middle sum, high
// half, rounding sum, result) that accepts one value per cycle. With bypass_i the accumulator passes through
// unchanged, at the same latency, so INT32 and INT8 results of consecutive commands stay in
// order. Tag bits travel beside the value untouched.
`include "pnm_assert.svh"

module requant #(
  parameter int unsigned TagWidth = 8,
  localparam int unsigned AccWidth   = gemv_pkg::AccWidth,
  localparam int unsigned M0Width    = gemv_pkg::M0Width,
  localparam int unsigned ShiftWidth = gemv_pkg::ShiftWidth,
  localparam int unsigned ZpWidth    = gemv_pkg::ZpWidth
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,

  input  logic                  valid_i,
  output logic                  ready_o,
  input  logic [AccWidth-1:0]   acc_i,
  input  logic [M0Width-1:0]    m0_i,      // Q31 multiplier (signed)
  input  logic [ShiftWidth-1:0] shift_i,   // right shift, 0..31
  input  logic [ZpWidth-1:0]    zp_i,      // output zero point (signed)
  input  logic                  bypass_i,  // pass acc_i through (INT32 result)
  input  logic [TagWidth-1:0]   tag_i,

  output logic                  valid_o,
  input  logic                  ready_i,
  output logic [AccWidth-1:0]   value_o,   // INT8 result sign-extended, or acc unchanged
  output logic [TagWidth-1:0]   tag_o,
  output logic                  idle_o     // no value in any stage
);
  localparam int unsigned ProdWidth = AccWidth + M0Width;
  localparam int unsigned Latency   = 6;
  // y of stages 5 and 6 (below): |x| < 2^31, |zp * 2^s| <= 2^38, h <= 2^30.
  localparam int unsigned SumWidth  = AccWidth + 8;
  localparam logic signed [7:0] QMin = -8'sd128;
  localparam logic signed [7:0] QMax = 8'sd127;

  // Stage enables: the whole pipeline advances when its last stage is empty or taken, and
  // holds otherwise (bubbles inside do not collapse). One gate from ready_i to ready_o rather
  // than a chain through every stage (the chain and what it fed in gemv_unit was an FPGA path,
  // docs/fpga.md round 17); full throughput whenever the output is taken, and the GEMV's
  // results are at most one per cycle anyway.
  logic [Latency-1:0] valid_q;
  logic [Latency-1:0] en;
  logic               advance;
  assign advance = !valid_q[Latency-1] || ready_i;
  assign en      = {Latency{advance}};
  assign ready_o = en[0];
  assign valid_o = valid_q[Latency-1];
  assign idle_o  = (valid_q == '0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else begin
      for (int s = 0; s < Latency; s++) begin
        if (en[s]) valid_q[s] <= (s == 0) ? valid_i : valid_q[s-1];
      end
    end
  end

  // ---- Stage 1: registered operands ----
  logic signed [AccWidth-1:0] s1_acc_q;
  logic signed [M0Width-1:0]  s1_m0_q;
  logic [ShiftWidth-1:0]      s1_shift_q;
  logic signed [ZpWidth-1:0]  s1_zp_q;
  logic                       s1_bypass_q;
  logic [TagWidth-1:0]        s1_tag_q;

  always_ff @(posedge clk_i) begin
    if (en[0]) begin
      s1_acc_q    <= acc_i;
      s1_m0_q     <= m0_i;
      s1_shift_q  <= shift_i;
      s1_zp_q     <= zp_i;
      s1_bypass_q <= bypass_i;
      s1_tag_q    <= tag_i;
    end
  end

  // ---- Stage 2: the four 16 x 16 partial products; the one overflowing case is flagged ----
  // acc = ah * 2^16 + al and m0 = bh * 2^16 + bl (al, bl the unsigned low halves, ah, bh the
  // signed high ones), so acc * m0 = ah*bh * 2^32 + (ah*bl + al*bh) * 2^16 + al*bl: four 17 x 17
  // multipliers (one DSP each on an FPGA) and adders in stages 3 and 4 instead of one 32 x 32
  // product with its adder tree in one cycle (docs/fpga.md round 16).
  // Beside it, from the shift and the zero point: h = 2^(s-1) (0 for s = 0) and zp * 2^s, which
  // stage 3 turns into the rounding-and-zero-point addends of stage 5.
  localparam int unsigned HalfW = AccWidth / 2;
  localparam int unsigned PpW   = 2 * (HalfW + 1);  // a 17 x 17 signed product
  logic signed [PpW-1:0]       s2_plh_q, s2_phl_q;
  logic [AccWidth-1:0]         s2_pll_q, s2_phh_q;  // both fit 32 bits (ll unsigned)
  logic                        s2_sat_q;
  logic signed [AccWidth-1:0]  s2_acc_q;
  logic [ShiftWidth-1:0]       s2_shift_q;
  logic [AccWidth-1:0]         s2_half_q;
  logic signed [SumWidth-1:0]  s2_zp_sh_q;
  logic                        s2_bypass_q;
  logic [TagWidth-1:0]         s2_tag_q;

  localparam logic signed [AccWidth-1:0] Int32Min = {1'b1, {(AccWidth - 1){1'b0}}};
  localparam logic signed [AccWidth-1:0] Int32Max = {1'b0, {(AccWidth - 1){1'b1}}};
  localparam logic [AccWidth-1:0]        AccOneU  = 1;

  logic signed [HalfW:0] s1_al, s1_ah, s1_bl, s1_bh;  // 17-bit signed halves
  assign s1_al = $signed({1'b0, s1_acc_q[HalfW-1:0]});
  assign s1_ah = $signed({s1_acc_q[AccWidth-1], s1_acc_q[AccWidth-1:HalfW]});
  assign s1_bl = $signed({1'b0, s1_m0_q[HalfW-1:0]});
  assign s1_bh = $signed({s1_m0_q[M0Width-1], s1_m0_q[M0Width-1:HalfW]});

  always_ff @(posedge clk_i) begin
    if (en[1]) begin
      s2_pll_q    <= AccWidth'(PpW'(s1_al) * PpW'(s1_bl));
      s2_plh_q    <= PpW'(s1_al) * PpW'(s1_bh);
      s2_phl_q    <= PpW'(s1_ah) * PpW'(s1_bl);
      s2_phh_q    <= AccWidth'(PpW'(s1_ah) * PpW'(s1_bh));
      s2_sat_q    <= (s1_acc_q == Int32Min) && (s1_m0_q == Int32Min);
      s2_acc_q    <= s1_acc_q;
      s2_shift_q  <= s1_shift_q;
      s2_half_q   <= (s1_shift_q == '0) ? '0 : AccOneU << (s1_shift_q - 1'b1);
      s2_zp_sh_q  <= SumWidth'(s1_zp_q) <<< s1_shift_q;
      s2_bypass_q <= s1_bypass_q;
      s2_tag_q    <= s1_tag_q;
    end
  end

  // ---- Stages 3 and 4: SaturatingRoundingDoublingHighMul ----
  // gemmlowp: (prod + nudge) / 2^31 truncating, nudge = 2^30 for prod >= 0 and 1 - 2^30 below.
  // For prod < 0 the dividend is negative and truncation is floor((n + 2^31 - 1) / 2^31), which
  // is floor((prod + 2^30) / 2^31) again; so for every product it is (prod + 2^30) >>> 31, one
  // add. Stage 3 sums the middle partial products with 2^14 (2^30 at their weight 2^16); stage
  // 4 adds the outer ones, {hh, ll} (ll < 2^32, so the concatenation is hh * 2^32 + ll), and
  // shifts. The quotient fits in 32 bits except for the saturating case, handled apart.
  localparam int unsigned MidW = PpW + 1;
  localparam logic signed [MidW-1:0] MidNudge = MidW'(1) <<< (30 - HalfW);
  logic signed [MidW-1:0]      s3_mid_q;
  logic [AccWidth-1:0]         s3_pll_q, s3_phh_q;
  logic                        s3_sat_q;
  // Stage 5's addends for a non-negative and a negative x: h + zp * 2^s and h - 1 + zp * 2^s
  // (both zp * 2^s for s = 0), and the in-range mask: bits s+7 and up.
  logic signed [SumWidth-1:0]  s3_add_pos, s3_add_neg;
  logic [SumWidth-1:0]         s3_range_mask;
  always_comb begin
    s3_add_pos = s2_zp_sh_q + $signed({{(SumWidth - AccWidth){1'b0}}, s2_half_q});
    s3_add_neg = s3_add_pos - SumWidth'(s2_shift_q != '0);
    for (int unsigned i = 0; i < SumWidth; i++) s3_range_mask[i] = (i >= 32'(s2_shift_q) + 7);
  end

  logic signed [AccWidth-1:0] s3_acc_q;
  logic [ShiftWidth-1:0]      s3_shift_q;
  logic signed [SumWidth-1:0] s3_add_pos_q, s3_add_neg_q;
  logic [SumWidth-1:0]        s3_range_mask_q;
  logic                       s3_bypass_q;
  logic [TagWidth-1:0]        s3_tag_q;

  always_ff @(posedge clk_i) begin
    if (en[2]) begin
      s3_mid_q        <= MidW'(s2_plh_q) + MidW'(s2_phl_q) + MidNudge;
      s3_pll_q        <= s2_pll_q;
      s3_phh_q        <= s2_phh_q;
      s3_sat_q        <= s2_sat_q;
      s3_shift_q      <= s2_shift_q;
      s3_add_pos_q    <= s3_add_pos;
      s3_add_neg_q    <= s3_add_neg;
      s3_range_mask_q <= s3_range_mask;
      s3_bypass_q     <= s2_bypass_q;
      s3_acc_q        <= s2_acc_q;
      s3_tag_q        <= s2_tag_q;
    end
  end

  logic signed [ProdWidth-1:0] s4_rounded;  // acc * m0 + 2^30
  assign s4_rounded = $signed({s3_phh_q, s3_pll_q}) +
                      (ProdWidth'(s3_mid_q) <<< HalfW);

  logic signed [AccWidth-1:0] s4_high_q, s4_acc_q;
  logic [ShiftWidth-1:0]      s4_shift_q;
  logic signed [SumWidth-1:0] s4_add_pos_q, s4_add_neg_q;
  logic [SumWidth-1:0]        s4_range_mask_q;
  logic                       s4_bypass_q;
  logic [TagWidth-1:0]        s4_tag_q;
  always_ff @(posedge clk_i) begin
    if (en[3]) begin
      s4_high_q       <= s3_sat_q ? Int32Max : AccWidth'(s4_rounded >>> 31);
      s4_shift_q      <= s3_shift_q;
      s4_add_pos_q    <= s3_add_pos_q;
      s4_add_neg_q    <= s3_add_neg_q;
      s4_range_mask_q <= s3_range_mask_q;
      s4_bypass_q     <= s3_bypass_q;
      s4_acc_q        <= s3_acc_q;
      s4_tag_q        <= s3_tag_q;
    end
  end

  // ---- Stages 5 and 6: RoundingDivideByPOT (ties away from zero), + zero point, clamp ----
  // gemmlowp's form, floor(x / 2^s) + (x mod 2^s > (2^s - 1) / 2 + (x < 0)), plus zp, equals
  // floor(y / 2^s) with y = x + h - (x < 0) + zp * 2^s (h = 2^(s-1) for s >= 1; for s = 0 just
  // x + zp): one add (stage 5) and one shift (stage 6). The result lies in INT8 when y is in
  // [-128 * 2^s, 128 * 2^s), that is when y's bits from s+7 up are all equal (its sign); then
  // it is bits [s+7:s] of y, else QMin or QMax by y's sign. SumWidth holds y for every input,
  // so nothing wraps. Equal to the formula of DESIGN.md section 3 for every input (the requant
  // tests compare it with the reference, corners included); split into short stages for the
  // FPGA build (docs/fpga.md rounds 12 and 13).
  logic signed [SumWidth-1:0] s5_y_q;
  logic [ShiftWidth-1:0]      s5_shift_q;
  logic [SumWidth-1:0]        s5_range_mask_q;
  logic                       s5_bypass_q;
  logic signed [AccWidth-1:0] s5_acc_q;
  logic [TagWidth-1:0]        s5_tag_q;

  always_ff @(posedge clk_i) begin
    if (en[4]) begin
      s5_y_q          <= SumWidth'(s4_high_q) + (s4_high_q[AccWidth-1] ? s4_add_neg_q : s4_add_pos_q);
      s5_shift_q      <= s4_shift_q;
      s5_range_mask_q <= s4_range_mask_q;
      s5_bypass_q     <= s4_bypass_q;
      s5_acc_q        <= s4_acc_q;
      s5_tag_q        <= s4_tag_q;
    end
  end

  logic [7:0]                 s6_byte;
  logic                       s6_in_range;
  logic signed [AccWidth-1:0] s6_value;
  always_comb begin
    s6_byte     = 8'(s5_y_q >>> s5_shift_q);
    s6_in_range = ((s5_y_q & s5_range_mask_q) == '0) ||
                  ((s5_y_q & s5_range_mask_q) == s5_range_mask_q);
    if (s5_bypass_q) begin
      s6_value = s5_acc_q;
    end else if (s6_in_range) begin
      s6_value = AccWidth'($signed(s6_byte));
    end else begin
      s6_value = s5_y_q[SumWidth-1] ? AccWidth'(QMin) : AccWidth'(QMax);
    end
  end

  logic [AccWidth-1:0] s6_value_q;
  logic [TagWidth-1:0] s6_tag_q;
  logic                s6_bypass_q;
  always_ff @(posedge clk_i) begin
    if (en[5]) begin
      s6_value_q  <= s6_value;
      s6_tag_q    <= s5_tag_q;
      s6_bypass_q <= s5_bypass_q;
    end
  end
  assign value_o = s6_value_q;
  assign tag_o   = s6_tag_q;

  `PNM_ASSERT_KNOWN(ValidKnown_A, {valid_o, ready_o}, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(OutStream_A, valid_o, ready_i, {value_o, tag_o}, clk_i, rst_ni)
  // A requantised value always lies in INT8 range.
  `PNM_ASSERT(Int8Range_A, !valid_o || s6_bypass_q ||
              ($signed(value_o) >= -128 && $signed(value_o) <= 127), clk_i, rst_ni)
endmodule
