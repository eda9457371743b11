// Requantisation of INT32 accumulators to INT8 with TFLite/gemmlowp semantics, bit-exact
// (DESIGN.md section 3):
//   q = clamp(RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc, M0), shift) + zp,
//             -128, 127)
// A valid/ready pipeline of Latency register stages (input, product, high half, result) that
// accepts one value per cycle. With bypass_i the accumulator passes through unchanged, at the same
// latency, so INT32 and INT8 results of consecutive commands stay in order. Tag bits travel beside
// the value untouched.
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
  localparam int unsigned Latency   = 4;
  localparam logic signed [7:0] QMin = -8'sd128;
  localparam logic signed [7:0] QMax = 8'sd127;

  // Stage enables: a stage loads when it is empty or its successor moves (bubbles collapse).
  logic [Latency-1:0] valid_q;
  logic [Latency-1:0] en;
  always_comb begin
    en[Latency-1] = !valid_q[Latency-1] || ready_i;
    for (int s = Latency - 2; s >= 0; s--) en[s] = !valid_q[s] || en[s+1];
  end
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

  // ---- Stage 2: the full 64-bit product; the one overflowing case is flagged ----
  logic signed [ProdWidth-1:0] s2_prod_q;
  logic                        s2_sat_q;
  logic signed [AccWidth-1:0]  s2_acc_q;
  logic [ShiftWidth-1:0]       s2_shift_q;
  logic signed [ZpWidth-1:0]   s2_zp_q;
  logic                        s2_bypass_q;
  logic [TagWidth-1:0]         s2_tag_q;

  localparam logic signed [AccWidth-1:0] Int32Min = {1'b1, {(AccWidth - 1){1'b0}}};
  localparam logic signed [AccWidth-1:0] Int32Max = {1'b0, {(AccWidth - 1){1'b1}}};

  always_ff @(posedge clk_i) begin
    if (en[1]) begin
      s2_prod_q   <= ProdWidth'(s1_acc_q) * ProdWidth'(s1_m0_q);
      s2_sat_q    <= (s1_acc_q == Int32Min) && (s1_m0_q == Int32Min);
      s2_acc_q    <= s1_acc_q;
      s2_shift_q  <= s1_shift_q;
      s2_zp_q     <= s1_zp_q;
      s2_bypass_q <= s1_bypass_q;
      s2_tag_q    <= s1_tag_q;
    end
  end

  // ---- Stage 3: SaturatingRoundingDoublingHighMul = (prod + nudge) / 2^31, truncating ----
  // nudge is 2^30 for a non-negative product and 1 - 2^30 otherwise; division truncates toward
  // zero, so a negative dividend is biased by 2^31 - 1 before the arithmetic shift.
  localparam logic signed [ProdWidth-1:0] NudgePos  = ProdWidth'(64'sd1 <<< 30);
  localparam logic signed [ProdWidth-1:0] NudgeNeg  = ProdWidth'(64'sd1 - (64'sd1 <<< 30));
  localparam logic signed [ProdWidth-1:0] TruncBias = ProdWidth'((64'sd1 <<< 31) - 64'sd1);
  localparam logic signed [ProdWidth-1:0] ProdZero  = '0;

  // Every operand of these expressions is signed, so >>> is an arithmetic shift (one unsigned
  // operand would make the whole expression unsigned).
  logic signed [ProdWidth-1:0] s3_sum, s3_biased;
  logic signed [AccWidth-1:0]  s3_div, s3_high;
  always_comb begin
    s3_sum    = s2_prod_q + (s2_prod_q[ProdWidth-1] ? NudgeNeg : NudgePos);
    s3_biased = s3_sum + (s3_sum[ProdWidth-1] ? TruncBias : ProdZero);
    // The quotient fits in 32 bits except for the saturating case, handled apart.
    s3_div    = AccWidth'(s3_biased >>> 31);
    s3_high   = s2_sat_q ? Int32Max : s3_div;
  end

  // Stage 4's constants, prepared here from the shift and the zero point (see stage 4).
  localparam logic [AccWidth-1:0] AccOneU = 1;
  logic [AccWidth-1:0]        s3_half, s3_half_m1;
  logic signed [AccWidth:0]   s3_lo, s3_hi;
  always_comb begin
    s3_half    = (s2_shift_q == '0) ? '0 : AccOneU << (s2_shift_q - 1'b1);
    s3_half_m1 = (s2_shift_q == '0) ? '0 : s3_half - AccOneU;
    s3_lo   = (AccWidth + 1)'(QMin) - (AccWidth + 1)'(s2_zp_q);
    s3_hi   = (AccWidth + 1)'(QMax) - (AccWidth + 1)'(s2_zp_q);
  end

  logic signed [AccWidth-1:0] s3_high_q;
  logic [ShiftWidth-1:0]      s3_shift_q;
  logic [AccWidth-1:0]        s3_half_q, s3_half_m1_q;
  logic signed [AccWidth:0]   s3_lo_q, s3_hi_q;
  logic signed [ZpWidth-1:0]  s3_zp_q;
  logic                       s3_bypass_q;
  logic signed [AccWidth-1:0] s3_acc_q;
  logic [TagWidth-1:0]        s3_tag_q;

  always_ff @(posedge clk_i) begin
    if (en[2]) begin
      s3_high_q    <= s3_high;
      s3_shift_q   <= s2_shift_q;
      s3_half_q    <= s3_half;
      s3_half_m1_q <= s3_half_m1;
      s3_lo_q      <= s3_lo;
      s3_hi_q      <= s3_hi;
      s3_zp_q      <= s2_zp_q;
      s3_bypass_q  <= s2_bypass_q;
      s3_acc_q     <= s2_acc_q;
      s3_tag_q     <= s2_tag_q;
    end
  end

  // ---- Stage 4: RoundingDivideByPOT (ties away from zero), + zero point, clamp to INT8 ----
  // gemmlowp's form, floor(x / 2^s) + (x mod 2^s > (2^s - 1) / 2 + (x < 0)), is computed as one
  // add and one shift: (x + h - (x < 0)) >>> s with h = 2^(s-1) for s >= 1 (h and h - 1 come
  // from stage 3), and x itself for s = 0; the add is one bit wider, so it never wraps. The
  // clamp compares the shifted value with QMin - zp and QMax - zp (stage 3) instead of adding
  // zp first; inside that range the result is the low byte of shifted + zp. Equal to the formula
  // of DESIGN.md section 3 for every input (the requant tests compare it with the reference,
  // corners included). Half the logic depth of the direct form (FPGA round 11's critical path).
  logic [AccWidth-1:0]        s4_round;
  logic signed [AccWidth:0]   s4_sum, s4_shifted;
  logic [7:0]                 s4_byte;
  logic signed [AccWidth-1:0] s4_value;
  always_comb begin
    s4_round   = s3_high_q[AccWidth-1] ? s3_half_m1_q : s3_half_q;
    s4_sum     = (AccWidth + 1)'(s3_high_q) + $signed({1'b0, s4_round});
    s4_shifted = s4_sum >>> s3_shift_q;
    s4_byte    = s4_shifted[7:0] + 8'(s3_zp_q);
    if (s4_shifted < s3_lo_q) begin
      s4_value = AccWidth'(QMin);
    end else if (s4_shifted > s3_hi_q) begin
      s4_value = AccWidth'(QMax);
    end else begin
      s4_value = AccWidth'($signed(s4_byte));
    end
    if (s3_bypass_q) s4_value = s3_acc_q;
  end

  logic [AccWidth-1:0] s4_value_q;
  logic [TagWidth-1:0] s4_tag_q;
  logic                s4_bypass_q;
  always_ff @(posedge clk_i) begin
    if (en[3]) begin
      s4_value_q  <= s4_value;
      s4_tag_q    <= s3_tag_q;
      s4_bypass_q <= s3_bypass_q;
    end
  end
  assign value_o = s4_value_q;
  assign tag_o   = s4_tag_q;

  `PNM_ASSERT_KNOWN(ValidKnown_A, {valid_o, ready_o}, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(OutStream_A, valid_o, ready_i, {value_o, tag_o}, clk_i, rst_ni)
  // A requantised value always lies in INT8 range.
  `PNM_ASSERT(Int8Range_A, !valid_o || s4_bypass_q ||
              ($signed(value_o) >= -128 && $signed(value_o) <= 127), clk_i, rst_ni)
endmodule
