// Collective engine of a node (DESIGN.md section 4.3): point-to-point send and receive,
// broadcast from a root, all-gather and all-reduce of INT32 vectors held in the node's
// collective buffer, over both ring directions at once. Global flit g of the buffer lives in
// bank g mod 2, and direction g mod 2 carries it, so each direction moves half of every vector.
// The schedules (bidirectional ring reduce-scatter then all-gather, pipelined per flit) are in
// collective_dir; this module checks and starts commands, serves the host port and counts.
//
// Commands (valid/ready, accepted only while idle):
//   op    ring_pkg::RING_OP_*
//   len   elements (> 0); for ALLGATHER the elements each node contributes
//   base  first flit of the vector in the buffer (the same on every node)
//   peer  BROADCAST root; SEND destination; RECV source
// ALLGATHER: node j's segment starts at flit base + j*F, F = ceil(len / elements per flit),
// each segment padded to whole flits (the padding elements are never written). An illegal
// command (err_code_o, ring_pkg::RING_ERR_*) is dropped with an err_valid_o pulse. done_o
// pulses when an accepted command has finished on this node.
// Ring = 0 builds the buffer and its host port only, for a node whose ring ports are tied off
// (the one-node FPGA board): every command is rejected with RING_ERR_NORING at once instead of
// waiting for a ring that is not there, and the directions' sequencers are removed by synthesis.
`include "pnm_assert.svh"

module collective_engine #(
  parameter int unsigned NumNodes   = 4,
  parameter int unsigned FlitBytes  = 32,
  parameter int unsigned BufFlits   = 8192,   // power of two; 8192 x 32 B = 256 KiB
  parameter int unsigned ChunkFlits = 15,     // < VcDepth / 2 of the routers (deadlock bound)
  parameter int unsigned CntWidth   = 48,
  parameter bit          Ring       = 1'b1,   // 0: no ring attached, commands rejected
  localparam int unsigned NodeWidth    = (NumNodes > 1) ? $clog2(NumNodes) : 1,
  localparam int unsigned Elems        = FlitBytes / 4,
  localparam int unsigned LogElems     = $clog2(Elems),
  localparam int unsigned PayloadWidth = FlitBytes * 8,
  localparam int unsigned PortWidth    = PayloadWidth + NodeWidth,
  localparam int unsigned BufAw        = $clog2(BufFlits),
  localparam int unsigned OffWidth     = BufAw + 1,
  localparam int unsigned ElemWidth    = OffWidth + LogElems
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  input  logic [NodeWidth-1:0]         node_id_i,

  input  logic                         cmd_valid_i,
  output logic                         cmd_ready_o,
  input  logic [ring_pkg::OpWidth-1:0] cmd_op_i,
  input  logic [ElemWidth-1:0]         cmd_len_i,
  input  logic [BufAw-1:0]             cmd_base_i,
  input  logic [NodeWidth-1:0]         cmd_peer_i,
  output logic                         done_o,
  output logic                         err_valid_o,
  output logic [ring_pkg::ErrWidth-1:0] err_code_o,

  // Router ports, direction d in bits [d*...].
  output logic [1:0]                   inj_valid_o,
  input  logic [1:0]                   inj_ready_i,
  output logic [2*PortWidth-1:0]       inj_data_o,
  input  logic [1:0]                   ej_valid_i,
  output logic [1:0]                   ej_ready_o,
  input  logic [2*PortWidth-1:0]       ej_data_i,

  // Host access to the buffer while idle: one flit per beat, per-element write mask; read data
  // follows one cycle after an accepted read.
  input  logic                         buf_valid_i,
  output logic                         buf_ready_o,
  input  logic                         buf_we_i,
  input  logic [BufAw-1:0]             buf_addr_i,
  input  logic [PayloadWidth-1:0]      buf_wdata_i,
  input  logic [Elems-1:0]             buf_wmask_i,
  output logic                         buf_rvalid_o,
  output logic [PayloadWidth-1:0]      buf_rdata_o,

  output logic [CntWidth-1:0]          cnt_ops_o,        // commands completed
  output logic [CntWidth-1:0]          cnt_busy_o,       // cycles with a command running
  output logic [CntWidth-1:0]          cnt_last_cycles_o,// accept-to-done cycles of the last one
  output logic [CntWidth-1:0]          cnt_errs_o,       // commands rejected
  output logic [2*CntWidth-1:0]        cnt_out_flits_o,  // per direction
  output logic [2*CntWidth-1:0]        cnt_in_flits_o,
  output logic [2*CntWidth-1:0]        cnt_src_err_o     // flits from an unexpected node
);
  localparam int unsigned BankAw = BufAw - 1;

  // ---- command checks -------------------------------------------------------------------
  logic [OffWidth-1:0]         flits;
  logic [OffWidth+NodeWidth:0] region_end;
  logic                        op_known, is_ag, is_p2p, has_peer;
  logic [ring_pkg::ErrWidth-1:0] check;
  always_comb begin
    flits    = OffWidth'((cmd_len_i + ElemWidth'(Elems - 1)) >> LogElems);
    is_ag    = (cmd_op_i == ring_pkg::RING_OP_ALLGATHER);
    is_p2p   = (cmd_op_i == ring_pkg::RING_OP_SEND) || (cmd_op_i == ring_pkg::RING_OP_RECV);
    has_peer = is_p2p || (cmd_op_i == ring_pkg::RING_OP_BROADCAST);
    op_known = (cmd_op_i >= ring_pkg::RING_OP_ALLREDUCE) && (cmd_op_i <= ring_pkg::RING_OP_RECV);
    // A multiple of the constant NumNodes, selected after the product: a mux in front of the
    // multiplier would make it a general one (a DSP block on the command path on an FPGA).
    region_end = (OffWidth+NodeWidth+1)'(cmd_base_i) +
                 (is_ag ? (OffWidth+NodeWidth+1)'(flits) * (OffWidth+NodeWidth+1)'(NumNodes)
                        : (OffWidth+NodeWidth+1)'(flits));
    if (!Ring)                                                    check = ring_pkg::RING_ERR_NORING;
    else if (!op_known)                                           check = ring_pkg::RING_ERR_OP;
    else if (cmd_len_i == '0)                                     check = ring_pkg::RING_ERR_LEN;
    else if (cmd_len_i > ElemWidth'(BufFlits * Elems) ||
             region_end > (OffWidth+NodeWidth+1)'(BufFlits))      check = ring_pkg::RING_ERR_RANGE;
    else if (has_peer && ((NodeWidth+1)'(cmd_peer_i) >= (NodeWidth+1)'(NumNodes) ||
                          (is_p2p && cmd_peer_i == node_id_i)))   check = ring_pkg::RING_ERR_PEER;
    else                                                          check = ring_pkg::RING_ERR_NONE;
  end

  // ---- command register and state -------------------------------------------------------
  logic                         busy_q, start_q;
  logic [ring_pkg::OpWidth-1:0] op_q;
  logic [ElemWidth-1:0]         len_q;
  logic [BufAw-1:0]             base_q;
  logic [NodeWidth-1:0]         peer_q;
  logic [1:0]                   dir_idle;
  logic                         accept, finish;

  assign cmd_ready_o = !busy_q;
  assign accept      = cmd_valid_i && cmd_ready_o && (check == ring_pkg::RING_ERR_NONE);
  // The directions leave idle the cycle after start and return when done.
  assign finish      = busy_q && !start_q && (&dir_idle);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q  <= 1'b0;
      start_q <= 1'b0;
      op_q    <= '0;
      len_q   <= '0;
      base_q  <= '0;
      peer_q  <= '0;
    end else begin
      start_q <= accept;
      if (accept) begin
        busy_q <= 1'b1;
        op_q   <= cmd_op_i;
        len_q  <= cmd_len_i;
        base_q <= cmd_base_i;
        peer_q <= cmd_peer_i;
      end else if (finish) begin
        busy_q <= 1'b0;
      end
    end
  end
  assign done_o      = finish;
  assign err_valid_o = cmd_valid_i && cmd_ready_o && (check != ring_pkg::RING_ERR_NONE);
  assign err_code_o  = check;

  // ---- host port ------------------------------------------------------------------------
  logic host_fire, rsel_q, rvalid_q;
  logic [2*PayloadWidth-1:0] bank_rdata;
  assign buf_ready_o = !busy_q;
  assign host_fire   = buf_valid_i && buf_ready_o;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rvalid_q <= 1'b0;
      rsel_q   <= 1'b0;
    end else begin
      rvalid_q <= host_fire && !buf_we_i;
      if (host_fire) rsel_q <= buf_addr_i[0];
    end
  end
  assign buf_rvalid_o = rvalid_q;
  assign buf_rdata_o  = bank_rdata[rsel_q*PayloadWidth +: PayloadWidth];

  // ---- the two directions ---------------------------------------------------------------
  for (genvar d = 0; d < 2; d++) begin : gen_dir
    collective_dir #(
      .NumNodes(NumNodes), .FlitBytes(FlitBytes), .BankFlits(BufFlits / 2),
      .ChunkFlits(ChunkFlits), .Dir(d), .CntWidth(CntWidth), .Ring(Ring)
    ) u_dir (
      .clk_i, .rst_ni, .node_id_i,
      .start_i(start_q), .op_i(op_q), .base_i((BankAw+2)'(base_q)),
      .len_i((BankAw+2+LogElems)'(len_q)), .peer_i(peer_q), .idle_o(dir_idle[d]),
      .inj_valid_o(inj_valid_o[d]), .inj_ready_i(inj_ready_i[d]),
      .inj_data_o(inj_data_o[d*PortWidth +: PortWidth]),
      .ej_valid_i(ej_valid_i[d]), .ej_ready_o(ej_ready_o[d]),
      .ej_data_i(ej_data_i[d*PortWidth +: PortWidth]),
      .h_valid_i(host_fire && (buf_addr_i[0] == 1'(d))), .h_we_i(buf_we_i),
      .h_addr_i(buf_addr_i[BufAw-1:1]), .h_wdata_i(buf_wdata_i), .h_wmask_i(buf_wmask_i),
      .h_rdata_o(bank_rdata[d*PayloadWidth +: PayloadWidth]),
      .cnt_out_o(cnt_out_flits_o[d*CntWidth +: CntWidth]),
      .cnt_in_o(cnt_in_flits_o[d*CntWidth +: CntWidth]),
      .cnt_src_err_o(cnt_src_err_o[d*CntWidth +: CntWidth])
    );
  end

  // ---- counters -------------------------------------------------------------------------
  logic [CntWidth-1:0] ops_q, busy_cnt_q, cur_q, last_q, errs_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ops_q      <= '0;
      busy_cnt_q <= '0;
      cur_q      <= '0;
      last_q     <= '0;
      errs_q     <= '0;
    end else begin
      if (busy_q)      busy_cnt_q <= busy_cnt_q + 1'b1;
      if (accept)      cur_q      <= CntWidth'(1);
      else if (busy_q) cur_q      <= cur_q + 1'b1;
      if (finish) begin
        ops_q  <= ops_q + 1'b1;
        last_q <= cur_q;
      end
      if (err_valid_o) errs_q <= errs_q + 1'b1;
    end
  end
  assign cnt_ops_o         = ops_q;
  assign cnt_busy_o        = busy_cnt_q;
  assign cnt_last_cycles_o = last_q;
  assign cnt_errs_o        = errs_q;

  `PNM_ASSERT(BufPow2_A, BufFlits == (1 << BufAw) && BufFlits >= 4, clk_i, rst_ni)
  `PNM_ASSERT(ElemsPow2_A, Elems == (1 << LogElems) && FlitBytes % 4 == 0, clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(ControlKnown_A, {busy_q, done_o, err_valid_o, inj_valid_o, ej_ready_o},
                    clk_i, rst_ni)
endmodule
