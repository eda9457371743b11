// One flash_emu per channel with the flat channel ports of hbf_ctrl / pnm_node, so a top (the
// FPGA top, the emulator test top) attaches the emulated flash in one instance. The content
// port addresses one channel at a time (load_ch_i); tR is shared.
module flash_emu_array #(
  parameter int unsigned Channels  = 2,
  parameter int unsigned Dies      = 2,
  parameter int unsigned Planes    = 1,
  parameter int unsigned Blocks    = 4,
  parameter int unsigned Pages     = 4,
  parameter int unsigned PageBytes = 256,
  parameter int unsigned ChBytes   = 8,
  parameter int unsigned TagWidth  = 3,
  parameter int unsigned CmdDepth  = 4,
  parameter int unsigned TrWidth   = 20,
  localparam int unsigned ChW     = (Channels > 1) ? $clog2(Channels) : 1,
  localparam int unsigned DieW    = (Dies > 1) ? $clog2(Dies) : 1,
  localparam int unsigned PlaneW  = (Planes > 1) ? $clog2(Planes) : 1,
  localparam int unsigned BlockW  = (Blocks > 1) ? $clog2(Blocks) : 1,
  localparam int unsigned PageW   = (Pages > 1) ? $clog2(Pages) : 1,
  localparam int unsigned LoadW   = $clog2(Dies * Planes * Blocks * Pages * PageBytes / 8)
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic [TrWidth-1:0]            cfg_tr_cycles_i,

  input  logic                          load_we_i,
  input  logic [ChW-1:0]                load_ch_i,
  input  logic [LoadW-1:0]              load_addr_i,
  input  logic [63:0]                   load_data_i,
  input  logic [71:0]                   load_flip_i,

  input  logic [Channels-1:0]           cmd_valid_i,
  output logic [Channels-1:0]           cmd_ready_o,
  input  logic [Channels*DieW-1:0]      cmd_die_i,
  input  logic [Channels*PlaneW-1:0]    cmd_plane_i,
  input  logic [Channels*BlockW-1:0]    cmd_block_i,
  input  logic [Channels*PageW-1:0]     cmd_page_i,
  input  logic [Channels*TagWidth-1:0]  cmd_tag_i,
  output logic [Channels-1:0]           rd_valid_o,
  input  logic [Channels-1:0]           rd_ready_i,
  output logic [Channels*TagWidth-1:0]  rd_tag_o,
  output logic [Channels*ChBytes*8-1:0] rd_data_o,
  output logic [Channels*ChBytes-1:0]   rd_ecc_o,
  output logic [Channels-1:0]           rd_last_o,

  output logic [Channels*32-1:0]        cnt_reads_o      // page reads per channel
);
  for (genvar c = 0; c < Channels; c++) begin : gen_emu
    flash_emu #(
      .Dies(Dies), .Planes(Planes), .Blocks(Blocks), .Pages(Pages), .PageBytes(PageBytes),
      .ChBytes(ChBytes), .TagWidth(TagWidth), .CmdDepth(CmdDepth), .TrWidth(TrWidth),
      .CntWidth(32)
    ) u_emu (
      .clk_i, .rst_ni, .cfg_tr_cycles_i,
      .load_we_i   (load_we_i && 32'(load_ch_i) == c),
      .load_addr_i, .load_data_i, .load_flip_i,
      .cmd_valid_i (cmd_valid_i[c]),
      .cmd_ready_o (cmd_ready_o[c]),
      .cmd_die_i   (cmd_die_i[c*DieW +: DieW]),
      .cmd_plane_i (cmd_plane_i[c*PlaneW +: PlaneW]),
      .cmd_block_i (cmd_block_i[c*BlockW +: BlockW]),
      .cmd_page_i  (cmd_page_i[c*PageW +: PageW]),
      .cmd_tag_i   (cmd_tag_i[c*TagWidth +: TagWidth]),
      .rd_valid_o  (rd_valid_o[c]),
      .rd_ready_i  (rd_ready_i[c]),
      .rd_tag_o    (rd_tag_o[c*TagWidth +: TagWidth]),
      .rd_data_o   (rd_data_o[c*ChBytes*8 +: ChBytes*8]),
      .rd_ecc_o    (rd_ecc_o[c*ChBytes +: ChBytes]),
      .rd_last_o   (rd_last_o[c]),
      .cnt_reads_o (cnt_reads_o[c*32 +: 32])
    );
  end
endmodule
