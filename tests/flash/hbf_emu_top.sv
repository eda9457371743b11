// Test top: hbf_ctrl with one flash_emu per channel (the FPGA configuration of the flash side),
// so the controller's functional tests run against the emulator as well as the die model.
module hbf_emu_top #(
  parameter int unsigned Channels  = 2,
  parameter int unsigned Dies      = 2,
  parameter int unsigned Planes    = 1,
  parameter int unsigned Blocks    = 4,
  parameter int unsigned Pages     = 4,
  parameter int unsigned PageBytes = 256,
  parameter int unsigned ChBytes   = 8,
  parameter int unsigned LaneBytes = 16,
  parameter int unsigned Outstanding = 2,
  parameter int unsigned RobPages  = 8,
  parameter int unsigned RemapEntries = 2,
  parameter bit          RobReadReg = 1'b1,   // as the FPGA top builds hbf_ctrl
  localparam int unsigned ChW     = (Channels > 1) ? $clog2(Channels) : 1,
  localparam int unsigned DieW    = (Dies > 1) ? $clog2(Dies) : 1,
  localparam int unsigned PlaneW  = (Planes > 1) ? $clog2(Planes) : 1,
  localparam int unsigned BlockW  = (Blocks > 1) ? $clog2(Blocks) : 1,
  localparam int unsigned PageW   = (Pages > 1) ? $clog2(Pages) : 1,
  localparam int unsigned AddrW   = $clog2(Channels * Dies * Planes * Blocks * Pages) + $clog2(PageBytes),
  localparam int unsigned Slots   = RobPages / Channels,
  localparam int unsigned SlotW   = (Slots > 1) ? $clog2(Slots) : 1,
  localparam int unsigned RemapW  = (RemapEntries > 1) ? $clog2(RemapEntries) : 1,
  localparam int unsigned RemapEntryW = 1 + ChW + DieW + PlaneW + 2 * BlockW,
  localparam int unsigned LoadW   = $clog2(Dies * Planes * Blocks * Pages * PageBytes / 8),
  localparam int unsigned KeepW   = $clog2(LaneBytes + 1)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic [$clog2(Outstanding+1)-1:0] cfg_outstanding_i,
  input  logic [19:0]              cfg_tr_cycles_i,
  input  logic                     remap_we_i,
  input  logic [RemapW-1:0]        remap_waddr_i,
  input  logic [RemapEntryW-1:0]   remap_wdata_i,
  input  logic                     load_we_i,
  input  logic [ChW-1:0]           load_ch_i,
  input  logic [LoadW-1:0]         load_addr_i,
  input  logic [63:0]              load_data_i,
  input  logic [71:0]              load_flip_i,
  input  logic                     req_valid_i,
  output logic                     req_ready_o,
  input  logic [AddrW-1:0]         req_addr_i,
  input  logic [31:0]              req_len_i,
  input  logic [7:0]               req_tag_i,
  output logic                     out_valid_o,
  input  logic                     out_ready_i,
  output logic [LaneBytes*8-1:0]   out_data_o,
  output logic [KeepW-1:0]         out_bytes_o,
  output logic                     out_last_o,
  output logic                     out_poison_o,
  output logic [7:0]               out_tag_o,
  output logic [15:0]              out_corrected_o,
  output logic                     out_uncorrectable_o,
  output logic [AddrW-1:0]         out_bad_addr_o,
  output logic [47:0]              cnt_bytes_o,
  output logic [47:0]              cnt_corrected_o,
  output logic [47:0]              cnt_uncorrectable_o
);
  logic [Channels-1:0]          cmd_valid, cmd_ready, rd_valid, rd_ready, rd_last;
  logic [Channels*DieW-1:0]     cmd_die;
  logic [Channels*PlaneW-1:0]   cmd_plane;
  logic [Channels*BlockW-1:0]   cmd_block;
  logic [Channels*PageW-1:0]    cmd_page;
  logic [Channels*SlotW-1:0]    cmd_tag, rd_tag;
  logic [Channels*ChBytes*8-1:0] rd_data;
  logic [Channels*ChBytes-1:0]  rd_ecc;
  logic [47:0]                  unused_reads, unused_stall;
  logic [Channels*48-1:0]       unused_busy, unused_wait, unused_idle;
  logic [$clog2(RobPages+1)-1:0] unused_hw;
  logic [$clog2(Outstanding+1)-1:0] unused_infl_hw;
  logic [2:0]                   unused_req_hw;

  hbf_ctrl #(
    .Channels(Channels), .Dies(Dies), .Planes(Planes), .Blocks(Blocks), .Pages(Pages),
    .PageBytes(PageBytes), .ChBytes(ChBytes), .LaneBytes(LaneBytes), .Outstanding(Outstanding),
    .RobPages(RobPages), .RemapEntries(RemapEntries), .RobReadReg(RobReadReg)
  ) u_ctrl (
    .clk_i, .rst_ni, .cfg_outstanding_i,
    .remap_we_i, .remap_waddr_i, .remap_wdata_i,
    .req_valid_i, .req_ready_o, .req_addr_i, .req_len_i, .req_tag_i,
    .out_valid_o, .out_ready_i, .out_data_o, .out_bytes_o, .out_last_o, .out_poison_o,
    .out_tag_o, .out_corrected_o, .out_uncorrectable_o, .out_bad_addr_o,
    .ch_cmd_valid_o (cmd_valid), .ch_cmd_ready_i (cmd_ready), .ch_cmd_die_o (cmd_die),
    .ch_cmd_plane_o (cmd_plane), .ch_cmd_block_o (cmd_block), .ch_cmd_page_o (cmd_page),
    .ch_cmd_tag_o (cmd_tag),
    .ch_rd_valid_i (rd_valid), .ch_rd_ready_o (rd_ready), .ch_rd_tag_i (rd_tag),
    .ch_rd_data_i (rd_data), .ch_rd_ecc_i (rd_ecc), .ch_rd_last_i (rd_last),
    .cnt_bytes_o, .cnt_reads_o (unused_reads), .cnt_corrected_o, .cnt_uncorrectable_o,
    .cnt_out_stall_o (unused_stall), .cnt_ch_busy_o (unused_busy), .cnt_ch_wait_o (unused_wait),
    .cnt_ch_idle_o (unused_idle), .rob_high_water_o (unused_hw),
    .inflight_high_water_o (unused_infl_hw), .req_high_water_o (unused_req_hw)
  );

  logic [Channels*32-1:0] unused_emu_reads;
  flash_emu_array #(
    .Channels(Channels), .Dies(Dies), .Planes(Planes), .Blocks(Blocks), .Pages(Pages),
    .PageBytes(PageBytes), .ChBytes(ChBytes), .TagWidth(SlotW), .CmdDepth(Outstanding)
  ) u_emu (
    .clk_i, .rst_ni, .cfg_tr_cycles_i,
    .load_we_i, .load_ch_i, .load_addr_i, .load_data_i, .load_flip_i,
    .cmd_valid_i(cmd_valid), .cmd_ready_o(cmd_ready), .cmd_die_i(cmd_die),
    .cmd_plane_i(cmd_plane), .cmd_block_i(cmd_block), .cmd_page_i(cmd_page), .cmd_tag_i(cmd_tag),
    .rd_valid_o(rd_valid), .rd_ready_i(rd_ready), .rd_tag_o(rd_tag), .rd_data_o(rd_data),
    .rd_ecc_o(rd_ecc), .rd_last_o(rd_last), .cnt_reads_o(unused_emu_reads)
  );
endmodule
