// Pipeline register: one stage of a pipeline that never stalls (no ready). The valid bit is
// reset; the data is loaded only with a valid beat, so an idle pipeline holds its data and
// a beat's fields never mix with the next one's. Used for gemv_unit's stage 1 and sp/st/sd
// stages, hbf_ctrl's dw/dx decode stages and ring_router's output registers.
`include "pnm_assert.svh"

module pnm_pipe_reg #(
  parameter int unsigned Width = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             valid_i,
  input  logic [Width-1:0] data_i,
  output logic             valid_o,
  output logic [Width-1:0] data_o
);
  logic             valid_q;
  logic [Width-1:0] data_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= 1'b0;
    else         valid_q <= valid_i;
  end
  always_ff @(posedge clk_i) begin
    if (valid_i) data_q <= data_i;
  end

  assign valid_o = valid_q;
  assign data_o  = data_q;

  `PNM_ASSERT_KNOWN(ValidKnown_A, valid_o, clk_i, rst_ni)
endmodule
