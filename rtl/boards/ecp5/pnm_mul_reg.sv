// ECP5 implementation of pnm_mul_reg (the generic one, rtl/common/pnm_mul_reg.sv, says what
// it computes): one MULT18X18D with its input registers (CLK0, enable CE0), pipeline and output
// registers bypassed, and the product registered in the fabric (enable out_en_i), so the cell
// has the generic one's two register stages and the same cycle behaviour. Yosys maps a
// multiplier to MULT18X18D but leaves the flops around it in the fabric, which puts about
// 2.5 ns of routing on each side of the 3.9 ns multiplier inside one clock period. The input
// registers take the routing in front of the multiplier off that path (docs/fpga.md, round
// 21); the product stays a fabric flop, which the placer can put beside the adder tree it
// feeds: with the DSP's own output register instead, the 2.2 ns from the DSP row to that tree
// were on the critical path (round 22: 85.2 -> 89.6 MHz at the same seed). Read only by
// scripts/fpga.sh ecp5, in place of the generic file (it instantiates a vendor primitive,
// which Verilator and the ctest Yosys do not know). The cascade inputs (SRIA, SRIB) stay
// open: they have no route from the fabric.
module pnm_mul_reg #(
  parameter int unsigned AWidth = 18,
  parameter int unsigned BWidth = 18,
  parameter int unsigned PWidth = AWidth + BWidth
) (
  input  logic              clk_i,
  input  logic              in_en_i,
  input  logic [AWidth-1:0] a_i,
  input  logic [BWidth-1:0] b_i,
  input  logic              out_en_i,
  output logic [PWidth-1:0] p_o
);
  logic [17:0] a_x, b_x;
  logic [35:0] p_x;
  // Operands sign-extended to the multiplier's 18 bits (SIGNEDA = SIGNEDB = 1).
  assign a_x = 18'($signed(a_i));
  assign b_x = 18'($signed(b_i));

  MULT18X18D #(
    .REG_INPUTA_CLK("CLK0"), .REG_INPUTA_CE("CE0"), .REG_INPUTA_RST("RST0"),
    .REG_INPUTB_CLK("CLK0"), .REG_INPUTB_CE("CE0"), .REG_INPUTB_RST("RST0"),
    .REG_INPUTC_CLK("NONE"),
    .REG_PIPELINE_CLK("NONE"),
    .REG_OUTPUT_CLK("NONE"),
    .GSR("DISABLED"), .RESETMODE("SYNC"), .MULT_BYPASS("DISABLED"), .SOURCEB_MODE("B_SHIFT")
  ) u_mult (
    .A0(a_x[0]), .A1(a_x[1]), .A2(a_x[2]), .A3(a_x[3]), .A4(a_x[4]), .A5(a_x[5]), .A6(a_x[6]),
    .A7(a_x[7]), .A8(a_x[8]), .A9(a_x[9]), .A10(a_x[10]), .A11(a_x[11]), .A12(a_x[12]),
    .A13(a_x[13]), .A14(a_x[14]), .A15(a_x[15]), .A16(a_x[16]), .A17(a_x[17]),
    .B0(b_x[0]), .B1(b_x[1]), .B2(b_x[2]), .B3(b_x[3]), .B4(b_x[4]), .B5(b_x[5]), .B6(b_x[6]),
    .B7(b_x[7]), .B8(b_x[8]), .B9(b_x[9]), .B10(b_x[10]), .B11(b_x[11]), .B12(b_x[12]),
    .B13(b_x[13]), .B14(b_x[14]), .B15(b_x[15]), .B16(b_x[16]), .B17(b_x[17]),
    .C0(1'b0), .C1(1'b0), .C2(1'b0), .C3(1'b0), .C4(1'b0), .C5(1'b0), .C6(1'b0), .C7(1'b0),
    .C8(1'b0), .C9(1'b0), .C10(1'b0), .C11(1'b0), .C12(1'b0), .C13(1'b0), .C14(1'b0), .C15(1'b0),
    .C16(1'b0), .C17(1'b0),
    .SIGNEDA(1'b1), .SIGNEDB(1'b1), .SOURCEA(1'b0), .SOURCEB(1'b0),
    .CLK0(clk_i), .CE0(in_en_i), .CE1(1'b0), .RST0(1'b0),
    .P0(p_x[0]), .P1(p_x[1]), .P2(p_x[2]), .P3(p_x[3]), .P4(p_x[4]), .P5(p_x[5]), .P6(p_x[6]),
    .P7(p_x[7]), .P8(p_x[8]), .P9(p_x[9]), .P10(p_x[10]), .P11(p_x[11]), .P12(p_x[12]),
    .P13(p_x[13]), .P14(p_x[14]), .P15(p_x[15]), .P16(p_x[16]), .P17(p_x[17]), .P18(p_x[18]),
    .P19(p_x[19]), .P20(p_x[20]), .P21(p_x[21]), .P22(p_x[22]), .P23(p_x[23]), .P24(p_x[24]),
    .P25(p_x[25]), .P26(p_x[26]), .P27(p_x[27]), .P28(p_x[28]), .P29(p_x[29]), .P30(p_x[30]),
    .P31(p_x[31]), .P32(p_x[32]), .P33(p_x[33]), .P34(p_x[34]), .P35(p_x[35])
  );
  always_ff @(posedge clk_i) begin
    if (out_en_i) p_o <= p_x[PWidth-1:0];
  end
endmodule
