// Ring router (DESIGN.md section 4.3): one per node, two independent directions (d = 0
// clockwise, to node + 1; d = 1 counter-clockwise, to node - 1). Per direction:
//   in link -> two VC input buffers (pnm_fifo, VcDepth flits each = the upstream's credits)
//           -> head for this node: ejection port (round-robin over the two VCs)
//           -> head for another node: output arbiter (round-robin over VC0, VC1, injection)
//           -> output register -> out link.
// A flit is granted the output only with a credit for the VC it will take on the next link,
// so no flit is ever dropped; backpressure reaches the injection port through the credits.
// Deadlock freedom (Dally and Towles): flits travel on VC0 and move to VC1 for good when they
// cross the dateline link (node N-1 -> 0 clockwise, node 0 -> N-1 counter-clockwise), which
// breaks the cycle of channel dependencies of each ring.
// Cut-through: a flit that arrives from the link in cycle t is in the output register at t+1
// and on the next link in t+2, so one hop costs 2 cycles plus the link latency.
// Flit layout: {vc, src, dst, payload}. Injection beats are {dst, payload}; ejection beats are
// {src, payload}. Flits are routed only in the direction they were injected in.
`include "pnm_assert.svh"

module ring_router #(
  parameter int unsigned NumNodes  = 4,
  parameter int unsigned FlitBytes = 32,
  parameter int unsigned VcDepth   = 32,   // input buffer per VC, in flits (= credits)
  parameter int unsigned CntWidth  = 48,
  localparam int unsigned NumVc        = ring_pkg::NumVc,
  localparam int unsigned NodeWidth    = (NumNodes > 1) ? $clog2(NumNodes) : 1,
  localparam int unsigned PayloadWidth = FlitBytes * 8,
  localparam int unsigned FlitWidth    = PayloadWidth + 2 * NodeWidth + 1,
  localparam int unsigned PortWidth    = PayloadWidth + NodeWidth   // injection / ejection beat
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  input  logic [NodeWidth-1:0]            node_id_i,

  // Links, direction d in bits [d*...]: flits out and credits back in, flits in and credits out.
  output logic [1:0]                      out_valid_o,
  output logic [2*FlitWidth-1:0]          out_flit_o,
  input  logic [2*NumVc-1:0]              out_credit_i,
  input  logic [1:0]                      in_valid_i,
  input  logic [2*FlitWidth-1:0]          in_flit_i,
  output logic [2*NumVc-1:0]              in_credit_o,

  // Node side, per direction: injection {dst, payload} and ejection {src, payload}.
  input  logic [1:0]                      inj_valid_i,
  output logic [1:0]                      inj_ready_o,
  input  logic [2*PortWidth-1:0]          inj_data_i,
  output logic [1:0]                      ej_valid_o,
  input  logic [1:0]                      ej_ready_i,
  output logic [2*PortWidth-1:0]          ej_data_o,

  // Counters, per direction d: flits sent per VC on the out link ([(d*NumVc+v)*CntWidth]),
  // cycles a flit waited for a credit, flits injected, flits ejected.
  output logic [2*NumVc*CntWidth-1:0]     cnt_link_flits_o,
  output logic [2*CntWidth-1:0]           cnt_credit_stall_o,
  output logic [2*CntWidth-1:0]           cnt_inj_o,
  output logic [2*CntWidth-1:0]           cnt_ej_o,
  output logic                            err_o,     // sticky: credit protocol violated
  // No flit buffered or in an output register, either direction: with no injection the next
  // clock edge changes nothing here (ring_fabric's idle_o).
  output logic                            idle_o
);
  localparam int unsigned DstLsb = PayloadWidth;
  localparam int unsigned SrcLsb = PayloadWidth + NodeWidth;
  localparam int unsigned VcBit  = PayloadWidth + 2 * NodeWidth;
  localparam logic [NodeWidth-1:0] LastNode = NodeWidth'(NumNodes - 1);

  logic [1:0] dir_err, dir_idle;

  for (genvar d = 0; d < 2; d++) begin : gen_dir
    // This direction's out link crosses the dateline.
    logic dateline;
    assign dateline = (d == 0) ? (node_id_i == LastNode) : (node_id_i == '0);

    logic [FlitWidth-1:0] in_flit;
    assign in_flit = in_flit_i[d*FlitWidth +: FlitWidth];

    // ---- input buffers, one per VC --------------------------------------------------------
    logic [NumVc-1:0]           head_valid, head_eject, pop, push, buf_ready;
    logic [NumVc*FlitWidth-1:0] head_flit;
    localparam int unsigned UsageWidth = $clog2(VcDepth + 1);
    logic [NumVc*UsageWidth-1:0] unused_usage;
    logic [NumVc-1:0]            unused_full, unused_empty;
    // The VC bit of a buffered flit is implied by its buffer and is rewritten on the way out.
    logic [NumVc-1:0]            unused_head_vc;
    for (genvar v = 0; v < NumVc; v++) begin : gen_vc
      assign push[v] = in_valid_i[d] && (in_flit[VcBit] == 1'(v));
      pnm_fifo #(.Width(FlitWidth), .Depth(VcDepth)) u_buf (
        .clk_i, .rst_ni, .flush_i(1'b0),
        .valid_i(push[v]), .ready_o(buf_ready[v]), .data_i(in_flit),
        .valid_o(head_valid[v]), .ready_i(pop[v]), .data_o(head_flit[v*FlitWidth +: FlitWidth]),
        .usage_o(unused_usage[v*UsageWidth +: UsageWidth]), .full_o(unused_full[v]),
        .empty_o(unused_empty[v])
      );
      assign unused_head_vc[v] = head_flit[v*FlitWidth + VcBit];
      assign head_eject[v] = head_flit[v*FlitWidth + DstLsb +: NodeWidth] == node_id_i;
      // The upstream router sent this flit with a credit, so the buffer always has room.
      `PNM_ASSERT(PushHasRoom_A, !push[v] || buf_ready[v], clk_i, rst_ni)
    end

    // ---- credits for the out link, one counter per VC of the downstream buffers -----------
    logic [NumVc-1:0] credit_avail, credit_take, credit_err;
    localparam int unsigned CreditWidth = $clog2(VcDepth + 1);
    logic [NumVc*CreditWidth-1:0] unused_credits;
    for (genvar v = 0; v < NumVc; v++) begin : gen_credit
      pnm_credit_counter #(.MaxCredits(VcDepth)) u_credit (
        .clk_i, .rst_ni,
        .take_i(credit_take[v]), .give_i(out_credit_i[d*NumVc + v]),
        .credits_o(unused_credits[v*CreditWidth +: CreditWidth]), .available_o(credit_avail[v]), .error_o(credit_err[v])
      );
    end
    assign dir_err[d] = |credit_err;

    // ---- output arbiter: VC0 through, VC1 through, injection -------------------------------
    localparam int unsigned NumOutIn = NumVc + 1;
    logic [NumOutIn-1:0]           req, arb_ready;
    logic [NumOutIn*FlitWidth-1:0] req_flit;
    logic                          arb_valid;
    logic [FlitWidth-1:0]          arb_flit;
    logic [NumOutIn-1:0]           want;   // would go if it had a credit (for the stall counter)
    for (genvar v = 0; v < NumVc; v++) begin : gen_thru
      logic out_vc;
      assign out_vc = dateline ? 1'b1 : 1'(v);
      assign want[v] = head_valid[v] && !head_eject[v];
      assign req[v]  = want[v] && credit_avail[out_vc];
      assign req_flit[v*FlitWidth +: FlitWidth] =
          {out_vc, head_flit[v*FlitWidth +: FlitWidth-1]};
    end
    logic [PortWidth-1:0] inj;
    assign inj           = inj_data_i[d*PortWidth +: PortWidth];
    assign want[NumVc]   = inj_valid_i[d];
    assign req[NumVc]    = inj_valid_i[d] && credit_avail[dateline];
    assign req_flit[NumVc*FlitWidth +: FlitWidth] = {dateline, node_id_i, inj};
    assign inj_ready_o[d] = req[NumVc] && arb_ready[NumVc];

    logic [$clog2(NumOutIn)-1:0] unused_out_idx;
    logic                        unused_ej_idx;
    // The output register always accepts (credits were checked), so the arbiter never locks.
    pnm_rr_arb #(.NumIn(NumOutIn), .Width(FlitWidth)) u_out_arb (
      .clk_i, .rst_ni,
      .valid_i(req), .ready_o(arb_ready), .data_i(req_flit),
      .valid_o(arb_valid), .ready_i(1'b1), .data_o(arb_flit), .idx_o(unused_out_idx)
    );
    for (genvar v = 0; v < NumVc; v++) begin : gen_take
      assign credit_take[v] = arb_valid && (arb_flit[VcBit] == 1'(v));
    end

    logic                 out_valid_q;
    logic [FlitWidth-1:0] out_flit_q;
    pnm_pipe_reg #(.Width(FlitWidth)) u_out_reg (
      .clk_i, .rst_ni,
      .valid_i(arb_valid),   .data_i(arb_flit),
      .valid_o(out_valid_q), .data_o(out_flit_q)
    );
    assign dir_idle[d]                        = (head_valid == '0) && !out_valid_q;
    assign out_valid_o[d]                     = out_valid_q;
    assign out_flit_o[d*FlitWidth +: FlitWidth] = out_flit_q;

    // ---- ejection: round-robin over the VC heads addressed to this node -------------------
    logic [NumVc-1:0]           ej_req, ej_arb_ready;
    logic [NumVc*PortWidth-1:0] ej_beat;
    for (genvar v = 0; v < NumVc; v++) begin : gen_ej
      assign ej_req[v] = head_valid[v] && head_eject[v];
      assign ej_beat[v*PortWidth +: PortWidth] =
          {head_flit[v*FlitWidth + SrcLsb +: NodeWidth], head_flit[v*FlitWidth +: PayloadWidth]};
      assign pop[v] = (req[v] && arb_ready[v]) || (ej_req[v] && ej_arb_ready[v]);
      assign in_credit_o[d*NumVc + v] = pop[v];
    end
    pnm_rr_arb #(.NumIn(NumVc), .Width(PortWidth)) u_ej_arb (
      .clk_i, .rst_ni,
      .valid_i(ej_req), .ready_o(ej_arb_ready), .data_i(ej_beat),
      .valid_o(ej_valid_o[d]), .ready_i(ej_ready_i[d]),
      .data_o(ej_data_o[d*PortWidth +: PortWidth]), .idx_o(unused_ej_idx)
    );

    // ---- counters ---------------------------------------------------------------------------
    logic [NumVc*CntWidth-1:0] link_q;
    logic [CntWidth-1:0]       stall_q, inj_q, ej_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        link_q  <= '0;
        stall_q <= '0;
        inj_q   <= '0;
        ej_q    <= '0;
      end else begin
        for (int unsigned v = 0; v < NumVc; v++) begin
          if (credit_take[v]) link_q[v*CntWidth +: CntWidth] <= link_q[v*CntWidth +: CntWidth] + 1'b1;
        end
        if (|want && !arb_valid)                  stall_q <= stall_q + 1'b1;
        if (inj_valid_i[d] && inj_ready_o[d])     inj_q   <= inj_q + 1'b1;
        if (ej_valid_o[d] && ej_ready_i[d])       ej_q    <= ej_q + 1'b1;
      end
    end
    assign cnt_link_flits_o[d*NumVc*CntWidth +: NumVc*CntWidth] = link_q;
    assign cnt_credit_stall_o[d*CntWidth +: CntWidth]          = stall_q;
    assign cnt_inj_o[d*CntWidth +: CntWidth]                   = inj_q;
    assign cnt_ej_o[d*CntWidth +: CntWidth]                    = ej_q;

    `PNM_ASSERT(OneHeadLeavesOnce_A, !(pop[0] && !head_valid[0]) && !(pop[1] && !head_valid[1]),
                clk_i, rst_ni)
    `PNM_ASSERT_STREAM(InjStream_A, inj_valid_i[d], inj_ready_o[d], inj, clk_i, rst_ni)
    `PNM_ASSERT_STREAM(EjStream_A, ej_valid_o[d], ej_ready_i[d],
                       ej_data_o[d*PortWidth +: PortWidth], clk_i, rst_ni)
    // Flits never travel back to their source: the source is not a destination of itself.
    `PNM_ASSERT(NoSelfInjection_A, !inj_valid_i[d] || (inj[DstLsb +: NodeWidth] != node_id_i),
                clk_i, rst_ni)
  end

  assign err_o  = |dir_err;
  assign idle_o = &dir_idle;

  `PNM_ASSERT(TwoNodesAtLeast_A, NumNodes >= 2, clk_i, rst_ni)
  `PNM_ASSERT(NodeIdInRange_A, 32'(node_id_i) <= 32'(LastNode), clk_i, rst_ni)
endmodule
