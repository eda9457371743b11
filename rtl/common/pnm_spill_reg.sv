// Spill (skid) register: a two-entry buffer that cuts every combinational path between its
// two sides (valid/data forward and ready backward), at full throughput. Same idea as
// PULP common_cells spill_register: slot A is the output, slot B catches the beat that was in
// flight when the consumer stalled.
`include "pnm_assert.svh"

module pnm_spill_reg #(
  parameter int unsigned Width = 32
) (
  input  logic             clk_i,
  input  logic             rst_ni,

  input  logic             valid_i,
  output logic             ready_o,
  input  logic [Width-1:0] data_i,

  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o
);
  logic a_full_q, a_full_d, b_full_q, b_full_d;
  logic [Width-1:0] a_data_q, b_data_q;
  logic push, pop, a_from_b, a_from_in, b_from_in;

  // ready_o depends only on flops: accept while slot B is free.
  assign ready_o = !b_full_q;
  assign valid_o = a_full_q;
  assign data_o  = a_data_q;
  assign push    = valid_i && ready_o;
  assign pop     = valid_o && ready_i;

  // B refills A first, so order is kept; then the incoming beat takes the free slot. (B is
  // full only when A is, and a full B means no push.)
  assign a_from_b  = pop && b_full_q;
  assign a_from_in = push && (pop || !a_full_q);
  assign b_from_in = push && a_full_q && !pop;
  always_comb begin
    a_full_d = a_full_q;
    b_full_d = b_full_q;
    if (pop) begin
      a_full_d = b_full_q;
      b_full_d = 1'b0;
    end
    if (a_from_in) a_full_d = 1'b1;
    if (b_from_in) b_full_d = 1'b1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      a_full_q <= 1'b0;
      b_full_q <= 1'b0;
    end else begin
      a_full_q <= a_full_d;
      b_full_q <= b_full_d;
    end
  end

  // The data registers load only when a beat moves into them: clock enables on an FPGA, and
  // no copy of the data in a Verilated model while the register is idle or stalled.
  always_ff @(posedge clk_i) begin
    if (a_from_b)       a_data_q <= b_data_q;
    else if (a_from_in) a_data_q <= data_i;
    if (b_from_in)      b_data_q <= data_i;
  end

  // B only holds a beat when A does: the output never shows an empty slot ahead of a full one.
  `PNM_ASSERT_NEVER(BWithoutA_A, b_full_q && !a_full_q, clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(ControlKnown_A, {valid_o, ready_o}, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(OutStream_A, valid_o, ready_i, data_o, clk_i, rst_ni)
endmodule
