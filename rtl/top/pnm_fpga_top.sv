// FPGA prototype top (docs/fpga.md): one pnm_node with small parameters, one flash_emu per
// channel in place of the flash dies, and the UART host bridge, so a PC on a serial port can
// load the flash image, write activations, queue commands and read results.
//
// The node is built without a ring (Ring = 0; NumNodes 2 because the collective engine's
// parameters need a peer) and its ring ports tied off: this board has no peer, so a collective
// command fails at once (ERROR.code 5, detail RING_ERR_NORING = 5) and the engine keeps only its
// buffer. GEMV, REQUANT, PREFETCH, FENCE and SIGNAL work as on a stack.
// The board wrapper (rtl/boards/<board>/) adds the clock, the reset and the pins.
module pnm_fpga_top #(
  parameter int unsigned ClkPerBit    = 868,     // 100 MHz / 115200 baud
  parameter int unsigned TimeoutCycles = 10_000_000,
  // flash (hbf_ctrl + flash_emu)
  parameter int unsigned Channels     = 2,
  parameter int unsigned Dies         = 2,
  parameter int unsigned Planes       = 1,
  parameter int unsigned Blocks       = 8,
  parameter int unsigned Pages        = 8,
  parameter int unsigned PageBytes    = 256,
  parameter int unsigned ChBytes      = 8,
  parameter int unsigned Outstanding  = 2,
  parameter int unsigned RobPages     = 8,
  parameter int unsigned RemapEntries = 2,
  parameter int unsigned TrReset      = 64,      // emulated tR after reset, cycles
  // GEMV
  parameter int unsigned LaneBytes    = 16,
  parameter int unsigned MaxBatch     = 1,
  parameter int unsigned MaxK         = 1024,
  parameter int unsigned RqEntries    = 16,
  // collective buffer (the result buffer) and sequencer
  parameter int unsigned FlitBytes    = 32,
  parameter int unsigned BufFlits     = 64,
  parameter int unsigned VcDepth      = 4,
  parameter int unsigned CmdDepth     = 8,
  // The GEMV products as pnm_mul_reg cells: scripts/fpga.sh ecp5 maps each to a MULT18X18D with
  // its own operand and product registers (rtl/boards/ecp5/pnm_mul_reg.sv)
  parameter bit          MulCells     = 1'b1,
  // hbf_ctrl's reorder-buffer words registered per channel before its channel multiplexer:
  // the block RAM's clock to out no longer starts a path through the multiplexer (docs/flash.md)
  parameter bit          RobReadReg   = 1'b1,
  localparam int unsigned NumNodes    = 2,
  localparam int unsigned PortWidth   = FlitBytes * 8 + 1,
  localparam int unsigned ChW         = (Channels > 1) ? $clog2(Channels) : 1,
  localparam int unsigned DieW        = (Dies > 1) ? $clog2(Dies) : 1,
  localparam int unsigned PlaneW      = (Planes > 1) ? $clog2(Planes) : 1,
  localparam int unsigned BlockW      = (Blocks > 1) ? $clog2(Blocks) : 1,
  localparam int unsigned PageW       = (Pages > 1) ? $clog2(Pages) : 1,
  localparam int unsigned SlotW       = ((RobPages / Channels) > 1) ? $clog2(RobPages / Channels) : 1,
  localparam int unsigned LoadW       = $clog2(Dies * Planes * Blocks * Pages * PageBytes / 8),
  localparam int unsigned FlashLog2   = $clog2(Channels * Dies * Planes * Blocks * Pages * PageBytes)
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic uart_rx_i,
  output logic uart_tx_o,
  output logic irq_o,           // the node's interrupt (CTRL.irq_enable)
  output logic [pnm_csr_pkg::EVT_COUNT-1:0] evt_o,  // the node's event port (docs/registers.md)
  output logic busy_o           // the bridge is in a frame
);
  // Build parameters the host reads from the bridge's INFO register.
  localparam logic [63:0] Info = (64'(FlashLog2) << 56) | (64'(Channels) << 48) |
                                 (64'(MaxBatch) << 40) | (64'(LaneBytes) << 32) | 64'(MaxK);
  // The flash geometry, so the host can place data where the address map reads it.
  localparam logic [63:0] Geometry = (64'($clog2(PageBytes)) << 40) | (64'($clog2(Pages)) << 32) |
                                     (64'($clog2(Blocks)) << 24) | (64'(Planes) << 16) |
                                     (64'(Dies) << 8) | 64'(Channels);

  // ---- bridge -> register slice (b_*) -> node AXI ----
  logic [3:0]  awid, bid, arid, rid;
  logic [23:0] awaddr, araddr;
  logic [7:0]  awlen, arlen, wstrb;
  logic [2:0]  awsize, arsize;
  logic [1:0]  awburst, arburst, bresp, rresp;
  logic        awvalid, awready, wlast, wvalid, wready, bvalid, bready;
  logic        arvalid, arready, rlast, rvalid, rready;
  logic [63:0] wdata, rdata;
  logic [3:0]  b_awid, b_bid, b_arid, b_rid;
  logic [23:0] b_awaddr, b_araddr;
  logic [7:0]  b_awlen, b_arlen, b_wstrb;
  logic [2:0]  b_awsize, b_arsize;
  logic [1:0]  b_awburst, b_arburst, b_bresp, b_rresp;
  logic        b_awvalid, b_awready, b_wlast, b_wvalid, b_wready, b_bvalid, b_bready;
  logic        b_arvalid, b_arready, b_rlast, b_rvalid, b_rready;
  logic [63:0] b_wdata, b_rdata;
  logic        load_we;
  logic [ChW-1:0]   load_ch;
  logic [LoadW-1:0] load_addr;
  logic [63:0] load_data;
  logic [71:0] load_flip;
  logic [19:0] tr_cycles;
  logic [31:0] unused_frames, unused_frame_errs, unused_rx_errs;

  pnm_uart_bridge #(
    .ClkPerBit(ClkPerBit), .TimeoutCycles(TimeoutCycles), .AxiAddrW(24), .Channels(Channels),
    .LoadW(LoadW), .TrWidth(20), .TrReset(TrReset), .Info(Info), .Geometry(Geometry)
  ) u_bridge (
    .clk_i, .rst_ni, .rx_i(uart_rx_i), .tx_o(uart_tx_o), .busy_o,
    .m_awid_o(b_awid), .m_awaddr_o(b_awaddr), .m_awlen_o(b_awlen), .m_awsize_o(b_awsize),
    .m_awburst_o(b_awburst), .m_awvalid_o(b_awvalid), .m_awready_i(b_awready),
    .m_wdata_o(b_wdata), .m_wstrb_o(b_wstrb), .m_wlast_o(b_wlast), .m_wvalid_o(b_wvalid),
    .m_wready_i(b_wready), .m_bid_i(b_bid), .m_bresp_i(b_bresp), .m_bvalid_i(b_bvalid),
    .m_bready_o(b_bready), .m_arid_o(b_arid), .m_araddr_o(b_araddr), .m_arlen_o(b_arlen),
    .m_arsize_o(b_arsize), .m_arburst_o(b_arburst), .m_arvalid_o(b_arvalid),
    .m_arready_i(b_arready), .m_rid_i(b_rid), .m_rdata_i(b_rdata), .m_rresp_i(b_rresp),
    .m_rlast_i(b_rlast), .m_rvalid_i(b_rvalid), .m_rready_o(b_rready),
    .load_we_o(load_we), .load_ch_o(load_ch), .load_addr_o(load_addr), .load_data_o(load_data),
    .load_flip_o(load_flip), .cfg_tr_cycles_o(tr_cycles),
    .cnt_frames_o(unused_frames), .cnt_frame_errors_o(unused_frame_errs),
    .cnt_rx_errors_o(unused_rx_errs)
  );

  // The bridge's state machine and the node's host port logic were on the same paths (the
  // bridge's registers through the AXI slave into the command queue, docs/fpga.md round 19):
  // a register slice between them. Latency is nothing against a UART byte.
  pnm_axi_cut #(
    .IdW(4), .AddrW(24), .DataW(64)
  ) u_axi_cut (
    .clk_i, .rst_ni,
    .s_awid_i(b_awid), .s_awaddr_i(b_awaddr), .s_awlen_i(b_awlen), .s_awsize_i(b_awsize),
    .s_awburst_i(b_awburst), .s_awvalid_i(b_awvalid), .s_awready_o(b_awready),
    .s_wdata_i(b_wdata), .s_wstrb_i(b_wstrb), .s_wlast_i(b_wlast), .s_wvalid_i(b_wvalid),
    .s_wready_o(b_wready), .s_bid_o(b_bid), .s_bresp_o(b_bresp), .s_bvalid_o(b_bvalid),
    .s_bready_i(b_bready), .s_arid_i(b_arid), .s_araddr_i(b_araddr), .s_arlen_i(b_arlen),
    .s_arsize_i(b_arsize), .s_arburst_i(b_arburst), .s_arvalid_i(b_arvalid),
    .s_arready_o(b_arready), .s_rid_o(b_rid), .s_rdata_o(b_rdata), .s_rresp_o(b_rresp),
    .s_rlast_o(b_rlast), .s_rvalid_o(b_rvalid), .s_rready_i(b_rready),
    .m_awid_o(awid), .m_awaddr_o(awaddr), .m_awlen_o(awlen), .m_awsize_o(awsize),
    .m_awburst_o(awburst), .m_awvalid_o(awvalid), .m_awready_i(awready),
    .m_wdata_o(wdata), .m_wstrb_o(wstrb), .m_wlast_o(wlast), .m_wvalid_o(wvalid),
    .m_wready_i(wready), .m_bid_i(bid), .m_bresp_i(bresp), .m_bvalid_i(bvalid),
    .m_bready_o(bready), .m_arid_o(arid), .m_araddr_o(araddr), .m_arlen_o(arlen),
    .m_arsize_o(arsize), .m_arburst_o(arburst), .m_arvalid_o(arvalid), .m_arready_i(arready),
    .m_rid_i(rid), .m_rdata_i(rdata), .m_rresp_i(rresp), .m_rlast_i(rlast),
    .m_rvalid_i(rvalid), .m_rready_o(rready)
  );

  // ---- node ----
  logic [Channels-1:0]          cmd_valid, cmd_ready, rd_valid, rd_ready, rd_last;
  logic [Channels*DieW-1:0]     cmd_die;
  logic [Channels*PlaneW-1:0]   cmd_plane;
  logic [Channels*BlockW-1:0]   cmd_block;
  logic [Channels*PageW-1:0]    cmd_page;
  logic [Channels*SlotW-1:0]    cmd_tag, rd_tag;
  logic [Channels*ChBytes*8-1:0] rd_data;
  logic [Channels*ChBytes-1:0]  rd_ecc;
  logic [1:0]                   unused_inj_valid;
  logic [2*PortWidth-1:0]       unused_inj_data;
  logic [1:0]                   unused_ej_ready;

  pnm_node #(
    .NumNodes(NumNodes), .Channels(Channels), .Dies(Dies), .Planes(Planes), .Blocks(Blocks),
    .Pages(Pages), .PageBytes(PageBytes), .ChBytes(ChBytes), .Outstanding(Outstanding),
    .RobPages(RobPages), .RemapEntries(RemapEntries), .LaneBytes(LaneBytes),
    .MaxBatch(MaxBatch), .MaxK(MaxK), .RqEntries(RqEntries), .FlitBytes(FlitBytes),
    .BufFlits(BufFlits), .VcDepth(VcDepth), .CmdDepth(CmdDepth), .Ring(1'b0),
    .MulCells(MulCells), .RobReadReg(RobReadReg)
  ) u_node (
    .clk_i, .rst_ni, .node_id_i(1'b0), .irq_o, .evt_o,
    .s_awid_i(awid), .s_awaddr_i(awaddr), .s_awlen_i(awlen), .s_awsize_i(awsize),
    .s_awburst_i(awburst), .s_awvalid_i(awvalid), .s_awready_o(awready),
    .s_wdata_i(wdata), .s_wstrb_i(wstrb), .s_wlast_i(wlast), .s_wvalid_i(wvalid),
    .s_wready_o(wready), .s_bid_o(bid), .s_bresp_o(bresp), .s_bvalid_o(bvalid),
    .s_bready_i(bready), .s_arid_i(arid), .s_araddr_i(araddr), .s_arlen_i(arlen),
    .s_arsize_i(arsize), .s_arburst_i(arburst), .s_arvalid_i(arvalid), .s_arready_o(arready),
    .s_rid_o(rid), .s_rdata_o(rdata), .s_rresp_o(rresp), .s_rlast_o(rlast),
    .s_rvalid_o(rvalid), .s_rready_i(rready),
    .ch_cmd_valid_o(cmd_valid), .ch_cmd_ready_i(cmd_ready), .ch_cmd_die_o(cmd_die),
    .ch_cmd_plane_o(cmd_plane), .ch_cmd_block_o(cmd_block), .ch_cmd_page_o(cmd_page),
    .ch_cmd_tag_o(cmd_tag), .ch_rd_valid_i(rd_valid), .ch_rd_ready_o(rd_ready),
    .ch_rd_tag_i(rd_tag), .ch_rd_data_i(rd_data), .ch_rd_ecc_i(rd_ecc), .ch_rd_last_i(rd_last),
    // no ring peer on the board
    .inj_valid_o(unused_inj_valid), .inj_ready_i(2'b00), .inj_data_o(unused_inj_data),
    .ej_valid_i(2'b00), .ej_ready_o(unused_ej_ready), .ej_data_i('0)
  );

  // ---- flash emulators ----
  logic [Channels*32-1:0] unused_emu_reads;
  flash_emu_array #(
    .Channels(Channels), .Dies(Dies), .Planes(Planes), .Blocks(Blocks), .Pages(Pages),
    .PageBytes(PageBytes), .ChBytes(ChBytes), .TagWidth(SlotW), .CmdDepth(Outstanding),
    .TrWidth(20)
  ) u_emu (
    .clk_i, .rst_ni, .cfg_tr_cycles_i(tr_cycles),
    .load_we_i(load_we), .load_ch_i(load_ch), .load_addr_i(load_addr), .load_data_i(load_data),
    .load_flip_i(load_flip),
    .cmd_valid_i(cmd_valid), .cmd_ready_o(cmd_ready), .cmd_die_i(cmd_die),
    .cmd_plane_i(cmd_plane), .cmd_block_i(cmd_block), .cmd_page_i(cmd_page), .cmd_tag_i(cmd_tag),
    .rd_valid_o(rd_valid), .rd_ready_i(rd_ready), .rd_tag_o(rd_tag), .rd_data_o(rd_data),
    .rd_ecc_o(rd_ecc), .rd_last_o(rd_last), .cnt_reads_o(unused_emu_reads)
  );
endmodule
