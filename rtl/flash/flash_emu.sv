// Synthesizable flash emulator for one channel (the FPGA build's stand-in for the die model):
// the same channel interface as the die model (DESIGN.md section 4.1), pages held in block RAM
// with their SEC-DED check bits, and a tR counter. One read at a time per channel: a command
// waits in a small queue, the emulator counts tR cycles, then streams the page ChBytes per beat
// (valid/ready, tag and `last` beside the data).
//
// Contents are loaded through a word port (the FPGA host bridge or a test bench): the check bits
// are computed on the way in, and an XOR mask on the 72-bit code word can plant bit errors so the
// controller's ECC path can be exercised on the board.
`include "pnm_assert.svh"

module flash_emu #(
  parameter int unsigned Dies      = 2,
  parameter int unsigned Planes    = 1,
  parameter int unsigned Blocks    = 4,
  parameter int unsigned Pages     = 4,
  parameter int unsigned PageBytes = 256,
  parameter int unsigned ChBytes   = 8,    // multiple of 8
  parameter int unsigned TagWidth  = 3,
  parameter int unsigned CmdDepth  = 4,
  parameter int unsigned TrWidth   = 20,   // width of the runtime tR (cycles)
  parameter int unsigned CntWidth  = 32,

  localparam int unsigned DieW    = (Dies > 1) ? $clog2(Dies) : 1,
  localparam int unsigned PlaneW  = (Planes > 1) ? $clog2(Planes) : 1,
  localparam int unsigned BlockW  = (Blocks > 1) ? $clog2(Blocks) : 1,
  localparam int unsigned PageW   = (Pages > 1) ? $clog2(Pages) : 1,
  localparam int unsigned NumPages = Dies * Planes * Blocks * Pages,
  localparam int unsigned WordsPP  = PageBytes / 8,
  localparam int unsigned LoadW    = $clog2(NumPages * WordsPP)   // 64-bit word address
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  input  logic [TrWidth-1:0]     cfg_tr_cycles_i,

  // Content load: word address = ((((die * Planes + plane) * Blocks + block) * Pages + page)
  // * WordsPP + word); flip_i is XORed into the stored 72-bit code word {ecc, data}.
  input  logic                   load_we_i,
  input  logic [LoadW-1:0]       load_addr_i,
  input  logic [63:0]            load_data_i,
  input  logic [71:0]            load_flip_i,

  input  logic                   cmd_valid_i,
  output logic                   cmd_ready_o,
  input  logic [DieW-1:0]        cmd_die_i,
  input  logic [PlaneW-1:0]      cmd_plane_i,
  input  logic [BlockW-1:0]      cmd_block_i,
  input  logic [PageW-1:0]       cmd_page_i,
  input  logic [TagWidth-1:0]    cmd_tag_i,

  output logic                   rd_valid_o,
  input  logic                   rd_ready_i,
  output logic [TagWidth-1:0]    rd_tag_o,
  output logic [ChBytes*8-1:0]   rd_data_o,
  output logic [ChBytes-1:0]     rd_ecc_o,
  output logic                   rd_last_o,

  output logic [CntWidth-1:0]    cnt_reads_o
);
  localparam int unsigned Banks   = ChBytes / 8;                  // 72-bit words per beat
  localparam int unsigned BeatsPP = PageBytes / ChBytes;
  localparam int unsigned BeatW   = (BeatsPP > 1) ? $clog2(BeatsPP) : 1;
  localparam int unsigned Depth   = NumPages * BeatsPP;            // beats stored
  localparam int unsigned AddrW   = $clog2(Depth);
  localparam int unsigned PageIdxW = (NumPages > 1) ? $clog2(NumPages) : 1;
  localparam int unsigned BankSh  = (Banks > 1) ? $clog2(Banks) : 0;

  // ---- Command queue ----
  localparam int unsigned CmdW = DieW + PlaneW + BlockW + PageW + TagWidth;
  logic                cq_valid, cq_pop;
  logic [DieW-1:0]     q_die;
  logic [PlaneW-1:0]   q_plane;
  logic [BlockW-1:0]   q_block;
  logic [PageW-1:0]    q_page;
  logic [TagWidth-1:0] q_tag;
  logic [$clog2(CmdDepth+1)-1:0] unused_usage;
  logic                unused_full, unused_empty;
  pnm_fifo #(
    .Width(CmdW),
    .Depth(CmdDepth)
  ) u_cmd_fifo (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .valid_i (cmd_valid_i),
    .ready_o (cmd_ready_o),
    .data_i  ({cmd_die_i, cmd_plane_i, cmd_block_i, cmd_page_i, cmd_tag_i}),
    .valid_o (cq_valid),
    .ready_i (cq_pop),
    .data_o  ({q_die, q_plane, q_block, q_page, q_tag}),
    .usage_o (unused_usage),
    .full_o  (unused_full),
    .empty_o (unused_empty)
  );

  // ---- Page store: Banks banks of 72-bit code words, one beat per address ----
  logic [71:0]    load_code;
  logic [7:0]     load_ecc;
  pnm_secded_72_64_enc u_enc (
    .data_i (load_data_i),
    .ecc_o  (load_ecc)
  );
  assign load_code = {load_ecc, load_data_i} ^ load_flip_i;

  logic [AddrW-1:0] load_beat;
  logic [BankSh:0]  load_bank;
  assign load_beat = AddrW'(load_addr_i >> BankSh);
  assign load_bank = (BankSh + 1)'(32'(load_addr_i) % Banks);

  // ---- Sequencer: idle -> sense (tR) -> transfer ----
  localparam logic [1:0] EMU_IDLE  = 2'd0;
  localparam logic [1:0] EMU_SENSE = 2'd1;
  localparam logic [1:0] EMU_XFER  = 2'd2;
  logic [1:0]          state_q, state_d;
  logic [TrWidth-1:0]  timer_q, timer_d;
  logic [PageIdxW-1:0] cur_page_q, cur_page_d;
  logic [TagWidth-1:0] cur_tag_q, cur_tag_d;
  logic [BeatW-1:0]    rd_beat_q, rd_beat_d;   // next beat to read from memory
  logic                rd_done_q, rd_done_d;   // every beat of the page has been read

  // Read-ahead into a small FIFO: a read is issued only when its beat has room. The memory's
  // read data is registered twice (mem_rdata_q, then the rb_* stage) before the FIFO, so the
  // FPGA's block RAM output (4.3 ns clock to out on ECP5) ends at a flop instead of running on
  // into the FIFO's LUT RAM (docs/fpga.md, round 22); two reads are in flight, hence a FIFO of
  // 4 for one beat per cycle.
  localparam int unsigned OutDepth = 4;
  logic                     mem_rd, mem_rd_q, mem_last_q;
  logic [Banks*72-1:0]      mem_rdata_q;
  logic [$clog2(OutDepth+1)-1:0] out_usage;
  logic                     unused_out_ready, unused_out_full, unused_out_empty;
  logic                     rb_valid;
  logic [TagWidth-1:0]      rb_tag;
  logic [Banks*72-1:0]      rb_rdata;
  logic                     rb_last;

  assign mem_rd = (state_q == EMU_XFER) && !rd_done_q &&
                  (32'(out_usage) + 32'(mem_rd_q) + 32'(rb_valid) < OutDepth);

  for (genvar b = 0; b < Banks; b++) begin : gen_bank
    logic [71:0] mem [Depth];
    always_ff @(posedge clk_i) begin
      if (load_we_i && 32'(load_bank) == b) mem[load_beat] <= load_code;
      if (mem_rd) mem_rdata_q[b*72 +: 72] <= mem[AddrW'(32'(cur_page_q) * BeatsPP + 32'(rd_beat_q))];
    end
  end

  always_comb begin
    state_d    = state_q;
    timer_d    = timer_q;
    cur_page_d = cur_page_q;
    cur_tag_d  = cur_tag_q;
    rd_beat_d  = rd_beat_q;
    rd_done_d  = rd_done_q;
    cq_pop     = 1'b0;
    unique case (state_q)
      EMU_IDLE: begin
        if (cq_valid) begin
          cq_pop     = 1'b1;
          state_d    = EMU_SENSE;
          timer_d    = cfg_tr_cycles_i;
          cur_page_d = PageIdxW'((((32'(q_die) * Planes + 32'(q_plane)) * Blocks + 32'(q_block)) *
                                 Pages) + 32'(q_page));
          cur_tag_d  = q_tag;
        end
      end
      EMU_SENSE: begin
        if (timer_q <= TrWidth'(1)) begin
          state_d   = EMU_XFER;
          rd_beat_d = '0;
          rd_done_d = 1'b0;
        end else begin
          timer_d = timer_q - 1'b1;
        end
      end
      EMU_XFER: begin
        if (mem_rd) begin
          rd_beat_d = rd_beat_q + 1'b1;
          if (32'(rd_beat_q) == BeatsPP - 1) rd_done_d = 1'b1;
        end
        // The page is done when its last beat leaves.
        if (rd_valid_o && rd_ready_i && rd_last_o) state_d = EMU_IDLE;
      end
      default: state_d = EMU_IDLE;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= EMU_IDLE;
      timer_q    <= '0;
      cur_page_q <= '0;
      cur_tag_q  <= '0;
      rd_beat_q  <= '0;
      rd_done_q  <= 1'b0;
      mem_rd_q   <= 1'b0;
      mem_last_q <= 1'b0;
    end else begin
      state_q    <= state_d;
      timer_q    <= timer_d;
      cur_page_q <= cur_page_d;
      cur_tag_q  <= cur_tag_d;
      rd_beat_q  <= rd_beat_d;
      rd_done_q  <= rd_done_d;
      mem_rd_q   <= mem_rd;
      mem_last_q <= mem_rd && 32'(rd_beat_q) == BeatsPP - 1;
    end
  end

  // The read beat, its tag and last flag registered once more (see OutDepth).
  pnm_pipe_reg #(
    .Width(TagWidth + Banks * 72 + 1)
  ) u_rd_reg (
    .clk_i, .rst_ni,
    .valid_i(mem_rd_q),
    .data_i ({cur_tag_q, mem_rdata_q, mem_last_q}),
    .valid_o(rb_valid),
    .data_o ({rb_tag, rb_rdata, rb_last})
  );

  // Split the code words of a beat into data and check bytes.
  logic [ChBytes*8-1:0] beat_data;
  logic [ChBytes-1:0]   beat_ecc;
  always_comb begin
    for (int unsigned b = 0; b < Banks; b++) begin
      beat_data[b*64 +: 64] = rb_rdata[b*72 +: 64];
      beat_ecc[b*8 +: 8]    = rb_rdata[b*72 + 64 +: 8];
    end
  end

  pnm_fifo #(
    .Width(TagWidth + ChBytes * 9 + 1),
    .Depth(OutDepth)
  ) u_out_fifo (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .valid_i (rb_valid),
    .ready_o (unused_out_ready),
    .data_i  ({rb_tag, beat_data, beat_ecc, rb_last}),
    .valid_o (rd_valid_o),
    .ready_i (rd_ready_i),
    .data_o  ({rd_tag_o, rd_data_o, rd_ecc_o, rd_last_o}),
    .usage_o (out_usage),
    .full_o  (unused_out_full),
    .empty_o (unused_out_empty)
  );

  logic [CntWidth-1:0] cnt_reads_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)     cnt_reads_q <= '0;
    else if (cq_pop) cnt_reads_q <= cnt_reads_q + 1'b1;
  end
  assign cnt_reads_o = cnt_reads_q;

  `PNM_ASSERT(Geometry_A, ChBytes % 8 == 0 && PageBytes % ChBytes == 0, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(OutOverflow_A, rb_valid && !unused_out_ready, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(RdStream_A, rd_valid_o, rd_ready_i, {rd_tag_o, rd_data_o, rd_ecc_o, rd_last_o},
                     clk_i, rst_ni)
endmodule
