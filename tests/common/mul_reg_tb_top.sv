// Test harness of pnm_mul_reg: the cell has no reset (a datapath cell), the test bench's clock
// and reset helpers expect one; rst_ni is left unused.
module mul_reg_tb_top #(
  parameter int unsigned AWidth = 18,
  parameter int unsigned BWidth = 18,
  parameter int unsigned PWidth = AWidth + BWidth
) (
  input  logic              clk_i,
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic              rst_ni,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic              in_en_i,
  input  logic [AWidth-1:0] a_i,
  input  logic [BWidth-1:0] b_i,
  input  logic              out_en_i,
  output logic [PWidth-1:0] p_o
);
  pnm_mul_reg #(.AWidth(AWidth), .BWidth(BWidth), .PWidth(PWidth)) u_dut (
    .clk_i, .in_en_i, .a_i, .b_i, .out_en_i, .p_o
  );
endmodule
