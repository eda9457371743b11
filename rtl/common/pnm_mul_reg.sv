// Registered signed multiplier: the operands are registered when in_en_i, their product when
// out_en_i, so p_o is a * b two enables after the operands (no reset: a datapath cell; the
// caller's valid pipeline says when p_o holds a product). The generic implementation, for
// simulation and for any synthesis tool that maps a multiplier with flops in front and behind
// (synth_xilinx folds them into a DSP48E1's AREG/BREG/PREG). Its ECP5 twin,
// rtl/boards/ecp5/pnm_mul_reg.sv, is one MULT18X18D with its own input and output registers,
// which this Yosys does not infer: scripts/fpga.sh ecp5 reads it in place of this file, so
// the routing into and out of the DSP block is no longer part of a register-to-register path
// through the multiplier (docs/fpga.md, round 21). Both take operands of up to 18 bits.
`include "pnm_assert.svh"

module pnm_mul_reg #(
  parameter int unsigned AWidth = 18,              // signed operand a, at most 18 bits
  parameter int unsigned BWidth = 18,              // signed operand b, at most 18 bits
  parameter int unsigned PWidth = AWidth + BWidth  // low bits of the product kept
) (
  input  logic              clk_i,
  input  logic              in_en_i,   // capture a_i and b_i
  input  logic [AWidth-1:0] a_i,
  input  logic [BWidth-1:0] b_i,
  input  logic              out_en_i,  // capture the product of the captured operands
  output logic [PWidth-1:0] p_o
);
  logic [AWidth-1:0] a_q;
  logic [BWidth-1:0] b_q;
  logic [PWidth-1:0] p_q;

  always_ff @(posedge clk_i) begin
    if (in_en_i) begin
      a_q <= a_i;
      b_q <= b_i;
    end
  end
  // Operands widened first (signed): a product is as wide as its widest operand.
  always_ff @(posedge clk_i) begin
    if (out_en_i) p_q <= PWidth'($signed(a_q)) * PWidth'($signed(b_q));
  end
  assign p_o = p_q;

  // The ECP5 twin maps one MULT18X18D: keep the two implementations interchangeable.
  `PNM_ASSERT(FitsOneDsp_A, AWidth <= 18 && BWidth <= 18 && PWidth <= 36, clk_i, 1'b1)
endmodule
