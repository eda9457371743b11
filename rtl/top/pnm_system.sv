// The simulation top of DESIGN.md section 4.6: NumNodes pnm_node instances on one ring_fabric.
// Every node's AXI4 host port and flash channels are brought out, flattened: node n owns
// AXI bits [n*W +: W] of each signal and flash channels [n*Channels +: Channels].
module pnm_system #(
  parameter int unsigned NumNodes     = 4,
  parameter int unsigned Channels     = 8,
  parameter int unsigned Dies         = 4,
  parameter int unsigned Planes       = 2,
  parameter int unsigned Blocks       = 2048,
  parameter int unsigned Pages        = 256,
  parameter int unsigned PageBytes    = 4096,
  parameter int unsigned ChBytes      = 8,
  parameter int unsigned Outstanding  = 8,
  parameter int unsigned RobPages     = 64,
  parameter int unsigned RemapEntries = 16,
  parameter int unsigned LaneBytes    = 64,
  parameter int unsigned MaxBatch     = 4,
  parameter int unsigned MaxK         = 32768,
  parameter int unsigned RqEntries    = 256,
  parameter int unsigned FlitBytes    = 32,
  parameter int unsigned BufFlits     = 8192,
  parameter int unsigned VcDepth      = 32,
  parameter int unsigned LinkLatency  = 4,
  parameter int unsigned CmdDepth     = 64,
  localparam int unsigned N          = NumNodes,
  localparam int unsigned C          = NumNodes * Channels,
  localparam int unsigned NodeWidth  = (NumNodes > 1) ? $clog2(NumNodes) : 1,
  localparam int unsigned PortWidth  = FlitBytes * 8 + NodeWidth,
  localparam int unsigned DieW       = (Dies > 1) ? $clog2(Dies) : 1,
  localparam int unsigned PlaneW     = (Planes > 1) ? $clog2(Planes) : 1,
  localparam int unsigned BlockW     = (Blocks > 1) ? $clog2(Blocks) : 1,
  localparam int unsigned PageW      = (Pages > 1) ? $clog2(Pages) : 1,
  localparam int unsigned SlotW      = ((RobPages / Channels) > 1) ? $clog2(RobPages / Channels) : 1,
  localparam int unsigned AW         = 24,
  localparam int unsigned IW         = 4
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  output logic [N-1:0]           irq_o,
  // event ports of the nodes (docs/registers.md), node n at [n*EVT_COUNT +: EVT_COUNT]
  output logic [N*pnm_csr_pkg::EVT_COUNT-1:0] evt_o,

  input  logic [N*IW-1:0]        s_awid_i,
  input  logic [N*AW-1:0]        s_awaddr_i,
  input  logic [N*8-1:0]         s_awlen_i,
  input  logic [N*3-1:0]         s_awsize_i,
  input  logic [N*2-1:0]         s_awburst_i,
  input  logic [N-1:0]           s_awvalid_i,
  output logic [N-1:0]           s_awready_o,
  input  logic [N*64-1:0]        s_wdata_i,
  input  logic [N*8-1:0]         s_wstrb_i,
  input  logic [N-1:0]           s_wlast_i,
  input  logic [N-1:0]           s_wvalid_i,
  output logic [N-1:0]           s_wready_o,
  output logic [N*IW-1:0]        s_bid_o,
  output logic [N*2-1:0]         s_bresp_o,
  output logic [N-1:0]           s_bvalid_o,
  input  logic [N-1:0]           s_bready_i,
  input  logic [N*IW-1:0]        s_arid_i,
  input  logic [N*AW-1:0]        s_araddr_i,
  input  logic [N*8-1:0]         s_arlen_i,
  input  logic [N*3-1:0]         s_arsize_i,
  input  logic [N*2-1:0]         s_arburst_i,
  input  logic [N-1:0]           s_arvalid_i,
  output logic [N-1:0]           s_arready_o,
  output logic [N*IW-1:0]        s_rid_o,
  output logic [N*64-1:0]        s_rdata_o,
  output logic [N*2-1:0]         s_rresp_o,
  output logic [N-1:0]           s_rlast_o,
  output logic [N-1:0]           s_rvalid_o,
  input  logic [N-1:0]           s_rready_i,

  output logic [C-1:0]           ch_cmd_valid_o,
  input  logic [C-1:0]           ch_cmd_ready_i,
  output logic [C*DieW-1:0]      ch_cmd_die_o,
  output logic [C*PlaneW-1:0]    ch_cmd_plane_o,
  output logic [C*BlockW-1:0]    ch_cmd_block_o,
  output logic [C*PageW-1:0]     ch_cmd_page_o,
  output logic [C*SlotW-1:0]     ch_cmd_tag_o,
  input  logic [C-1:0]           ch_rd_valid_i,
  output logic [C-1:0]           ch_rd_ready_o,
  input  logic [C*SlotW-1:0]     ch_rd_tag_i,
  input  logic [C*ChBytes*8-1:0] ch_rd_data_i,
  input  logic [C*ChBytes-1:0]   ch_rd_ecc_i,
  input  logic [C-1:0]           ch_rd_last_i
);
  localparam int unsigned Cn = Channels;
  logic [2*N-1:0]           inj_valid, inj_ready, ej_valid, ej_ready;
  logic [2*N*PortWidth-1:0] inj_data, ej_data;
  localparam int unsigned CntW = 48;
  logic [2*N*2*CntW-1:0] unused_link;
  logic [2*N*CntW-1:0]   unused_stall, unused_inj, unused_ej;
  logic [N-1:0]          unused_err;
  logic                  unused_idle;  // the split simulation model uses it (tb/common/split_system.hpp)

  ring_fabric #(
    .NumNodes(N), .FlitBytes(FlitBytes), .VcDepth(VcDepth), .LinkLatency(LinkLatency),
    .CntWidth(CntW)
  ) u_ring (
    .clk_i, .rst_ni,
    .inj_valid_i(inj_valid), .inj_ready_o(inj_ready), .inj_data_i(inj_data),
    .ej_valid_o(ej_valid), .ej_ready_i(ej_ready), .ej_data_o(ej_data),
    .cnt_link_flits_o(unused_link), .cnt_credit_stall_o(unused_stall), .cnt_inj_o(unused_inj),
    .cnt_ej_o(unused_ej), .err_o(unused_err), .idle_o(unused_idle)
  );

  for (genvar n = 0; n < N; n++) begin : gen_node
    pnm_node #(
      .NumNodes(N), .Channels(Channels), .Dies(Dies), .Planes(Planes), .Blocks(Blocks),
      .Pages(Pages), .PageBytes(PageBytes), .ChBytes(ChBytes), .Outstanding(Outstanding),
      .RobPages(RobPages), .RemapEntries(RemapEntries), .LaneBytes(LaneBytes),
      .MaxBatch(MaxBatch), .MaxK(MaxK), .RqEntries(RqEntries), .FlitBytes(FlitBytes),
      .BufFlits(BufFlits), .VcDepth(VcDepth), .CmdDepth(CmdDepth)
    ) u_node (
      .clk_i, .rst_ni, .node_id_i(NodeWidth'(n)), .irq_o(irq_o[n]),
      .evt_o(evt_o[n*pnm_csr_pkg::EVT_COUNT +: pnm_csr_pkg::EVT_COUNT]),
      .s_awid_i(s_awid_i[n*IW +: IW]), .s_awaddr_i(s_awaddr_i[n*AW +: AW]),
      .s_awlen_i(s_awlen_i[n*8 +: 8]), .s_awsize_i(s_awsize_i[n*3 +: 3]),
      .s_awburst_i(s_awburst_i[n*2 +: 2]), .s_awvalid_i(s_awvalid_i[n]), .s_awready_o(s_awready_o[n]),
      .s_wdata_i(s_wdata_i[n*64 +: 64]), .s_wstrb_i(s_wstrb_i[n*8 +: 8]), .s_wlast_i(s_wlast_i[n]),
      .s_wvalid_i(s_wvalid_i[n]), .s_wready_o(s_wready_o[n]),
      .s_bid_o(s_bid_o[n*IW +: IW]), .s_bresp_o(s_bresp_o[n*2 +: 2]), .s_bvalid_o(s_bvalid_o[n]),
      .s_bready_i(s_bready_i[n]),
      .s_arid_i(s_arid_i[n*IW +: IW]), .s_araddr_i(s_araddr_i[n*AW +: AW]),
      .s_arlen_i(s_arlen_i[n*8 +: 8]), .s_arsize_i(s_arsize_i[n*3 +: 3]),
      .s_arburst_i(s_arburst_i[n*2 +: 2]), .s_arvalid_i(s_arvalid_i[n]), .s_arready_o(s_arready_o[n]),
      .s_rid_o(s_rid_o[n*IW +: IW]), .s_rdata_o(s_rdata_o[n*64 +: 64]), .s_rresp_o(s_rresp_o[n*2 +: 2]),
      .s_rlast_o(s_rlast_o[n]), .s_rvalid_o(s_rvalid_o[n]), .s_rready_i(s_rready_i[n]),
      .ch_cmd_valid_o(ch_cmd_valid_o[n*Cn +: Cn]), .ch_cmd_ready_i(ch_cmd_ready_i[n*Cn +: Cn]),
      .ch_cmd_die_o(ch_cmd_die_o[n*Cn*DieW +: Cn*DieW]),
      .ch_cmd_plane_o(ch_cmd_plane_o[n*Cn*PlaneW +: Cn*PlaneW]),
      .ch_cmd_block_o(ch_cmd_block_o[n*Cn*BlockW +: Cn*BlockW]),
      .ch_cmd_page_o(ch_cmd_page_o[n*Cn*PageW +: Cn*PageW]),
      .ch_cmd_tag_o(ch_cmd_tag_o[n*Cn*SlotW +: Cn*SlotW]),
      .ch_rd_valid_i(ch_rd_valid_i[n*Cn +: Cn]), .ch_rd_ready_o(ch_rd_ready_o[n*Cn +: Cn]),
      .ch_rd_tag_i(ch_rd_tag_i[n*Cn*SlotW +: Cn*SlotW]),
      .ch_rd_data_i(ch_rd_data_i[n*Cn*ChBytes*8 +: Cn*ChBytes*8]),
      .ch_rd_ecc_i(ch_rd_ecc_i[n*Cn*ChBytes +: Cn*ChBytes]),
      .ch_rd_last_i(ch_rd_last_i[n*Cn +: Cn]),
      .inj_valid_o(inj_valid[n*2 +: 2]), .inj_ready_i(inj_ready[n*2 +: 2]),
      .inj_data_o(inj_data[n*2*PortWidth +: 2*PortWidth]),
      .ej_valid_i(ej_valid[n*2 +: 2]), .ej_ready_o(ej_ready[n*2 +: 2]),
      .ej_data_i(ej_data[n*2*PortWidth +: 2*PortWidth])
    );
  end
endmodule
