// Requantisation of INT32 accumulators to INT8 with TFLite/gemmlowp semantics, bit-exact
// (DESIGN.md section 3):
//   q = clamp(RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc, M0), shift) + zp,
//             -128, 127)
// A valid/ready pipeline of Latency register stages (input, product, high half, rounding sum,
// result) that accepts one value per cycle. With bypass_i the accumulator passes through
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
  localparam int unsigned Latency   = 5;
  // y of stages 4 and 5 (below): |x| < 2^31, |zp * 2^s| <= 2^38, h <= 2^30.
  localparam int unsigned SumWidth  = AccWidth + 8;
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
  // Beside it, from the shift and the zero point: h = 2^(s-1) (0 for s = 0) and zp * 2^s, which
  // stage 3 turns into the rounding-and-zero-point addends of stage 4.
  logic signed [ProdWidth-1:0] s2_prod_q;
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

  always_ff @(posedge clk_i) begin
    if (en[1]) begin
      s2_prod_q   <= ProdWidth'(s1_acc_q) * ProdWidth'(s1_m0_q);
      s2_sat_q    <= (s1_acc_q == Int32Min) && (s1_m0_q == Int32Min);
      s2_acc_q    <= s1_acc_q;
      s2_shift_q  <= s1_shift_q;
      s2_half_q   <= (s1_shift_q == '0) ? '0 : AccOneU << (s1_shift_q - 1'b1);
      s2_zp_sh_q  <= SumWidth'(s1_zp_q) <<< s1_shift_q;
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
  // Stage 4's addends for a non-negative and a negative x: h + zp * 2^s and h - 1 + zp * 2^s
  // (both zp * 2^s for s = 0), and the in-range mask: bits s+7 and up.
  logic signed [SumWidth-1:0]  s3_add_pos, s3_add_neg;
  logic [SumWidth-1:0]         s3_range_mask;
  always_comb begin
    s3_sum    = s2_prod_q + (s2_prod_q[ProdWidth-1] ? NudgeNeg : NudgePos);
    s3_biased = s3_sum + (s3_sum[ProdWidth-1] ? TruncBias : ProdZero);
    // The quotient fits in 32 bits except for the saturating case, handled apart.
    s3_div    = AccWidth'(s3_biased >>> 31);
    s3_high   = s2_sat_q ? Int32Max : s3_div;
    s3_add_pos = s2_zp_sh_q + $signed({{(SumWidth - AccWidth){1'b0}}, s2_half_q});
    s3_add_neg = s3_add_pos - SumWidth'(s2_shift_q != '0);
    for (int unsigned i = 0; i < SumWidth; i++) s3_range_mask[i] = (i >= 32'(s2_shift_q) + 7);
  end

  logic signed [AccWidth-1:0] s3_high_q, s3_acc_q;
  logic [ShiftWidth-1:0]      s3_shift_q;
  logic signed [SumWidth-1:0] s3_add_pos_q, s3_add_neg_q;
  logic [SumWidth-1:0]        s3_range_mask_q;
  logic                       s3_bypass_q;
  logic [TagWidth-1:0]        s3_tag_q;

  always_ff @(posedge clk_i) begin
    if (en[2]) begin
      s3_high_q       <= s3_high;
      s3_shift_q      <= s2_shift_q;
      s3_add_pos_q    <= s3_add_pos;
      s3_add_neg_q    <= s3_add_neg;
      s3_range_mask_q <= s3_range_mask;
      s3_bypass_q     <= s2_bypass_q;
      s3_acc_q        <= s2_acc_q;
      s3_tag_q        <= s2_tag_q;
    end
  end

  // ---- Stages 4 and 5: RoundingDivideByPOT (ties away from zero), + zero point, clamp ----
  // gemmlowp's form, floor(x / 2^s) + (x mod 2^s > (2^s - 1) / 2 + (x < 0)), plus zp, equals
  // floor(y / 2^s) with y = x + h - (x < 0) + zp * 2^s (h = 2^(s-1) for s >= 1; for s = 0 just
  // x + zp): one add (stage 4) and one shift (stage 5). The result lies in INT8 when y is in
  // [-128 * 2^s, 128 * 2^s), that is when y's bits from s+7 up are all equal (its sign); then
  // it is bits [s+7:s] of y, else QMin or QMax by y's sign. SumWidth holds y for every input,
  // so nothing wraps. Equal to the formula of DESIGN.md section 3 for every input (the requant
  // tests compare it with the reference, corners included); split into short stages for the
  // FPGA build (docs/fpga.md rounds 12 and 13).
  logic signed [SumWidth-1:0] s4_y_q;
  logic [ShiftWidth-1:0]      s4_shift_q;
  logic [SumWidth-1:0]        s4_range_mask_q;
  logic                       s4_bypass_q;
  logic signed [AccWidth-1:0] s4_acc_q;
  logic [TagWidth-1:0]        s4_tag_q;

  always_ff @(posedge clk_i) begin
    if (en[3]) begin
      s4_y_q          <= SumWidth'(s3_high_q) + (s3_high_q[AccWidth-1] ? s3_add_neg_q : s3_add_pos_q);
      s4_shift_q      <= s3_shift_q;
      s4_range_mask_q <= s3_range_mask_q;
      s4_bypass_q     <= s3_bypass_q;
      s4_acc_q        <= s3_acc_q;
      s4_tag_q        <= s3_tag_q;
    end
  end

  logic [7:0]                 s5_byte;
  logic                       s5_in_range;
  logic signed [AccWidth-1:0] s5_value;
  always_comb begin
    s5_byte     = 8'(s4_y_q >>> s4_shift_q);
    s5_in_range = ((s4_y_q & s4_range_mask_q) == '0) ||
                  ((s4_y_q & s4_range_mask_q) == s4_range_mask_q);
    if (s4_bypass_q) begin
      s5_value = s4_acc_q;
    end else if (s5_in_range) begin
      s5_value = AccWidth'($signed(s5_byte));
    end else begin
      s5_value = s4_y_q[SumWidth-1] ? AccWidth'(QMin) : AccWidth'(QMax);
    end
  end

  logic [AccWidth-1:0] s5_value_q;
  logic [TagWidth-1:0] s5_tag_q;
  logic                s5_bypass_q;
  always_ff @(posedge clk_i) begin
    if (en[4]) begin
      s5_value_q  <= s5_value;
      s5_tag_q    <= s4_tag_q;
      s5_bypass_q <= s4_bypass_q;
    end
  end
  assign value_o = s5_value_q;
  assign tag_o   = s5_tag_q;

  `PNM_ASSERT_KNOWN(ValidKnown_A, {valid_o, ready_o}, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(OutStream_A, valid_o, ready_i, {value_o, tag_o}, clk_i, rst_ni)
  // A requantised value always lies in INT8 range.
  `PNM_ASSERT(Int8Range_A, !valid_o || s5_bypass_q ||
              ($signed(value_o) >= -128 && $signed(value_o) <= 127), clk_i, rst_ni)
endmodule
