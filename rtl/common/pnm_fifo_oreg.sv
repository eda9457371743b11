// Synchronous FIFO whose output is a register: the ports, fill level and cycle behaviour of
// pnm_fifo (a beat written in cycle t is at the output in t+1; ready_o, valid_o and the flags
// come from flops; a full FIFO takes no push even when it pops), but data_o is a flip-flop
// instead of the storage memory's read port, so the consumer's logic does not start behind a
// (LUT) RAM read (docs/fpga.md, round 23). Storage: the head register plus a pnm_fifo of
// Depth - 1 entries behind it (none at Depth 1). A beat goes into the head when the head is
// free, or leaving with nothing behind it; otherwise into the tail. The head refills from the
// tail when it leaves, so a beat behind the head is never older than the head (order is kept).
`include "pnm_assert.svh"

module pnm_fifo_oreg #(
  parameter int unsigned Width = 32,
  parameter int unsigned Depth = 4,   // any value >= 1 (the head and Depth - 1 behind it)
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
  localparam int unsigned TailDepth = (Depth > 1) ? Depth - 1 : 1;
  localparam int unsigned TailUsageW = $clog2(TailDepth + 1);

  logic             head_q;          // the head register holds a beat
  logic [Width-1:0] head_data_q;
  logic             t_push, t_valid, t_full, t_pop;
  logic [Width-1:0] t_data;
  logic [TailUsageW-1:0] t_usage;
  logic             push, pop, head_from_in;
  logic             unused_t_ready, unused_t_empty;   // the tail's flags follow from t_usage

  assign full_o  = head_q && t_full;
  assign empty_o = !head_q;          // the tail holds beats only behind a full head
  assign usage_o = UsageWidth'(head_q) + UsageWidth'(t_usage);
  assign ready_o = !full_o;
  assign valid_o = head_q;
  assign data_o  = head_data_q;
  assign push    = valid_i && ready_o;
  assign pop     = valid_o && ready_i;

  // The incoming beat takes the head when nothing older will be there next cycle.
  assign head_from_in = push && (!head_q || (pop && !t_valid));
  assign t_push       = push && !head_from_in;
  assign t_pop        = pop && t_valid;

  if (Depth > 1) begin : gen_tail
    pnm_fifo #(
      .Width(Width),
      .Depth(TailDepth)
    ) u_tail (
      .clk_i,
      .rst_ni,
      .flush_i,
      .valid_i (t_push),
      .ready_o (unused_t_ready),
      .data_i,
      .valid_o (t_valid),
      .ready_i (t_pop),
      .data_o  (t_data),
      .usage_o (t_usage),
      .full_o  (t_full),
      .empty_o (unused_t_empty)
    );
  end else begin : gen_no_tail
    // Depth 1: the head alone (one beat every two cycles, as pnm_fifo at Depth 1).
    logic unused_t_in;
    assign unused_t_in    = ^{t_push, t_pop};
    assign unused_t_ready = 1'b0;
    assign unused_t_empty = 1'b1;
    assign t_valid        = 1'b0;
    assign t_full         = 1'b1;
    assign t_data         = '0;
    assign t_usage        = '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      head_q <= 1'b0;
    end else if (flush_i) begin
      head_q <= 1'b0;
    end else if (head_from_in || t_pop) begin
      head_q <= 1'b1;
    end else if (pop) begin
      head_q <= 1'b0;
    end
  end
  // Data without reset (a datapath register; head_q says when it holds a beat).
  always_ff @(posedge clk_i) begin
    if (t_pop) head_data_q <= t_data;
    else if (head_from_in) head_data_q <= data_i;
  end

  `PNM_ASSERT(DepthNonZero_A, Depth >= 1, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(TailBehindHead_A, t_valid && !head_q, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(NoOverflow_A, full_o && push, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(NoUnderflow_A, empty_o && pop, clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(ControlKnown_A, {valid_o, ready_o, usage_o}, clk_i, rst_ni)
  // A flush may withdraw the offered beat; otherwise the output obeys the stream rule.
  `PNM_ASSERT_STREAM_UNLESS(OutStream_A, valid_o, ready_i, data_o, flush_i, clk_i, rst_ni)
endmodule
