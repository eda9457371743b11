// One direction of a ring link between two routers (DESIGN.md section 4.3): flits forward and
// credits back, each through a pipeline of Latency registers that models the physical wire or
// SerDes. Flow control is credit-based, so the link itself never stalls: a router sends a flit
// only when it holds a credit for the receiver's buffer, and the receiver returns the credit
// when the flit leaves that buffer. Latency >= 1.
`include "pnm_assert.svh"

module ring_link #(
  parameter int unsigned FlitWidth = 288,  // header + payload bits
  parameter int unsigned NumVc     = 2,
  parameter int unsigned Latency   = 4,
  parameter int unsigned CntWidth  = 48
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  input  logic                 flit_valid_i,
  input  logic [FlitWidth-1:0] flit_i,
  output logic                 flit_valid_o,
  output logic [FlitWidth-1:0] flit_o,

  input  logic [NumVc-1:0]     credit_i,   // from the receiver: one buffer slot freed per VC
  output logic [NumVc-1:0]     credit_o,   // to the sender

  output logic [CntWidth-1:0]  cnt_flits_o,
  output logic                 idle_o      // no flit and no credit in the pipeline
);
  logic [Latency-1:0]           valid_q;
  logic [Latency*FlitWidth-1:0] flit_q;
  logic [Latency*NumVc-1:0]     credit_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q  <= '0;
      credit_q <= '0;
    end else begin
      valid_q[0]            <= flit_valid_i;
      credit_q[0 +: NumVc]  <= credit_i;
      for (int unsigned s = 1; s < Latency; s++) begin
        valid_q[s]                <= valid_q[s-1];
        credit_q[s*NumVc +: NumVc] <= credit_q[(s-1)*NumVc +: NumVc];
      end
    end
  end
  // The payload needs no reset; only flits marked valid are ever used.
  always_ff @(posedge clk_i) begin
    flit_q[0 +: FlitWidth] <= flit_i;
    for (int unsigned s = 1; s < Latency; s++) begin
      flit_q[s*FlitWidth +: FlitWidth] <= flit_q[(s-1)*FlitWidth +: FlitWidth];
    end
  end

  assign flit_valid_o = valid_q[Latency-1];
  assign flit_o       = flit_q[(Latency-1)*FlitWidth +: FlitWidth];
  assign credit_o     = credit_q[(Latency-1)*NumVc +: NumVc];
  assign idle_o       = (valid_q == '0) && (credit_q == '0);

  logic [CntWidth-1:0] cnt_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)           cnt_q <= '0;
    else if (flit_valid_i) cnt_q <= cnt_q + 1'b1;
  end
  assign cnt_flits_o = cnt_q;

  `PNM_ASSERT(LatencyAtLeastOne_A, Latency >= 1, clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(ValidKnown_A, {flit_valid_o, credit_o}, clk_i, rst_ni)
endmodule
