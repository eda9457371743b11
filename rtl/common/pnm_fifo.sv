// Synchronous FIFO with valid/ready on both sides. A push into a full FIFO waits even when a pop
// happens in the same cycle (ready_o depends on flops only), so Depth 1 passes a beat every
// other cycle and Depth >= 2 sustains one per cycle. Depth may be any value >= 1 (pointers wrap
// explicitly). Not fall-through: a beat written in cycle t is visible at the output in t+1.
// Storage is a plain vector memory so Yosys can map it to RAM.
`include "pnm_assert.svh"

module pnm_fifo #(
  parameter int unsigned Width = 32,
  parameter int unsigned Depth = 4,
  // Width of the fill-level output; holds 0..Depth.
  localparam int unsigned UsageWidth = $clog2(Depth + 1)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  flush_i,   // drop every stored beat (synchronous)

  input  logic                  valid_i,
  output logic                  ready_o,
  input  logic [Width-1:0]      data_i,

  output logic                  valid_o,
  input  logic                  ready_i,
  output logic [Width-1:0]      data_o,

  output logic [UsageWidth-1:0] usage_o,
  output logic                  full_o,
  output logic                  empty_o
);
  localparam int unsigned PtrWidth = (Depth > 1) ? $clog2(Depth) : 1;
  localparam logic [PtrWidth-1:0] LastPtr = PtrWidth'(Depth - 1);
  localparam logic [UsageWidth-1:0] DepthCount = UsageWidth'(Depth);

  logic [Width-1:0]      mem_q [Depth];
  logic [PtrWidth-1:0]   wr_ptr_q, wr_ptr_d, rd_ptr_q, rd_ptr_d;
  logic [UsageWidth-1:0] usage_q, usage_d;
  logic                  push, pop;

  assign full_o  = (usage_q == DepthCount);
  assign empty_o = (usage_q == '0);
  assign usage_o = usage_q;
  assign ready_o = !full_o;
  assign valid_o = !empty_o;
  assign data_o  = mem_q[rd_ptr_q];
  assign push    = valid_i && ready_o;
  assign pop     = valid_o && ready_i;

  always_comb begin
    wr_ptr_d = wr_ptr_q;
    rd_ptr_d = rd_ptr_q;
    usage_d  = usage_q;
    if (push) wr_ptr_d = (wr_ptr_q == LastPtr) ? '0 : wr_ptr_q + 1'b1;
    if (pop)  rd_ptr_d = (rd_ptr_q == LastPtr) ? '0 : rd_ptr_q + 1'b1;
    if (push && !pop) usage_d = usage_q + 1'b1;
    if (pop && !push) usage_d = usage_q - 1'b1;
    if (flush_i) begin
      wr_ptr_d = '0;
      rd_ptr_d = '0;
      usage_d  = '0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_ptr_q <= '0;
      rd_ptr_q <= '0;
      usage_q  <= '0;
    end else begin
      wr_ptr_q <= wr_ptr_d;
      rd_ptr_q <= rd_ptr_d;
      usage_q  <= usage_d;
    end
  end

  // Memory without reset so it maps to RAM; only written entries are ever read.
  always_ff @(posedge clk_i) begin
    if (push && !flush_i) mem_q[wr_ptr_q] <= data_i;
  end

  `PNM_ASSERT(DepthNonZero_A, Depth >= 1, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(NoOverflow_A, full_o && push, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(NoUnderflow_A, empty_o && pop, clk_i, rst_ni)
  `PNM_ASSERT(UsageInRange_A, 32'(usage_q) <= 32'(DepthCount), clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(ControlKnown_A, {valid_o, ready_o, usage_o}, clk_i, rst_ni)
  // A flush may withdraw the offered beat; otherwise the output obeys the stream rule.
  `PNM_ASSERT_STREAM_UNLESS(OutStream_A, valid_o, ready_i, data_o, flush_i, clk_i, rst_ni)
endmodule
