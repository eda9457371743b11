// Test top: NumNodes collective engines on a ring_fabric. Per-node fields sit at 32-bit (or,
// for counters, 64-bit) aligned slots so the C++ test reads them word by word; node n owns slot
// n. ChunkFlits follows the deadlock bound of docs/ring.md: 2 * ChunkFlits < VcDepth.
module ring_coll_top #(
  parameter int unsigned NumNodes    = 4,
  parameter int unsigned FlitBytes   = 32,
  parameter int unsigned VcDepth     = 32,
  parameter int unsigned LinkLatency = 4,
  parameter int unsigned BufFlits    = 8192,
  localparam int unsigned ChunkFlits   = (VcDepth - 1) / 2,
  localparam int unsigned CntWidth     = 64,
  localparam int unsigned NumVc        = ring_pkg::NumVc,
  localparam int unsigned NodeWidth    = (NumNodes > 1) ? $clog2(NumNodes) : 1,
  localparam int unsigned Elems        = FlitBytes / 4,
  localparam int unsigned PayloadWidth = FlitBytes * 8,
  localparam int unsigned PortWidth    = PayloadWidth + NodeWidth,
  localparam int unsigned BufAw        = $clog2(BufFlits),
  localparam int unsigned ElemWidth    = BufAw + 1 + $clog2(Elems),
  localparam int unsigned NumPorts     = 2 * NumNodes
) (
  input  logic                               clk_i,
  input  logic                               rst_ni,

  input  logic [NumNodes-1:0]                cmd_valid_i,
  output logic [NumNodes-1:0]                cmd_ready_o,
  input  logic [NumNodes*32-1:0]             cmd_op_i,
  input  logic [NumNodes*32-1:0]             cmd_len_i,
  input  logic [NumNodes*32-1:0]             cmd_base_i,
  input  logic [NumNodes*32-1:0]             cmd_peer_i,
  output logic [NumNodes-1:0]                done_o,
  output logic [NumNodes-1:0]                err_valid_o,
  output logic [NumNodes*32-1:0]             err_code_o,

  input  logic [NumNodes-1:0]                buf_valid_i,
  output logic [NumNodes-1:0]                buf_ready_o,
  input  logic [NumNodes-1:0]                buf_we_i,
  input  logic [NumNodes*32-1:0]             buf_addr_i,
  input  logic [NumNodes*PayloadWidth-1:0]   buf_wdata_i,
  input  logic [NumNodes*32-1:0]             buf_wmask_i,
  output logic [NumNodes-1:0]                buf_rvalid_o,
  output logic [NumNodes*PayloadWidth-1:0]   buf_rdata_o,

  output logic [NumNodes*CntWidth-1:0]       cnt_ops_o,
  output logic [NumNodes*CntWidth-1:0]       cnt_last_cycles_o,
  output logic [NumNodes*CntWidth-1:0]       cnt_errs_o,
  output logic [NumPorts*CntWidth-1:0]       cnt_src_err_o,
  output logic [NumPorts*CntWidth-1:0]       cnt_out_flits_o,
  output logic [NumPorts*NumVc*CntWidth-1:0] cnt_link_flits_o,
  output logic [NumPorts*CntWidth-1:0]       cnt_credit_stall_o,
  output logic [NumNodes-1:0]                err_o
);
  logic [NumPorts-1:0]           inj_valid, inj_ready, ej_valid, ej_ready;
  logic [NumPorts*PortWidth-1:0] inj_data, ej_data;
  logic [NumPorts*CntWidth-1:0]  unused_inj_cnt, unused_ej_cnt, unused_in_flits;
  logic [NumNodes*CntWidth-1:0]  unused_busy;
  logic [NumNodes-1:0]           unused_hi;   // command bits above each field's width
  logic                          unused_idle; // the ring_net tests check it
  logic [NumNodes*ring_pkg::ErrWidth-1:0] err_code;

  ring_fabric #(
    .NumNodes(NumNodes), .FlitBytes(FlitBytes), .VcDepth(VcDepth), .LinkLatency(LinkLatency),
    .CntWidth(CntWidth)
  ) u_fabric (
    .clk_i, .rst_ni,
    .inj_valid_i(inj_valid), .inj_ready_o(inj_ready), .inj_data_i(inj_data),
    .ej_valid_o(ej_valid), .ej_ready_i(ej_ready), .ej_data_o(ej_data),
    .cnt_link_flits_o, .cnt_credit_stall_o, .cnt_inj_o(unused_inj_cnt), .cnt_ej_o(unused_ej_cnt),
    .err_o, .idle_o(unused_idle)
  );

  for (genvar n = 0; n < NumNodes; n++) begin : gen_node
    assign err_code_o[n*32 +: 32] = 32'(err_code[n*ring_pkg::ErrWidth +: ring_pkg::ErrWidth]);
    assign unused_hi[n] = ^{cmd_op_i[n*32 +: 32] >> ring_pkg::OpWidth,
                                    cmd_len_i[n*32 +: 32] >> ElemWidth,
                                    cmd_base_i[n*32 +: 32] >> BufAw,
                                    cmd_peer_i[n*32 +: 32] >> NodeWidth,
                                    buf_addr_i[n*32 +: 32] >> BufAw,
                                    buf_wmask_i[n*32 +: 32] >> Elems};
    collective_engine #(
      .NumNodes(NumNodes), .FlitBytes(FlitBytes), .BufFlits(BufFlits),
      .ChunkFlits(ChunkFlits), .CntWidth(CntWidth)
    ) u_engine (
      .clk_i, .rst_ni, .node_id_i(NodeWidth'(n)),
      .cmd_valid_i(cmd_valid_i[n]), .cmd_ready_o(cmd_ready_o[n]),
      .cmd_op_i(cmd_op_i[n*32 +: ring_pkg::OpWidth]), .cmd_len_i(cmd_len_i[n*32 +: ElemWidth]),
      .cmd_base_i(cmd_base_i[n*32 +: BufAw]), .cmd_peer_i(cmd_peer_i[n*32 +: NodeWidth]),
      .done_o(done_o[n]), .err_valid_o(err_valid_o[n]), .err_code_o(err_code[n*ring_pkg::ErrWidth +: ring_pkg::ErrWidth]),
      .inj_valid_o(inj_valid[n*2 +: 2]), .inj_ready_i(inj_ready[n*2 +: 2]),
      .inj_data_o(inj_data[n*2*PortWidth +: 2*PortWidth]),
      .ej_valid_i(ej_valid[n*2 +: 2]), .ej_ready_o(ej_ready[n*2 +: 2]),
      .ej_data_i(ej_data[n*2*PortWidth +: 2*PortWidth]),
      .buf_valid_i(buf_valid_i[n]), .buf_ready_o(buf_ready_o[n]), .buf_we_i(buf_we_i[n]),
      .buf_addr_i(buf_addr_i[n*32 +: BufAw]),
      .buf_wdata_i(buf_wdata_i[n*PayloadWidth +: PayloadWidth]),
      .buf_wmask_i(buf_wmask_i[n*32 +: Elems]),
      .buf_rvalid_o(buf_rvalid_o[n]), .buf_rdata_o(buf_rdata_o[n*PayloadWidth +: PayloadWidth]),
      .cnt_ops_o(cnt_ops_o[n*CntWidth +: CntWidth]), .cnt_busy_o(unused_busy[n*CntWidth +: CntWidth]),
      .cnt_last_cycles_o(cnt_last_cycles_o[n*CntWidth +: CntWidth]),
      .cnt_errs_o(cnt_errs_o[n*CntWidth +: CntWidth]),
      .cnt_out_flits_o(cnt_out_flits_o[n*2*CntWidth +: 2*CntWidth]),
      .cnt_in_flits_o(unused_in_flits[n*2*CntWidth +: 2*CntWidth]),
      .cnt_src_err_o(cnt_src_err_o[n*2*CntWidth +: 2*CntWidth])
    );
  end
endmodule
