// One direction of the collective engine (DESIGN.md section 4.3): its buffer bank (every
// second flit of the node's collective buffer: bank Dir holds the global flits g with
// g mod 2 == Dir) and three sequencers that stream flits through the ring one flit at a time.
//
// Positions are virtual: p = node for Dir 0 (clockwise, downstream = node + 1) and
// p = (N - node) mod N for Dir 1 (counter-clockwise, downstream = node - 1), so both
// directions run the same schedule. Chunk indices are taken mod N. Per round (see
// collective_round for the chunking):
//   ALLREDUCE  out: chunk p from the bank, then 2N-3 chunks forwarded from the input.
//              in:  j = 0..N-3  chunk p-1-j: add the local flit, forward (reduce-scatter)
//                   j = N-2     chunk p+1:   add, write (now fully reduced), forward
//                   j = N-1..2N-4 chunk p-(j-N+1): write, forward (all-gather)
//                   j = 2N-3    chunk p+2:   write.
//              bank reads: chunks p, p-1, ..., p+1, in that order (first to out, rest to adds).
//   ALLGATHER  out: own segment, then N-2 forwarded; in: segments of p-1, p-2, ... written,
//              all but the last forwarded.
//   BROADCAST  root: out from the bank; others: write, and forward unless the last in the chain.
//   SEND       out from the bank to the peer (routed over several hops); RECV: write.
// The input stage adds and writes in the cycle it accepts a flit and queues the forwarded flit
// in fwd_fifo; the output stage sends, per round, the bank flits first and then exactly the
// forwarded flits of that round. A round's chunk never exceeds ChunkFlits, which keeps the
// flits buffered around the ring below the VC buffers' capacity (no deadlock, see docs/ring.md).
// Writes of the last flit are masked per element, so the buffer past the vector is untouched.
`include "pnm_assert.svh"

module collective_dir #(
  parameter int unsigned NumNodes   = 4,
  parameter int unsigned FlitBytes  = 32,
  parameter int unsigned BankFlits  = 4096,   // power of two
  parameter int unsigned ChunkFlits = 15,
  parameter int unsigned Dir        = 0,
  parameter int unsigned CntWidth   = 48,
  parameter bit          Ring       = 1'b1,   // 0: never leaves idle (bank and host port only)
  localparam int unsigned NodeWidth    = (NumNodes > 1) ? $clog2(NumNodes) : 1,
  localparam int unsigned Elems        = FlitBytes / 4,
  localparam int unsigned LogElems     = $clog2(Elems),
  localparam int unsigned PayloadWidth = FlitBytes * 8,
  localparam int unsigned PortWidth    = PayloadWidth + NodeWidth,
  localparam int unsigned BankAw       = $clog2(BankFlits),
  localparam int unsigned OffWidth     = BankAw + 2,          // offsets and counts, no wrap
  localparam int unsigned ElemWidth    = OffWidth + LogElems
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  input  logic [NodeWidth-1:0]         node_id_i,

  // Operation: start pulses once; the fields stay stable until idle_o rises again.
  input  logic                         start_i,
  input  logic [ring_pkg::OpWidth-1:0] op_i,
  input  logic [OffWidth-1:0]          base_i,    // first global flit
  input  logic [ElemWidth-1:0]         len_i,     // elements (per node for ALLGATHER)
  input  logic [NodeWidth-1:0]         peer_i,    // root, destination or source
  output logic                         idle_o,

  // Router ports of this direction.
  output logic                         inj_valid_o,
  input  logic                         inj_ready_i,
  output logic [PortWidth-1:0]         inj_data_o,   // {dst, payload}
  input  logic                         ej_valid_i,
  output logic                         ej_ready_o,
  input  logic [PortWidth-1:0]         ej_data_i,    // {src, payload}

  // Bank access for the host, only while idle (one-cycle read latency).
  input  logic                         h_valid_i,
  input  logic                         h_we_i,
  input  logic [BankAw-1:0]            h_addr_i,
  input  logic [PayloadWidth-1:0]      h_wdata_i,
  input  logic [Elems-1:0]             h_wmask_i,
  output logic [PayloadWidth-1:0]      h_rdata_o,

  output logic [CntWidth-1:0]          cnt_out_o,     // flits injected
  output logic [CntWidth-1:0]          cnt_in_o,      // flits consumed
  output logic [CntWidth-1:0]          cnt_src_err_o  // flits from an unexpected source
);
  localparam logic [NodeWidth-1:0] LastNode = NodeWidth'(NumNodes - 1);
  localparam logic [NodeWidth-1:0] NumNodesN = NodeWidth'(NumNodes % (1 << NodeWidth));
  localparam int unsigned LfDepth = 4;   // local (bank) flits read ahead
  localparam int unsigned FwdDepth = 2;

  // ---- helpers: arithmetic mod N on node ids -------------------------------------------------
  function automatic logic [NodeWidth-1:0] sub_mod(input logic [NodeWidth-1:0] a,
                                                   input logic [NodeWidth:0] b);
    logic [NodeWidth:0] a1;
    a1 = {1'b0, a};
    sub_mod = NodeWidth'((a1 >= b) ? (a1 - b) : (a1 + (NodeWidth+1)'(NumNodes) - b));
  endfunction
  // Virtual position <-> real node id (the same mapping both ways).
  function automatic logic [NodeWidth-1:0] virt(input logic [NodeWidth-1:0] x);
    if (Dir == 0 || x == '0) virt = x;
    else                     virt = NodeWidth'((NodeWidth+1)'(NumNodes) - {1'b0, x});
  endfunction

  // ---- operation set-up: one cycle after start --------------------------------------------
  typedef enum logic [1:0] {DIR_IDLE, DIR_SETUP, DIR_RUN} dir_state_e;
  dir_state_e state_q, state_d;

  logic                 is_ar, is_ag, is_bc, is_send, is_recv;
  assign is_ar   = (op_i == ring_pkg::RING_OP_ALLREDUCE);
  assign is_ag   = (op_i == ring_pkg::RING_OP_ALLGATHER);
  assign is_bc   = (op_i == ring_pkg::RING_OP_BROADCAST);
  assign is_send = (op_i == ring_pkg::RING_OP_SEND);
  assign is_recv = (op_i == ring_pkg::RING_OP_RECV);

  logic [NodeWidth-1:0] p_q, dst_q, src_q;
  logic [OffWidth-1:0]  flits_q, lo_q, total_q;
  logic [NodeWidth:0]   rd_nseg_q, in_nseg_q;    // segments per round
  logic                 has_local_q;
  logic [NodeWidth:0]   fwd_mul_q;               // forwarded chunks per round
  logic [OffWidth-1:0]  flits_d, lo_d, hi_d, total_d;
  logic [NodeWidth-1:0] dist_d, p_d, down_d, up_d;

  always_comb begin
    flits_d = OffWidth'((len_i + ElemWidth'(Elems - 1)) >> LogElems);
    lo_d    = OffWidth'((base_i + OffWidth'(1 - Dir)) >> 1);
    hi_d    = OffWidth'((base_i + flits_d + OffWidth'(1 - Dir)) >> 1);
    total_d = is_ag ? OffWidth'((flits_d + 1'b1) >> 1) : (hi_d - lo_d);
    p_d     = virt(node_id_i);
    dist_d  = sub_mod(p_d, {1'b0, virt(peer_i)});   // hops from the root (BROADCAST)
    down_d  = virt((p_d == LastNode) ? '0 : p_d + 1'b1);
    up_d    = virt((p_d == '0) ? LastNode : p_d - 1'b1);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= DIR_IDLE;
      p_q         <= '0;
      dst_q       <= '0;
      src_q       <= '0;
      flits_q     <= '0;
      lo_q        <= '0;
      total_q     <= '0;
      rd_nseg_q   <= '0;
      in_nseg_q   <= '0;
      has_local_q <= 1'b0;
      fwd_mul_q   <= '0;
    end else begin
      state_q <= state_d;
      if (state_q == DIR_SETUP) begin
        p_q       <= p_d;
        dst_q     <= is_send ? peer_i : down_d;
        src_q     <= is_recv ? peer_i : up_d;
        flits_q   <= flits_d;
        lo_q      <= lo_d;
        total_q   <= total_d;
        // An operation with an empty share (a vector of one flit has none in bank 1) does nothing.
        has_local_q <= (total_d != '0) &&
                       (is_ar || is_ag || is_send || (is_bc && dist_d == '0));
        rd_nseg_q <= (total_d == '0) ? '0 :
                     is_ar ? (NodeWidth+1)'(NumNodes) :
                     (is_ag || is_send || (is_bc && dist_d == '0)) ? (NodeWidth+1)'(1) : '0;
        in_nseg_q <= (total_d == '0) ? '0 :
                     is_ar ? (NodeWidth+1)'(2 * NumNodes - 2) :
                     is_ag ? (NodeWidth+1)'(NumNodes - 1) :
                     (is_recv || (is_bc && dist_d != '0)) ? (NodeWidth+1)'(1) : '0;
        fwd_mul_q <= (total_d == '0) ? '0 :
                     is_ar ? (NodeWidth+1)'(2 * NumNodes - 3) :
                     is_ag ? (NodeWidth+1)'(NumNodes - 2) :
                     (is_bc && dist_d != '0 && dist_d != LastNode) ? (NodeWidth+1)'(1) : '0;
      end
    end
  end

  // ---- the bank -------------------------------------------------------------------------
  logic [PayloadWidth-1:0] mem_q [BankFlits];
  logic                    mem_we, mem_re;
  logic [BankAw-1:0]       mem_waddr, mem_raddr;
  logic [PayloadWidth-1:0] mem_wdata, mem_rdata_q;
  logic [Elems-1:0]        mem_wmask;
  always_ff @(posedge clk_i) begin
    if (mem_we) begin
      for (int unsigned e = 0; e < Elems; e++) begin
        if (mem_wmask[e]) mem_q[mem_waddr][e*32 +: 32] <= mem_wdata[e*32 +: 32];
      end
    end
    if (mem_re) mem_rdata_q <= mem_q[mem_raddr];
  end
  assign h_rdata_o = mem_rdata_q;

  // ---- read sequencer: bank flits in schedule order into the local FIFO ----------------
  logic [OffWidth-1:0]  rd_done_q, rd_k_q, rd_q, rd_step, rd_addr;
  logic [NodeWidth:0]   rd_seg_q;
  logic [NodeWidth-1:0] rd_chunk;
  logic [ElemWidth-1:0] unused_rd_hi;
  logic                 rd_active, rd_issue, rd_pending_q, rd_tag_q;
  logic                 lf_valid, lf_ready, lf_pop;
  logic [PayloadWidth:0] lf_head;
  logic [$clog2(LfDepth+1)-1:0] lf_usage;

  assign rd_chunk = sub_mod(p_q, rd_seg_q);
  collective_round #(.NumNodes(NumNodes), .ChunkFlits(ChunkFlits), .Dir(Dir),
                     .OffWidth(OffWidth), .ElemWidth(ElemWidth), .LogElems(LogElems)) u_rd_round (
    .op_i, .base_i, .flits_i(flits_q), .len_i, .lo_i(lo_q), .total_i(total_q),
    .done_i(rd_done_q), .chunk_i(is_ag ? virt(rd_chunk) : rd_chunk),
    .q_o(rd_q), .step_o(rd_step), .addr_o(rd_addr), .hi_elem_o(unused_rd_hi)
  );
  assign rd_active = (state_q == DIR_RUN) && (rd_nseg_q != '0) && (rd_done_q < total_q);
  // Issue only with room for the read in flight.
  localparam int unsigned LfUsageWidth = $clog2(LfDepth + 1);
  assign rd_issue  = rd_active &&
                     ((LfUsageWidth+1)'(lf_usage) + (LfUsageWidth+1)'(rd_pending_q) <
                      (LfUsageWidth+1)'(LfDepth));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_done_q    <= '0;
      rd_seg_q     <= '0;
      rd_k_q       <= '0;
      rd_pending_q <= 1'b0;
      rd_tag_q     <= 1'b0;
    end else begin
      rd_pending_q <= rd_issue;
      if (rd_issue) rd_tag_q <= (rd_seg_q == '0);
      if (state_q == DIR_SETUP) begin
        rd_done_q <= '0;
        rd_seg_q  <= '0;
        rd_k_q    <= '0;
      end else if (rd_issue) begin
        if (rd_k_q + 1'b1 < rd_q) begin
          rd_k_q <= rd_k_q + 1'b1;
        end else begin
          rd_k_q <= '0;
          if (rd_seg_q + 1'b1 < rd_nseg_q) begin
            rd_seg_q <= rd_seg_q + 1'b1;
          end else begin
            rd_seg_q  <= '0;
            rd_done_q <= rd_done_q + rd_step;
          end
        end
      end
    end
  end

  // Local flits: {to_out, payload}; to_out marks the chunk the output sends from the bank.
  logic unused_lf_ready, unused_lf_full, unused_lf_empty;
  pnm_fifo #(.Width(PayloadWidth + 1), .Depth(LfDepth)) u_local_fifo (
    .clk_i, .rst_ni, .flush_i(1'b0),
    .valid_i(rd_pending_q), .ready_o(unused_lf_ready), .data_i({rd_tag_q, mem_rdata_q}),
    .valid_o(lf_valid), .ready_i(lf_pop), .data_o(lf_head),
    .usage_o(lf_usage), .full_o(unused_lf_full), .empty_o(unused_lf_empty)
  );
  assign lf_ready = unused_lf_ready;

  // ---- input stage ----------------------------------------------------------------------
  logic [OffWidth-1:0]  in_done_q, in_k_q, in_q, in_step, in_addr;
  logic [NodeWidth:0]   in_seg_q;
  logic [NodeWidth-1:0] in_chunk;
  logic [ElemWidth-1:0] in_hi;
  logic                 in_active, in_add, in_write, in_fwd, in_go;
  logic                 fwd_ready, fwd_valid, fwd_pop;
  logic [PayloadWidth-1:0] in_sum, fwd_head;
  logic [OffWidth-1:0]  in_m;
  logic [OffWidth:0]    in_g;
  localparam int unsigned SegW = NodeWidth + 3;  // segment arithmetic without overflow
  logic [ElemWidth:0]   in_e0;

  always_comb begin
    if (is_ar) begin
      // reduce-scatter chunks p-1, p-2, ...; then all-gather chunks p, p-1, ...
      in_chunk = (SegW'(in_seg_q) + SegW'(2) <= SegW'(NumNodes))
               ? sub_mod(p_q, in_seg_q + 1'b1)
               : sub_mod(p_q, in_seg_q + 1'b1 - (NodeWidth+1)'(NumNodes));
      in_add   = (SegW'(in_seg_q) + SegW'(2) <= SegW'(NumNodes));
      in_write = (SegW'(in_seg_q) + SegW'(2) >= SegW'(NumNodes));
      in_fwd   = (SegW'(in_seg_q) + SegW'(4) <= SegW'(2 * NumNodes));
    end else if (is_ag) begin
      in_chunk = sub_mod(p_q, in_seg_q + 1'b1);
      in_add   = 1'b0;
      in_write = 1'b1;
      in_fwd   = (SegW'(in_seg_q) + SegW'(3) <= SegW'(NumNodes));
    end else begin
      in_chunk = p_q;
      in_add   = 1'b0;
      in_write = 1'b1;
      in_fwd   = (fwd_mul_q != '0);
    end
  end

  collective_round #(.NumNodes(NumNodes), .ChunkFlits(ChunkFlits), .Dir(Dir),
                     .OffWidth(OffWidth), .ElemWidth(ElemWidth), .LogElems(LogElems)) u_in_round (
    .op_i, .base_i, .flits_i(flits_q), .len_i, .lo_i(lo_q), .total_i(total_q),
    .done_i(in_done_q), .chunk_i(is_ag ? virt(in_chunk) : in_chunk),
    .q_o(in_q), .step_o(in_step), .addr_o(in_addr), .hi_elem_o(in_hi)
  );

  assign in_active  = (state_q == DIR_RUN) && (in_nseg_q != '0) && (in_done_q < total_q);
  assign in_go      = in_active && ej_valid_i && (!in_add || (lf_valid && !lf_head[PayloadWidth]))
                   && (!in_fwd || fwd_ready);
  assign ej_ready_o = in_go;

  // Element-wise INT32 sum, wrapping (DESIGN.md section 3).
  always_comb begin
    for (int unsigned e = 0; e < Elems; e++) begin
      in_sum[e*32 +: 32] = in_add ? (ej_data_i[e*32 +: 32] + lf_head[e*32 +: 32])
                                  : ej_data_i[e*32 +: 32];
    end
  end

  // Global flit of this input and its element mask.
  assign in_m  = in_addr + in_k_q;
  assign in_g  = {in_m, 1'(Dir)};
  assign in_e0 = {in_g, LogElems'(0)};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      in_done_q <= '0;
      in_seg_q  <= '0;
      in_k_q    <= '0;
    end else if (state_q == DIR_SETUP) begin
      in_done_q <= '0;
      in_seg_q  <= '0;
      in_k_q    <= '0;
    end else if (in_go) begin
      if (in_k_q + 1'b1 < in_q) begin
        in_k_q <= in_k_q + 1'b1;
      end else begin
        in_k_q <= '0;
        if (in_seg_q + 1'b1 < in_nseg_q) begin
          in_seg_q <= in_seg_q + 1'b1;
        end else begin
          in_seg_q  <= '0;
          in_done_q <= in_done_q + in_step;
        end
      end
    end
  end

  logic [$clog2(FwdDepth+1)-1:0] unused_fwd_usage;
  logic                          unused_fwd_full, unused_fwd_empty;
  pnm_fifo #(.Width(PayloadWidth), .Depth(FwdDepth)) u_fwd_fifo (
    .clk_i, .rst_ni, .flush_i(1'b0),
    .valid_i(in_go && in_fwd), .ready_o(fwd_ready), .data_i(in_sum),
    .valid_o(fwd_valid), .ready_i(fwd_pop), .data_o(fwd_head),
    .usage_o(unused_fwd_usage), .full_o(unused_fwd_full), .empty_o(unused_fwd_empty)
  );

  // ---- output stage -----------------------------------------------------------------------
  logic [OffWidth-1:0]  out_done_q, out_q, out_step, unused_out_addr;
  logic [ElemWidth-1:0] unused_out_hi;
  logic [OffWidth+NodeWidth:0] out_k_q, out_local_n, out_round_n;
  logic                 out_active, out_from_local, out_fire;

  collective_round #(.NumNodes(NumNodes), .ChunkFlits(ChunkFlits), .Dir(Dir),
                     .OffWidth(OffWidth), .ElemWidth(ElemWidth), .LogElems(LogElems)) u_out_round (
    .op_i, .base_i, .flits_i(flits_q), .len_i, .lo_i(lo_q), .total_i(total_q),
    .done_i(out_done_q), .chunk_i(p_q),
    .q_o(out_q), .step_o(out_step), .addr_o(unused_out_addr), .hi_elem_o(unused_out_hi)
  );
  assign out_local_n = has_local_q ? (OffWidth+NodeWidth+1)'(out_q) : '0;
  assign out_round_n = out_local_n + (OffWidth+NodeWidth+1)'(out_q) * fwd_mul_q;
  assign out_active  = (state_q == DIR_RUN) && (out_round_n != '0) && (out_done_q < total_q);
  assign out_from_local = (out_k_q < out_local_n);

  assign inj_valid_o = out_active && (out_from_local ? (lf_valid && lf_head[PayloadWidth])
                                                     : fwd_valid);
  assign inj_data_o  = {dst_q, out_from_local ? lf_head[PayloadWidth-1:0] : fwd_head};
  assign out_fire    = inj_valid_o && inj_ready_i;
  assign fwd_pop     = out_fire && !out_from_local;
  assign lf_pop      = (out_fire && out_from_local) || (in_go && in_add);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_done_q <= '0;
      out_k_q    <= '0;
    end else if (state_q == DIR_SETUP) begin
      out_done_q <= '0;
      out_k_q    <= '0;
    end else if (out_fire) begin
      if (out_k_q + 1'b1 < out_round_n) begin
        out_k_q <= out_k_q + 1'b1;
      end else begin
        out_k_q    <= '0;
        out_done_q <= out_done_q + out_step;
      end
    end
  end

  // ---- bank ports: the input stage writes, the read sequencer reads; the host when idle --
  // Outside DIR_RUN the bank's address, data and mask are the host's whether or not the host
  // asks, and the read register loads every cycle: only the write enable waits for h_valid_i,
  // so the host's request decode is not in front of the (LUT) RAM read (docs/fpga.md, round
  // 23). h_rdata_o is read only the cycle after a host read.
  assign idle_o = (state_q == DIR_IDLE);
  always_comb begin
    if (state_q == DIR_RUN) begin
      mem_we    = in_go && in_write;
      mem_re    = rd_issue;
      mem_waddr = in_m[BankAw-1:0];
      mem_raddr = BankAw'(rd_addr + rd_k_q);
      mem_wdata = in_sum;
      for (int unsigned e = 0; e < Elems; e++) begin
        mem_wmask[e] = ((ElemWidth+1)'(in_e0) + (ElemWidth+1)'(e)) < {1'b0, in_hi};
      end
    end else begin
      mem_we    = h_valid_i && h_we_i;
      mem_re    = 1'b1;
      mem_waddr = h_addr_i;
      mem_raddr = h_addr_i;
      mem_wdata = h_wdata_i;
      mem_wmask = h_wmask_i;
    end
  end

  // ---- state ----------------------------------------------------------------------------
  logic finished;
  assign finished = !rd_active && !in_active && !out_active && !rd_pending_q && !lf_valid &&
                    !fwd_valid;
  always_comb begin
    state_d = state_q;
    unique case (state_q)
      DIR_IDLE:  if (start_i && Ring) state_d = DIR_SETUP;
      DIR_SETUP: state_d = DIR_RUN;
      DIR_RUN:   if (finished) state_d = DIR_IDLE;
      default:   state_d = DIR_IDLE;
    endcase
  end

  // ---- counters -------------------------------------------------------------------------
  logic [CntWidth-1:0] cnt_out_q, cnt_in_q, cnt_src_err_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_out_q     <= '0;
      cnt_in_q      <= '0;
      cnt_src_err_q <= '0;
    end else begin
      if (out_fire) cnt_out_q <= cnt_out_q + 1'b1;
      if (in_go)    cnt_in_q  <= cnt_in_q + 1'b1;
      if (in_go && ej_data_i[PayloadWidth +: NodeWidth] != src_q) cnt_src_err_q <= cnt_src_err_q + 1'b1;
    end
  end
  assign cnt_out_o     = cnt_out_q;
  assign cnt_in_o      = cnt_in_q;
  assign cnt_src_err_o = cnt_src_err_q;

  logic unused_n;
  assign unused_n = ^NumNodesN;

  `PNM_ASSERT(BankPow2_A, BankFlits == (1 << BankAw), clk_i, rst_ni)
  `PNM_ASSERT(TwoNodesAtLeast_A, NumNodes >= 2, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(LocalFifoOverflow_A, rd_pending_q && !lf_ready, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(StartWhileBusy_A, start_i && state_q != DIR_IDLE, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(HostWhileBusy_A, h_valid_i && state_q != DIR_IDLE, clk_i, rst_ni)
  // The local FIFO head always belongs to the stage that is waiting for it (schedule order).
  `PNM_ASSERT_NEVER(AddGetsOutFlit_A, in_active && in_add && ej_valid_i && lf_valid &&
                    lf_head[PayloadWidth] && !out_active, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(SourceMismatch_A, in_go && ej_data_i[PayloadWidth +: NodeWidth] != src_q,
                    clk_i, rst_ni)
  `PNM_ASSERT_STREAM(InjStream_A, inj_valid_o, inj_ready_i, inj_data_o, clk_i, rst_ni)
endmodule
