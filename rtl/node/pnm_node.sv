// One node of the system (DESIGN.md sections 4.4 and 4.5): AXI4 host port, registers, command
// queue, sequencer, flash front-end (hbf_ctrl), GEMV unit and collective engine. The flash
// channel ports and the ring injection/ejection ports leave the node: pnm_system attaches the
// ring fabric, the test bench the flash die models (or, on an FPGA, flash_emu).
//
// Host address map (byte offsets, 64-bit AXI beats; docs/node.md):
//   0x000000  registers (docs/registers.md)
//   0x010000  command queue: write a command as two beats, bits 63:0 at +0 then 127:64 at +8;
//             the second beat queues it. A write to a full queue is refused with SLVERR, and so
//             is a write to any other offset of the window (it has no effect).
//   0x100000  activation buffer, write-only: slot s, INT8 element e at s*MaxK + e. Whole lane
//             words (LaneBytes) are written when their last beat arrives.
//   0x400000  result buffer (the collective buffer), INT32 element i at 4*i; read and write.
//
// Sequencer: the issue stage walks the queue ahead of execution and sends the flash read of
// every GEMV (and PREFETCH) to hbf_ctrl as early as its request queue allows, so the next
// GEMV's tR overlaps the current GEMV. It checks each command first: a malformed one is
// passed on marked, and the issue stage stops. The execute stage runs the commands in order,
// one at a time. On a marked command, a unit error, an uncorrectable flash read or the
// watchdog, it records the error code and the command's index and halts. CLEAR.queue drops
// the queue and resumes; it is ignored while a GEMV executes (see docs/node.md, known limits).
`include "pnm_assert.svh"

module pnm_node #(
  parameter int unsigned NumNodes     = 4,
  // flash (hbf_ctrl)
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
  parameter bit          RobReadReg   = 1'b0,  // hbf_ctrl's extra reorder-buffer read register
  // GEMV
  parameter int unsigned LaneBytes    = 64,
  parameter int unsigned MaxBatch     = 4,
  parameter int unsigned MaxK         = 32768,
  parameter int unsigned RqEntries    = 256,
  parameter bit          MulCells     = 1'b0,  // GEMV products as pnm_mul_reg cells (gemv_dot)
  // ring
  parameter int unsigned FlitBytes    = 32,
  parameter int unsigned BufFlits     = 8192,
  parameter int unsigned VcDepth      = 32,
  // 0: no ring attached (the one-node FPGA board): collective commands fail with error 5,
  // detail RING_ERR_NORING, and the collective engine keeps only its buffer
  parameter bit          Ring         = 1'b1,
  // sequencer
  parameter int unsigned CmdDepth     = 64,
  localparam int unsigned NodeWidth    = (NumNodes > 1) ? $clog2(NumNodes) : 1,
  localparam int unsigned PortWidth    = FlitBytes * 8 + NodeWidth,
  localparam int unsigned ChW          = (Channels > 1) ? $clog2(Channels) : 1,
  localparam int unsigned DieW         = (Dies > 1) ? $clog2(Dies) : 1,
  localparam int unsigned PlaneW       = (Planes > 1) ? $clog2(Planes) : 1,
  localparam int unsigned BlockW       = (Blocks > 1) ? $clog2(Blocks) : 1,
  localparam int unsigned PageW        = (Pages > 1) ? $clog2(Pages) : 1,
  localparam int unsigned SlotW        = ((RobPages / Channels) > 1) ? $clog2(RobPages / Channels) : 1,
  localparam int unsigned AxiAddrW     = 24,
  localparam int unsigned AxiIdW       = 4
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic [NodeWidth-1:0]          node_id_i,
  output logic                          irq_o,
  // event port (observability, docs/registers.md): pnm_csr_pkg::EVT_* bit positions
  output logic [pnm_csr_pkg::EVT_COUNT-1:0] evt_o,

  // AXI4 slave, 64-bit data
  input  logic [AxiIdW-1:0]             s_awid_i,
  input  logic [AxiAddrW-1:0]           s_awaddr_i,
  input  logic [7:0]                    s_awlen_i,
  input  logic [2:0]                    s_awsize_i,
  input  logic [1:0]                    s_awburst_i,
  input  logic                          s_awvalid_i,
  output logic                          s_awready_o,
  input  logic [63:0]                   s_wdata_i,
  input  logic [7:0]                    s_wstrb_i,
  input  logic                          s_wlast_i,
  input  logic                          s_wvalid_i,
  output logic                          s_wready_o,
  output logic [AxiIdW-1:0]             s_bid_o,
  output logic [1:0]                    s_bresp_o,
  output logic                          s_bvalid_o,
  input  logic                          s_bready_i,
  input  logic [AxiIdW-1:0]             s_arid_i,
  input  logic [AxiAddrW-1:0]           s_araddr_i,
  input  logic [7:0]                    s_arlen_i,
  input  logic [2:0]                    s_arsize_i,
  input  logic [1:0]                    s_arburst_i,
  input  logic                          s_arvalid_i,
  output logic                          s_arready_o,
  output logic [AxiIdW-1:0]             s_rid_o,
  output logic [63:0]                   s_rdata_o,
  output logic [1:0]                    s_rresp_o,
  output logic                          s_rlast_o,
  output logic                          s_rvalid_o,
  input  logic                          s_rready_i,

  // flash channels (see hbf_ctrl)
  output logic [Channels-1:0]           ch_cmd_valid_o,
  input  logic [Channels-1:0]           ch_cmd_ready_i,
  output logic [Channels*DieW-1:0]      ch_cmd_die_o,
  output logic [Channels*PlaneW-1:0]    ch_cmd_plane_o,
  output logic [Channels*BlockW-1:0]    ch_cmd_block_o,
  output logic [Channels*PageW-1:0]     ch_cmd_page_o,
  output logic [Channels*SlotW-1:0]     ch_cmd_tag_o,
  input  logic [Channels-1:0]           ch_rd_valid_i,
  output logic [Channels-1:0]           ch_rd_ready_o,
  input  logic [Channels*SlotW-1:0]     ch_rd_tag_i,
  input  logic [Channels*ChBytes*8-1:0] ch_rd_data_i,
  input  logic [Channels*ChBytes-1:0]   ch_rd_ecc_i,
  input  logic [Channels-1:0]           ch_rd_last_i,

  // ring router ports, two directions
  output logic [1:0]                    inj_valid_o,
  input  logic [1:0]                    inj_ready_i,
  output logic [2*PortWidth-1:0]        inj_data_o,
  input  logic [1:0]                    ej_valid_i,
  output logic [1:0]                    ej_ready_o,
  input  logic [2*PortWidth-1:0]        ej_data_i
);
  localparam int unsigned Elems     = FlitBytes / 4;
  localparam int unsigned BufAw     = $clog2(BufFlits);
  localparam int unsigned BufElemW  = BufAw + $clog2(Elems);
  localparam int unsigned LpnW      = $clog2(Channels * Dies * Planes * Blocks * Pages);
  localparam int unsigned FlashAw   = LpnW + $clog2(PageBytes);
  localparam int unsigned RowWidth  = 20;
  localparam int unsigned KWidth    = $clog2(MaxK + 1);
  localparam int unsigned BatchW    = $clog2(MaxBatch + 2);
  localparam int unsigned GSlotW    = (MaxBatch > 1) ? $clog2(MaxBatch) : 1;
  localparam int unsigned ActDepth  = MaxK / (2 * LaneBytes);
  localparam int unsigned ActAddrW  = (ActDepth > 1) ? $clog2(ActDepth) : 1;
  localparam int unsigned RqAddrW   = (RqEntries > 1) ? $clog2(RqEntries) : 1;
  localparam int unsigned CmdW      = pnm_isa_pkg::CmdWidth;
  localparam int unsigned CsrAw     = 10;
  // Errors (ERROR.code); docs/node.md.
  localparam logic [7:0] ERR_NONE = 8'd0, ERR_OPCODE = 8'd1, ERR_GEMV = 8'd2, ERR_RANGE = 8'd3,
                         ERR_PREFETCH = 8'd4, ERR_RING = 8'd5, ERR_FLASH = 8'd6,
                         ERR_WATCHDOG = 8'd7, ERR_QUEUE_FULL = 8'd8;

  // ======================= host port ========================================================
  logic                mem_req, mem_we, mem_ready, mem_err, mem_rvalid_q;
  logic [AxiAddrW-1:0] mem_addr, mem_addr_next;
  logic [63:0]         mem_wdata, mem_rdata;
  logic [7:0]          mem_wstrb;
  pnm_axi_slave #(.AddrWidth(AxiAddrW), .DataWidth(64), .IdWidth(AxiIdW)) u_axi (
    .clk_i, .rst_ni,
    .s_awid_i, .s_awaddr_i, .s_awlen_i, .s_awsize_i, .s_awburst_i, .s_awvalid_i, .s_awready_o,
    .s_wdata_i, .s_wstrb_i, .s_wlast_i, .s_wvalid_i, .s_wready_o,
    .s_bid_o, .s_bresp_o, .s_bvalid_o, .s_bready_i,
    .s_arid_i, .s_araddr_i, .s_arlen_i, .s_arsize_i, .s_arburst_i, .s_arvalid_i, .s_arready_o,
    .s_rid_o, .s_rdata_o, .s_rresp_o, .s_rlast_o, .s_rvalid_o, .s_rready_i,
    .mem_req_o(mem_req), .mem_we_o(mem_we), .mem_addr_o(mem_addr), .mem_addr_next_o(mem_addr_next),
    .mem_wdata_o(mem_wdata),
    .mem_wstrb_o(mem_wstrb), .mem_ready_i(mem_ready), .mem_err_i(mem_err),
    .mem_rvalid_i(mem_rvalid_q), .mem_rdata_i(mem_rdata)
  );

  // Window decode, registered: the flops decode the address the host port holds next cycle
  // (mem_addr_next), so they always equal the decode of mem_addr and the request path (command
  // queue push, buffer port, error answer) starts at flops (docs/fpga.md round 24).
  // {csr, cmd, cmd +0, cmd +8, act, res}
  localparam int unsigned WinW = 6;
  localparam logic [WinW-1:0] WinReset = 6'b100000;  // the decode of address 0 (registers)
  function automatic logic [WinW-1:0] win_decode(input logic [AxiAddrW-1:3] a);
    logic cmd;
    cmd = a[23:16] == 8'h01;
    win_decode = {a[23:16] == 8'h00, cmd, cmd && a[15:3] == 13'd0, cmd && a[15:3] == 13'd1,
                  (a[23:20] != 4'h0) && (a[23:22] == 2'b00), a[23:22] == 2'b01};
  endfunction
  logic win_csr, win_cmd, win_cmd_lo, win_cmd_hi, win_act, win_res;
  logic [2:0] unused_addr_next_lo;
  assign unused_addr_next_lo = mem_addr_next[2:0];
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) {win_csr, win_cmd, win_cmd_lo, win_cmd_hi, win_act, win_res} <= WinReset;
    else {win_csr, win_cmd, win_cmd_lo, win_cmd_hi, win_act, win_res} <=
           win_decode(mem_addr_next[AxiAddrW-1:3]);
  end
  `PNM_ASSERT(WinDecode_A, {win_csr, win_cmd, win_cmd_lo, win_cmd_hi, win_act, win_res} ==
              win_decode(mem_addr[AxiAddrW-1:3]), clk_i, rst_ni)

  // ======================= registers ========================================================
  logic        csr_hit;
  logic [63:0] csr_rdata, ctrl, clear, irq_q, watchdog_lim, flash_outst, bad_block;
  logic        clear_we, bad_block_we;
  logic [3:0]  bad_block_idx;
  logic [63:0] status_v, error_v, error_addr_v, irq_set, signal_tag_v;
  logic [63:0] c_cycles, c_gemv_busy, c_gemv_starved, c_gemv_blocked, c_gemv_macs, c_fl_bytes,
               c_fl_reads, c_fl_corr, c_fl_unc, c_ring_ops, c_ring_busy, c_ring_last,
               c_seq_gemv, c_seq_gemv_wait, c_seq_coll, c_seq_idle, c_fl_stall, c_fl_rob_hw,
               c_fl_infl_hw, c_gemv_cmds, c_ring_out, c_ring_in;
  pnm_csr u_csr (
    .clk_i, .rst_ni,
    .reg_we_i(mem_req && mem_we && win_csr), .reg_re_i(mem_req && !mem_we && win_csr),
    .reg_addr_i(mem_addr[CsrAw-1:0]), .reg_wdata_i(mem_wdata), .reg_rdata_o(csr_rdata),
    .reg_hit_o(csr_hit),
    .id_i(64'h504e4d01), .node_i({48'd0, 8'(NumNodes), 8'(node_id_i)}),
    .ctrl_o(ctrl), .clear_we_o(clear_we), .clear_o(clear),
    .status_i(status_v), .error_i(error_v), .error_addr_i(error_addr_v),
    .irq_set_i(irq_set), .irq_o(irq_q), .signal_tag_i(signal_tag_v),
    .watchdog_o(watchdog_lim), .flash_outstanding_o(flash_outst),
    .cnt_cycles_i(c_cycles), .cnt_gemv_busy_i(c_gemv_busy), .cnt_gemv_starved_i(c_gemv_starved),
    .cnt_gemv_blocked_i(c_gemv_blocked), .cnt_gemv_macs_i(c_gemv_macs),
    .cnt_flash_bytes_i(c_fl_bytes), .cnt_flash_reads_i(c_fl_reads),
    .cnt_flash_corrected_i(c_fl_corr), .cnt_flash_uncorrectable_i(c_fl_unc),
    .cnt_ring_ops_i(c_ring_ops), .cnt_ring_busy_i(c_ring_busy), .cnt_ring_last_i(c_ring_last),
    .cnt_seq_gemv_i(c_seq_gemv), .cnt_seq_gemv_wait_i(c_seq_gemv_wait),
    .cnt_seq_coll_i(c_seq_coll), .cnt_seq_idle_i(c_seq_idle),
    .cnt_flash_out_stall_i(c_fl_stall), .cnt_flash_rob_high_i(c_fl_rob_hw),
    .cnt_flash_inflight_high_i(c_fl_infl_hw), .cnt_gemv_cmds_i(c_gemv_cmds),
    .cnt_ring_flits_out_i(c_ring_out), .cnt_ring_flits_in_i(c_ring_in),
    .bad_block_we_o(bad_block_we), .bad_block_idx_o(bad_block_idx), .bad_block_o(bad_block)
  );
  assign irq_o = (irq_q != '0) && ctrl[pnm_csr_pkg::CSR_CTRL_IRQ_ENABLE_LSB];

  // ======================= command queue ====================================================
  logic [63:0]     cmd_lo_q;
  logic            cq_push, cq_ready, cq_valid, cq_pop, cq_flush;
  logic [CmdW-1:0] cq_head;
  logic [$clog2(CmdDepth+1)-1:0] cq_usage;
  logic            unused_cq_full, unused_cq_empty;
  assign cq_push = mem_req && mem_we && win_cmd_hi && cq_ready;
  always_ff @(posedge clk_i) begin
    if (mem_req && mem_we && win_cmd_lo) cmd_lo_q <= mem_wdata;
  end
  pnm_fifo #(.Width(CmdW), .Depth(CmdDepth)) u_cmdq (
    .clk_i, .rst_ni, .flush_i(cq_flush),
    .valid_i(cq_push), .ready_o(cq_ready), .data_i({mem_wdata, cmd_lo_q}),
    .valid_o(cq_valid), .ready_i(cq_pop), .data_o(cq_head),
    .usage_o(cq_usage), .full_o(unused_cq_full), .empty_o(unused_cq_empty)
  );

  // ======================= units ============================================================
  // flash
  logic                 fr_valid, fr_ready;
  logic [FlashAw-1:0]   fr_addr;
  logic [31:0]          fr_len;
  logic                 fq_valid, fq_ready, fq_last, fq_poison, fq_unc;
  logic [LaneBytes*8-1:0] fq_data;
  logic [FlashAw-1:0]   fq_bad_addr;
  logic                 fo_valid, fo_ready, fo_last, fo_poison, fo_unc;
  logic [LaneBytes*8-1:0] fo_data;
  logic [FlashAw-1:0]   fo_bad_addr;
  logic [47:0]          fl_bytes, fl_reads, fl_corr, fl_unc, fl_stall;
  logic [Channels*48-1:0] unused_ch_busy, unused_ch_wait, unused_ch_idle;
  logic [$clog2(LaneBytes+1)-1:0] unused_fo_bytes;
  logic [7:0]           unused_fo_tag;
  logic [15:0]          unused_fo_corr;
  logic [$clog2(RobPages+1)-1:0] fl_rob_hw;
  logic [$clog2(Outstanding+1)-1:0] fl_infl_hw;
  logic [2:0]           unused_req_hw;
  // The flash controller's in-flight limit from FLASH_OUTSTANDING (0, or more than the build's
  // Outstanding, means Outstanding), registered: the 64-bit compare with the CSR then ends at a
  // flop instead of on hbf_ctrl's issue path into its order FIFO (docs/fpga.md, round 22). A
  // write takes effect one cycle later.
  localparam int unsigned OutstW = $clog2(Outstanding + 1);
  function automatic logic [OutstW-1:0] outst_limit(input logic [63:0] v);
    outst_limit = (v > 64'(Outstanding) || v == '0) ? OutstW'(Outstanding) : OutstW'(v);
  endfunction
  logic [OutstW-1:0] outst_cfg;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) outst_cfg <= outst_limit(pnm_csr_pkg::CSR_FLASH_OUTSTANDING_RESET);
    else         outst_cfg <= outst_limit(flash_outst);
  end
  hbf_ctrl #(
    .Channels(Channels), .Dies(Dies), .Planes(Planes), .Blocks(Blocks), .Pages(Pages),
    .PageBytes(PageBytes), .ChBytes(ChBytes), .LaneBytes(LaneBytes), .Outstanding(Outstanding),
    .RobPages(RobPages), .RemapEntries(RemapEntries), .TagWidth(8), .LenWidth(32), .CntWidth(48),
    .RobReadReg(RobReadReg)
  ) u_flash (
    .clk_i, .rst_ni, .cfg_outstanding_i(outst_cfg),
    .remap_we_i(bad_block_we && (32'(bad_block_idx) < RemapEntries)),
    .remap_waddr_i(($clog2(RemapEntries))'(bad_block_idx)),
    .remap_wdata_i(bad_block[1 + ChW + DieW + PlaneW + 2*BlockW - 1:0]),
    .req_valid_i(fr_valid), .req_ready_o(fr_ready), .req_addr_i(fr_addr), .req_len_i(fr_len),
    .req_tag_i(8'd0),
    .out_valid_o(fq_valid), .out_ready_i(fq_ready), .out_data_o(fq_data),
    .out_bytes_o(unused_fo_bytes), .out_last_o(fq_last), .out_poison_o(fq_poison),
    .out_tag_o(unused_fo_tag), .out_corrected_o(unused_fo_corr),
    .out_uncorrectable_o(fq_unc), .out_bad_addr_o(fq_bad_addr),
    .ch_cmd_valid_o, .ch_cmd_ready_i, .ch_cmd_die_o, .ch_cmd_plane_o, .ch_cmd_block_o,
    .ch_cmd_page_o, .ch_cmd_tag_o,
    .ch_rd_valid_i, .ch_rd_ready_o, .ch_rd_tag_i, .ch_rd_data_i, .ch_rd_ecc_i, .ch_rd_last_i,
    .cnt_bytes_o(fl_bytes), .cnt_reads_o(fl_reads), .cnt_corrected_o(fl_corr),
    .cnt_uncorrectable_o(fl_unc), .cnt_out_stall_o(fl_stall),
    .cnt_ch_busy_o(unused_ch_busy), .cnt_ch_wait_o(unused_ch_wait), .cnt_ch_idle_o(unused_ch_idle),
    .rob_high_water_o(fl_rob_hw), .inflight_high_water_o(fl_infl_hw),
    .req_high_water_o(unused_req_hw)
  );

  // The weight stream crosses the die from the flash controller's output to the GEMV: a spill
  // register in between ends the GEMV's ready (head command, beat count, row credit) at flops
  // here instead of at hbf_ctrl's output register (docs/fpga.md round 18). One cycle more at the
  // start of a stream, full throughput after. The node watches the stream on the GEMV's side.
  pnm_spill_reg #(
    .Width(LaneBytes*8 + 3 + FlashAw)
  ) u_weight_reg (
    .clk_i, .rst_ni,
    .valid_i(fq_valid), .ready_o(fq_ready),
    .data_i({fq_data, fq_last, fq_poison, fq_unc, fq_bad_addr}),
    .valid_o(fo_valid), .ready_i(fo_ready),
    .data_o({fo_data, fo_last, fo_poison, fo_unc, fo_bad_addr})
  );

  // GEMV
  logic                   act_we, rq_we, g_cmd_valid, g_cmd_ready, g_res_valid, g_res_ready;
  logic [GSlotW+ActAddrW:0] act_waddr;
  logic [LaneBytes*8-1:0] act_stage_q;
  logic [gemv_pkg::RqWidth-1:0] rq_wdata;
  logic [RqAddrW-1:0]     rq_waddr;
  logic [RowWidth-1:0]    g_res_row;
  logic [GSlotW-1:0]      g_res_batch;
  logic [31:0]            g_res_value;
  logic                   g_res_last, unused_g_int8, g_err_valid, g_busy_now;
  logic [gemv_pkg::ErrWidth-1:0] g_err_code;
  logic [47:0]            g_busy, g_starved, g_blocked, g_macs, g_cmds, unused_g_errs;
  logic [RowWidth-1:0]    ex_rows;
  logic [KWidth-1:0]      ex_k;
  logic [BatchW-1:0]      ex_batch;
  logic [ActAddrW-1:0]    ex_xbase;
  logic [RqAddrW-1:0]     ex_rqbase;
  logic                   ex_int4, ex_requant, ex_rq_per_row;
  logic                   g_w_valid, g_w_ready;   // the weight stream after the drop (below)
  gemv_unit #(
    .LaneBytes(LaneBytes), .MaxBatch(MaxBatch), .MaxK(MaxK), .RowWidth(RowWidth),
    .RqEntries(RqEntries), .CntWidth(48), .MulCells(MulCells)
  ) u_gemv (
    .clk_i, .rst_ni,
    .act_we_i(act_we), .act_waddr_i(act_waddr), .act_wdata_i(act_stage_q),
    .rq_we_i(rq_we), .rq_waddr_i(rq_waddr), .rq_wdata_i(rq_wdata),
    .cmd_valid_i(g_cmd_valid), .cmd_ready_o(g_cmd_ready), .cmd_rows_i(ex_rows), .cmd_k_i(ex_k),
    .cmd_int4_i(ex_int4), .cmd_batch_i(ex_batch), .cmd_x_base_i(ex_xbase),
    .cmd_requant_i(ex_requant), .cmd_rq_per_row_i(ex_rq_per_row), .cmd_rq_base_i(ex_rqbase),
    .w_valid_i(g_w_valid), .w_ready_o(g_w_ready), .w_data_i(fo_data),
    .res_valid_o(g_res_valid), .res_ready_i(g_res_ready), .res_row_o(g_res_row),
    .res_batch_o(g_res_batch), .res_value_o(g_res_value), .res_int8_o(unused_g_int8),
    .res_last_o(g_res_last), .err_valid_o(g_err_valid), .err_code_o(g_err_code),
    .busy_o(g_busy_now), .cnt_busy_o(g_busy), .cnt_starved_o(g_starved),
    .cnt_blocked_o(g_blocked), .cnt_macs_o(g_macs), .cnt_cmds_o(g_cmds),
    .cnt_errs_o(unused_g_errs)
  );

  // Activation writes: 64-bit beats gather into a lane word, written with its last beat.
  // Address: slot = addr / MaxK, element = addr % MaxK; lane word w = element / LaneBytes.
  localparam int unsigned ActOff = 32'h100000;
  logic [AxiAddrW-1:0] act_off;
  logic [GSlotW-1:0]   act_slot;
  logic [$clog2(MaxK)-1:0] act_elem;
  assign act_off  = mem_addr - AxiAddrW'(ActOff);
  assign act_slot = GSlotW'(act_off / AxiAddrW'(MaxK));
  assign act_elem = act_off[$clog2(MaxK)-1:0];
  always_ff @(posedge clk_i) begin
    if (mem_req && mem_we && win_act) begin
      for (int unsigned b = 0; b < 8; b++) begin
        if (mem_wstrb[b]) act_stage_q[(act_elem[$clog2(LaneBytes)-1:3] * 64) + b*8 +: 8] <= mem_wdata[b*8 +: 8];
      end
    end
  end
  logic act_last_beat_q;
  logic [GSlotW+ActAddrW:0] act_waddr_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_last_beat_q <= 1'b0;
      act_waddr_q     <= '0;
    end else begin
      act_last_beat_q <= mem_req && mem_we && win_act && mem_ready &&
                         (act_elem[$clog2(LaneBytes)-1:3] == '1);
      act_waddr_q     <= {act_slot, act_elem[$clog2(MaxK)-1:$clog2(LaneBytes)]};
    end
  end
  assign act_we    = act_last_beat_q;
  assign act_waddr = act_waddr_q;

  // collective engine and its buffer
  logic                 ce_cmd_valid, ce_cmd_ready, ce_done, ce_err_valid;
  logic [ring_pkg::OpWidth-1:0] ce_op;
  logic [BufElemW:0]    ce_len;
  logic [BufAw-1:0]     ce_base;
  logic [NodeWidth-1:0] ce_peer;
  logic [ring_pkg::ErrWidth-1:0] ce_err_code;
  logic                 buf_valid, buf_ready, buf_we, buf_rvalid;
  logic [BufAw-1:0]     buf_addr;
  logic [FlitBytes*8-1:0] buf_wdata, buf_rdata;
  logic [Elems-1:0]     buf_wmask;
  logic [47:0]          ring_ops, ring_busy, ring_last, unused_ring_errs;
  logic [2*48-1:0]      ring_out, ring_in, unused_ring_src;
  collective_engine #(
    .NumNodes(NumNodes), .FlitBytes(FlitBytes), .BufFlits(BufFlits),
    .ChunkFlits((VcDepth - 1) / 2), .CntWidth(48), .Ring(Ring)
  ) u_coll (
    .clk_i, .rst_ni, .node_id_i,
    .cmd_valid_i(ce_cmd_valid), .cmd_ready_o(ce_cmd_ready), .cmd_op_i(ce_op),
    .cmd_len_i(ce_len), .cmd_base_i(ce_base), .cmd_peer_i(ce_peer),
    .done_o(ce_done), .err_valid_o(ce_err_valid), .err_code_o(ce_err_code),
    .inj_valid_o, .inj_ready_i, .inj_data_o, .ej_valid_i, .ej_ready_o, .ej_data_i,
    .buf_valid_i(buf_valid), .buf_ready_o(buf_ready), .buf_we_i(buf_we), .buf_addr_i(buf_addr),
    .buf_wdata_i(buf_wdata), .buf_wmask_i(buf_wmask), .buf_rvalid_o(buf_rvalid),
    .buf_rdata_o(buf_rdata),
    .cnt_ops_o(ring_ops), .cnt_busy_o(ring_busy), .cnt_last_cycles_o(ring_last),
    .cnt_errs_o(unused_ring_errs), .cnt_out_flits_o(ring_out),
    .cnt_in_flits_o(ring_in), .cnt_src_err_o(unused_ring_src)
  );

  // ======================= sequencer ========================================================
  // Issue stage: checks the queue head, sends its flash read, passes it on.
  localparam int unsigned ExW = CmdW + 8;   // {error code, command}
  logic            iq_valid, iq_ready, ex_valid, ex_pop;
  logic [ExW-1:0]  iq_data, ex_head;
  logic            halted_q, issue_stop_q;
  logic [7:0]      chk;
  logic [7:0]      op;
  logic            is_gemv, is_pf, needs_flash;
  logic [35:0]     w_addr64;
  localparam int unsigned FlashExtW = 36 + 6 + 1;  // byte addresses of the ISA, no wrap
  logic [FlashExtW-1:0] f_start;
  logic                 f_past_end;    // step 2: f_start + f_bytes is past the flash
  logic [FlashExtW-1:0] f_bytes;       // full width: a product of 2^32 or more is an error
  logic [RowWidth-1:0] c_rows;
  logic [16:0]     c_k;
  logic [3:0]      c_batch;
  logic [16:0]     c_xbase;
  logic [8:0]      c_rqbase;
  logic            pf_pending_q;
  logic [35:0]     pf_addr_q;
  logic [FlashExtW-1:0] pf_bytes_q;

  // Check pipeline: the queue head moves into hd_cmd_q and is checked over four cycles
  // (step 0: the padded row length in lane words, the GEMV's field checks and the room after
  // the start addresses; step 1: the products rows x lane words and batch x rows, and the
  // result bound; step 2: the flash bound and every check that needs no sequencer state;
  // step 3: the prefetch checks and the issue decision), so no path runs from the queue memory
  // through a multiplier to the issue decision, and the multiplier's operands come from flops.
  logic            hd_valid_q, hd_pop;
  logic [1:0]      hd_step_q;
  logic [CmdW-1:0] hd_cmd_q;
  logic [16:0]     p_lanes_q;           // step 1 on: lane words per padded row
  logic            p_gbad_q;            // step 1 on: the GEMV's field checks failed
  // The length product takes the low RowMulW bits of rows (one 18 x 18 multiplier on an FPGA);
  // more rows than that cannot fit the result buffer (RowMulWCoversBuffer_A), and are a range
  // error below either way.
  localparam int unsigned RowMulW = 18;
  logic [FlashExtW-1:0] p_fbytes_q;     // step 2 on: rows x row bytes (GEMV) or PREFETCH bytes
  localparam int unsigned OutW = BufElemW + RowWidth + 5;
  logic [OutW-1:0] p_brows_q;           // step 1 on: batch x rows
  // The bounds as room left after the start addresses (registered at step 0), so the checks
  // compare a length with a register instead of adding then comparing (docs/fpga.md round 19).
  localparam logic [FlashExtW-1:0] FlashLim = FlashExtW'(64'(1) << FlashAw);
  localparam logic [OutW-1:0]      OutLim   = OutW'(BufFlits * Elems);
  logic [OutW-1:0]      out_start;
  logic [FlashExtW-1:0] p_froom_q;      // step 1 on: bytes from f_start to the end of the flash
  logic                 p_fpast_q;      // step 1 on: f_start itself is past it
  logic [OutW-1:0]      p_oroom_q;      // step 1 on: elements from out_start to the buffer's end
  logic                 p_opast_q;      // step 1 on: out_start itself is past it
  logic                 p_obad_q;       // step 2 on: the results run past the result buffer
  logic [7:0]      chk_s, chk_s_q;      // checks without sequencer state; registered at step 3
  assign cq_pop = cq_valid && !hd_valid_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      hd_valid_q <= 1'b0;
      hd_step_q  <= '0;
    end else if (cq_flush || hd_pop) begin
      hd_valid_q <= 1'b0;
      hd_step_q  <= '0;
    end else if (cq_pop) begin
      hd_valid_q <= 1'b1;
      hd_step_q  <= 2'd0;
    end else if (hd_valid_q && hd_step_q != 2'd3) begin
      hd_step_q  <= hd_step_q + 2'd1;
    end
  end
  always_ff @(posedge clk_i) begin
    if (cq_pop) hd_cmd_q <= cq_head;
    p_lanes_q  <= hd_cmd_q[pnm_isa_pkg::ISA_GEMV_INT4_LSB] ? lanes_i4 : lanes_i8;
    p_gbad_q   <= gbad;
    p_fbytes_q <= is_gemv ? FlashExtW'(64'(c_rows[RowMulW-1:0]) * 64'(p_lanes_q)) << $clog2(LaneBytes)
                          : FlashExtW'(hd_cmd_q[pnm_isa_pkg::ISA_PREFETCH_BYTES_LSB +: 32]);
    p_brows_q  <= brows;
    p_fpast_q  <= f_start > FlashLim;
    p_froom_q  <= FlashLim - f_start;
    p_opast_q  <= out_start > OutLim;
    p_oroom_q  <= OutLim - out_start;
    p_obad_q   <= p_opast_q || p_brows_q > p_oroom_q;
    chk_s_q    <= chk_s;
  end

  assign op       = hd_cmd_q[pnm_isa_pkg::ISA_OPCODE_LSB +: pnm_isa_pkg::ISA_OPCODE_W];
  assign is_gemv  = (op == pnm_isa_pkg::ISA_OP_GEMV);
  assign is_pf    = (op == pnm_isa_pkg::ISA_OP_PREFETCH);
  assign c_rows   = hd_cmd_q[pnm_isa_pkg::ISA_GEMV_ROWS_LSB +: pnm_isa_pkg::ISA_GEMV_ROWS_W];
  assign c_k      = 17'(hd_cmd_q[pnm_isa_pkg::ISA_GEMV_K_LSB +: pnm_isa_pkg::ISA_GEMV_K_W]);
  assign c_batch  = 4'(hd_cmd_q[pnm_isa_pkg::ISA_GEMV_BATCH_LSB +: pnm_isa_pkg::ISA_GEMV_BATCH_W]);
  assign c_xbase  = 17'(hd_cmd_q[pnm_isa_pkg::ISA_GEMV_X_BASE_LSB +: pnm_isa_pkg::ISA_GEMV_X_BASE_W]);
  assign c_rqbase = 9'(hd_cmd_q[pnm_isa_pkg::ISA_GEMV_RQ_BASE_LSB +: pnm_isa_pkg::ISA_GEMV_RQ_BASE_W]);
  // Padded row: ceil(k / elements per lane word) lane words (registered at step 0).
  logic [16:0] lanes_i4, lanes_i8;
  assign lanes_i4  = (c_k + 17'(2*LaneBytes - 1)) >> $clog2(2*LaneBytes);
  assign lanes_i8  = (c_k + 17'(LaneBytes - 1)) >> $clog2(LaneBytes);
  assign w_addr64 = is_gemv ? hd_cmd_q[pnm_isa_pkg::ISA_GEMV_W_ADDR_LSB +: 36]
                            : hd_cmd_q[pnm_isa_pkg::ISA_PREFETCH_W_ADDR_LSB +: 36];
  assign f_bytes  = p_fbytes_q;
  assign f_start  = FlashExtW'({w_addr64, 6'd0});
  assign f_past_end = p_fpast_q || f_bytes > p_froom_q;
  // batch x rows as shifted adds of the 4-bit batch, not a multiplier: a DSP block's output
  // routing sat in front of the result bound (docs/fpga.md round 19).
  logic [OutW-1:0] brows;
  always_comb begin
    brows = '0;
    for (int unsigned j = 0; j < 4; j++) begin
      if (c_batch[j]) brows = brows + (OutW'(c_rows) << j);
    end
  end
  assign out_start  = OutW'({hd_cmd_q[pnm_isa_pkg::ISA_GEMV_OUT_BASE_LSB +: 16], 3'd0});
  assign needs_flash = (is_gemv && !(pf_pending_q && pf_addr_q == w_addr64 && pf_bytes_q == f_bytes))
                    || is_pf;

  // The GEMV's own field checks, registered at step 0 (they need no product).
  logic        gbad;
  logic [31:0] rq_need, rq_end;  // at full width: a 9-bit sum would wrap for 512 rows or more
  assign rq_need = hd_cmd_q[pnm_isa_pkg::ISA_GEMV_RQ_PER_ROW_LSB] ? 32'(c_rows) : 32'd1;
  assign rq_end  = 32'(c_rqbase) + rq_need;
  assign gbad   = c_rows == '0 || c_k == '0 || c_k > 17'(MaxK) || c_batch == '0 ||
                  c_batch > 4'(MaxBatch) || c_xbase[$clog2(2*LaneBytes)-1:0] != '0 ||
                  c_xbase + c_k > 17'(MaxK) ||
                  (hd_cmd_q[pnm_isa_pkg::ISA_GEMV_REQUANT_LSB] && rq_end > RqEntries);

  // Step 2: the checks that need no sequencer state.
  always_comb begin
    chk_s = ERR_NONE;
    unique case (op)
      pnm_isa_pkg::ISA_OP_GEMV: begin
        if (p_gbad_q) chk_s = ERR_GEMV;
        // (The request length port is 32 bits; the buffer bound keeps rows x row bytes far
        // below 2^32 in every configuration, but a wider one must not wrap silently.)
        else if (f_past_end || f_bytes[FlashExtW-1:32] != '0 ||
                 c_rows[RowWidth-1:RowMulW] != '0 || p_obad_q)
          chk_s = ERR_RANGE;
      end
      pnm_isa_pkg::ISA_OP_PREFETCH: begin
        if (f_bytes == '0 || f_past_end) chk_s = ERR_RANGE;
      end
      pnm_isa_pkg::ISA_OP_REQUANT, pnm_isa_pkg::ISA_OP_FENCE, pnm_isa_pkg::ISA_OP_SIGNAL,
      pnm_isa_pkg::ISA_OP_ALLREDUCE, pnm_isa_pkg::ISA_OP_ALLGATHER,
      pnm_isa_pkg::ISA_OP_BROADCAST: chk_s = ERR_NONE;  // the collective engine checks its own
      default: chk_s = ERR_OPCODE;
    endcase
    if (op != pnm_isa_pkg::ISA_OP_REQUANT) begin
      // REQUANT's index is 8 bits; the table may be smaller.
    end else if (32'(hd_cmd_q[pnm_isa_pkg::ISA_REQUANT_INDEX_LSB +: 8]) >= RqEntries) begin
      chk_s = ERR_RANGE;
    end
  end

  // Step 3: a GEMV must match a pending PREFETCH; a PREFETCH must not find one pending.
  always_comb begin
    chk = chk_s_q;
    if (chk_s_q == ERR_NONE && pf_pending_q &&
        ((is_gemv && !(pf_addr_q == w_addr64 && pf_bytes_q == f_bytes)) || is_pf))
      chk = ERR_PREFETCH;
  end

  // The flash request goes out when the head is checked; the head moves on once it went out.
  logic fr_sent_q;
  logic hd_ready;
  assign hd_ready = hd_valid_q && hd_step_q == 2'd3;
  assign fr_valid = hd_ready && !issue_stop_q && (chk == ERR_NONE) && needs_flash && !fr_sent_q;
  assign fr_addr  = FlashAw'(f_start);
  assign fr_len   = f_bytes[31:0];
  assign iq_valid = hd_ready && !issue_stop_q &&
                    ((chk != ERR_NONE) || !needs_flash || fr_sent_q || (fr_valid && fr_ready));
  assign iq_data  = {chk, hd_cmd_q};
  assign hd_pop   = iq_valid && iq_ready;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fr_sent_q    <= 1'b0;
      issue_stop_q <= 1'b0;
      pf_pending_q <= 1'b0;
      pf_addr_q    <= '0;
      pf_bytes_q   <= '0;
    end else if (cq_flush) begin
      fr_sent_q    <= 1'b0;
      issue_stop_q <= 1'b0;
      pf_pending_q <= 1'b0;
    end else begin
      if (fr_valid && fr_ready && !iq_ready) fr_sent_q <= 1'b1;
      if (hd_pop) begin
        fr_sent_q <= 1'b0;
        if (chk != ERR_NONE) issue_stop_q <= 1'b1;
        if (chk == ERR_NONE && is_pf) begin
          pf_pending_q <= 1'b1;
          pf_addr_q    <= w_addr64;
          pf_bytes_q   <= f_bytes;
        end else if (chk == ERR_NONE && is_gemv) begin
          pf_pending_q <= 1'b0;
        end
      end
    end
  end

  logic [$clog2(5)-1:0] unused_iq_usage;
  logic                 unused_iq_full, unused_iq_empty;
  logic                 iq_out_valid;
  logic [ExW-1:0]       iq_out;
  pnm_fifo #(.Width(ExW), .Depth(4)) u_issueq (
    .clk_i, .rst_ni, .flush_i(cq_flush),
    .valid_i(iq_valid), .ready_o(iq_ready), .data_i(iq_data),
    .valid_o(iq_out_valid), .ready_i(!ex_valid), .data_o(iq_out),
    .usage_o(unused_iq_usage), .full_o(unused_iq_full), .empty_o(unused_iq_empty)
  );

  // Execute-stage head register: the command under execution comes from flops, and the issue
  // queue is popped only into an empty register (its ready depends on no execute-stage logic),
  // which costs one cycle between commands.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                       ex_valid <= 1'b0;
    else if (cq_flush || ex_pop)       ex_valid <= 1'b0;
    else if (iq_out_valid)             ex_valid <= 1'b1;
  end
  always_ff @(posedge clk_i) begin
    if (!ex_valid && iq_out_valid) ex_head <= iq_out;
  end

  // Execute stage.
  typedef enum logic [1:0] {EX_IDLE, EX_GEMV, EX_COLL} ex_state_e;
  ex_state_e ex_q;
  logic [CmdW-1:0] exc;
  logic [7:0]      ex_chk, ex_op;
  assign exc    = ex_head[CmdW-1:0];
  assign ex_chk = ex_head[CmdW +: 8];
  assign ex_op  = exc[pnm_isa_pkg::ISA_OPCODE_LSB +: pnm_isa_pkg::ISA_OPCODE_W];

  assign ex_rows       = exc[pnm_isa_pkg::ISA_GEMV_ROWS_LSB +: RowWidth];
  assign ex_k          = KWidth'(exc[pnm_isa_pkg::ISA_GEMV_K_LSB +: pnm_isa_pkg::ISA_GEMV_K_W]);
  assign ex_int4       = exc[pnm_isa_pkg::ISA_GEMV_INT4_LSB];
  assign ex_requant    = exc[pnm_isa_pkg::ISA_GEMV_REQUANT_LSB];
  assign ex_rq_per_row = exc[pnm_isa_pkg::ISA_GEMV_RQ_PER_ROW_LSB];
  assign ex_batch      = BatchW'(exc[pnm_isa_pkg::ISA_GEMV_BATCH_LSB +: pnm_isa_pkg::ISA_GEMV_BATCH_W]);
  assign ex_xbase      = ActAddrW'(exc[pnm_isa_pkg::ISA_GEMV_X_BASE_LSB +: pnm_isa_pkg::ISA_GEMV_X_BASE_W]
                                   >> $clog2(2*LaneBytes));
  assign ex_rqbase     = RqAddrW'(exc[pnm_isa_pkg::ISA_GEMV_RQ_BASE_LSB +: pnm_isa_pkg::ISA_GEMV_RQ_BASE_W]);
  assign rq_waddr      = RqAddrW'(exc[pnm_isa_pkg::ISA_REQUANT_INDEX_LSB +: 8]);
  assign rq_wdata      = {exc[pnm_isa_pkg::ISA_REQUANT_ZP_LSB +: 8],
                          exc[pnm_isa_pkg::ISA_REQUANT_SHIFT_LSB +: 5],
                          exc[pnm_isa_pkg::ISA_REQUANT_M0_LSB +: 32]};

  logic            run, ex_start, ex_done, g_cmd_sent_q, ce_sent_q, g_last_seen_q;
  logic [7:0]      err_code_q, err_detail_q;
  logic [31:0]     err_index_q, ex_index_q, completed_q, sig_tag_q;
  logic [FlashAw-1:0] err_addr_q;
  logic            flash_bad_q;
  logic            fo_take;         // a weight beat delivered to the GEMV (not dropped, below)
  logic            drop_q;          // dropping the weights of cleared commands (below)
  logic            flush_q;         // the cycle after a clear (below)
  logic [63:0]     wd_q;
  logic            wd_hit_q;
  logic            set_err;
  logic [7:0]      set_code, set_detail;
  assign run      = ctrl[pnm_csr_pkg::CSR_CTRL_RUN_LSB] && !halted_q;
  assign ex_start = run && ex_valid && (ex_q == EX_IDLE) && !cq_flush;  // a clear drops it too
  // CLEAR.queue acts the cycle after its register write: the write decode from the AXI slave
  // reached the execute stage's clock enables through ex_start in one cycle (docs/fpga.md
  // round 30). A command that starts in the write's cycle is treated as one started before the
  // clear (a GEMV then keeps it from acting, as any GEMV running at a clear does).
  logic clr_queue_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) clr_queue_q <= 1'b0;
    else         clr_queue_q <= clear_we && clear[pnm_csr_pkg::CSR_CLEAR_QUEUE_LSB];
  end
  assign cq_flush = clr_queue_q && (ex_q != EX_GEMV);

  // GEMV results into the result buffer: element out_base*Elems + batch*rows + row. The unit
  // sends a row's batch entries in order 0, 1, ...; out_base*Elems + batch*rows is kept as a
  // running start (out_base*Elems at batch 0, + rows per entry), so no multiplier and a single
  // adder sit on the result path (FPGA timing, docs/fpga.md).
  localparam int unsigned ResW = BufElemW + RowWidth + 5;
  logic [ResW-1:0] res_elem, res_base, res_start, res_start_q;
  logic [GSlotW-1:0] last_batch_q;
  assign res_base  = ResW'({exc[pnm_isa_pkg::ISA_GEMV_OUT_BASE_LSB +: 16], 3'd0});
  assign res_start = (g_res_batch == '0) ? res_base : res_start_q;
  assign res_elem  = res_start + ResW'(g_res_row);
  always_ff @(posedge clk_i) begin
    if (g_res_valid && g_res_ready) begin
      res_start_q  <= res_start + ResW'(ex_rows);
      last_batch_q <= g_res_batch;
    end
  end
  `PNM_ASSERT_IMPLIES(ResBatchInOrder_A, g_res_valid && g_res_batch != '0,
                      g_res_batch == last_batch_q + 1'b1, clk_i, rst_ni)

  // The result write is registered: a result is taken into rw_*_q (flit address, lane, value)
  // and written to the buffer from there, one per cycle, so the element adder does not sit in
  // front of the buffer's address port (FPGA timing, docs/fpga.md round 7). A GEMV is done when
  // its last result has reached the buffer.
  localparam int unsigned LaneW = $clog2(Elems);
  logic              rw_valid_q, rw_last_q, rw_fire;
  logic [BufAw-1:0]  rw_addr_q;
  logic [LaneW-1:0]  rw_lane_q;
  logic [31:0]       rw_value_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rw_valid_q <= 1'b0;
    end else if (g_res_valid && g_res_ready) begin
      rw_valid_q <= 1'b1;
    end else if (rw_fire) begin
      rw_valid_q <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (g_res_valid && g_res_ready) begin
      rw_addr_q  <= BufAw'(res_elem >> LaneW);
      rw_lane_q  <= res_elem[LaneW-1:0];
      rw_value_q <= g_res_value;
      rw_last_q  <= g_res_last;
    end
  end

  // Buffer port: GEMV results first, then the host.
  logic host_res, res_w;
  assign res_w       = rw_valid_q;
  assign rw_fire     = rw_valid_q && buf_ready;
  assign host_res    = mem_req && win_res && !res_w;
  assign g_res_ready = (ex_q == EX_GEMV) && (!rw_valid_q || buf_ready);
  always_comb begin
    buf_valid = res_w || host_res;
    buf_we    = res_w ? 1'b1 : mem_we;
    buf_addr  = res_w ? rw_addr_q : BufAw'(mem_addr[BufAw+4:5]);
    buf_wdata = '0;
    buf_wmask = '0;
    if (res_w) begin
      for (int unsigned e = 0; e < Elems; e++) begin
        buf_wdata[e*32 +: 32] = rw_value_q;
        buf_wmask[e] = (rw_lane_q == LaneW'(e));
      end
    end else begin
      for (int unsigned e = 0; e < Elems; e++) begin
        buf_wdata[e*32 +: 32] = mem_wdata[(e % 2)*32 +: 32];
        buf_wmask[e] = (mem_addr[4:3] == 2'(e / 2)) && (mem_wstrb[(e % 2)*4 +: 4] != '0);
      end
    end
  end

  // Host port: who answers which beat.
  logic res_sel_q;
  logic [1:0] res_word_q;
  always_comb begin
    mem_ready = 1'b1;
    mem_err   = 1'b0;
    if (win_csr)      mem_err = !csr_hit;
    else if (win_cmd) mem_err = !mem_we || !(win_cmd_lo || win_cmd_hi) || (win_cmd_hi && !cq_ready);
    else if (win_act) mem_err = !mem_we || (32'(act_off) >= MaxBatch * MaxK);
    else if (win_res) begin
      mem_ready = !res_w && buf_ready;
      mem_err   = 32'(mem_addr[21:0]) >= BufFlits * FlitBytes;  // offset in the window
    end else mem_err = 1'b1;
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mem_rvalid_q <= 1'b0;
      res_sel_q    <= 1'b0;
      res_word_q   <= '0;
    end else begin
      mem_rvalid_q <= mem_req && !mem_we && mem_ready;
      res_sel_q    <= win_res;
      res_word_q   <= mem_addr[4:3];
    end
  end
  assign mem_rdata = res_sel_q ? buf_rdata[res_word_q*64 +: 64] : csr_rdata;

  // Collective command fields.
  always_comb begin
    ce_op   = ring_pkg::RING_OP_ALLREDUCE;
    if (ex_op == pnm_isa_pkg::ISA_OP_ALLGATHER) ce_op = ring_pkg::RING_OP_ALLGATHER;
    if (ex_op == pnm_isa_pkg::ISA_OP_BROADCAST) ce_op = ring_pkg::RING_OP_BROADCAST;
    ce_len  = (BufElemW+1)'(exc[pnm_isa_pkg::ISA_ALLREDUCE_LEN_LSB +: 20]);
    ce_base = BufAw'(exc[pnm_isa_pkg::ISA_ALLREDUCE_BASE_LSB +: 16]);
    ce_peer = NodeWidth'(exc[pnm_isa_pkg::ISA_BROADCAST_ROOT_LSB +: 8]);
  end
  assign ce_cmd_valid = (ex_q == EX_COLL) && !ce_sent_q;
  assign g_cmd_valid  = (ex_q == EX_GEMV) && !g_cmd_sent_q;
  assign rq_we        = ex_start && ex_chk == ERR_NONE && ex_op == pnm_isa_pkg::ISA_OP_REQUANT;

  logic gemv_done, coll_done;
  assign gemv_done = (ex_q == EX_GEMV) &&
                     (g_last_seen_q || (rw_fire && rw_last_q));
  assign coll_done = (ex_q == EX_COLL) && (ce_done || (ce_err_valid && !ce_sent_q));
  assign ex_done   = gemv_done || coll_done ||
                     (ex_start && ex_chk == ERR_NONE &&
                      ex_op != pnm_isa_pkg::ISA_OP_GEMV && ex_op != pnm_isa_pkg::ISA_OP_ALLREDUCE &&
                      ex_op != pnm_isa_pkg::ISA_OP_ALLGATHER && ex_op != pnm_isa_pkg::ISA_OP_BROADCAST);
  assign ex_pop    = ex_done || (ex_start && ex_chk != ERR_NONE);

  always_comb begin
    set_err    = 1'b0;
    set_code   = ERR_NONE;
    set_detail = '0;
    if (ex_start && ex_chk != ERR_NONE) begin
      set_err = 1'b1; set_code = ex_chk;
    end else if (coll_done && ce_err_valid) begin
      set_err = 1'b1; set_code = ERR_RING; set_detail = 8'(ce_err_code);
    end else if (gemv_done && flash_bad_q) begin
      set_err = 1'b1; set_code = ERR_FLASH;
    end else if (g_err_valid) begin
      set_err = 1'b1; set_code = ERR_GEMV; set_detail = 8'(g_err_code);
    end else if (ex_q != EX_IDLE && wd_hit_q) begin
      set_err = 1'b1; set_code = ERR_WATCHDOG;
    end else if (mem_req && mem_we && win_cmd_hi && !cq_ready) begin
      set_err = 1'b1; set_code = ERR_QUEUE_FULL;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ex_q          <= EX_IDLE;
      g_cmd_sent_q  <= 1'b0;
      ce_sent_q     <= 1'b0;
      g_last_seen_q <= 1'b0;
      halted_q      <= 1'b0;
      err_code_q    <= ERR_NONE;
      err_detail_q  <= '0;
      err_index_q   <= '0;
      err_addr_q    <= '0;
      ex_index_q    <= '0;
      completed_q   <= '0;
      sig_tag_q     <= '0;
      flash_bad_q   <= 1'b0;
      wd_q          <= '0;
      wd_hit_q      <= 1'b0;
    end else begin
      if (cq_flush) begin
        halted_q   <= 1'b0;
        ex_index_q <= '0;
      end
      if (ex_start) begin
        g_cmd_sent_q  <= 1'b0;
        ce_sent_q     <= 1'b0;
        g_last_seen_q <= 1'b0;
        flash_bad_q   <= 1'b0;
        if (ex_chk == ERR_NONE && ex_op == pnm_isa_pkg::ISA_OP_GEMV) ex_q <= EX_GEMV;
        if (ex_chk == ERR_NONE && (ex_op == pnm_isa_pkg::ISA_OP_ALLREDUCE ||
            ex_op == pnm_isa_pkg::ISA_OP_ALLGATHER || ex_op == pnm_isa_pkg::ISA_OP_BROADCAST))
          ex_q <= EX_COLL;
        if (ex_chk == ERR_NONE && ex_op == pnm_isa_pkg::ISA_OP_SIGNAL)
          sig_tag_q <= exc[pnm_isa_pkg::ISA_SIGNAL_TAG_LSB +: 32];
      end
      if (g_cmd_valid && g_cmd_ready) g_cmd_sent_q <= 1'b1;
      if (ce_cmd_valid && ce_cmd_ready) ce_sent_q <= 1'b1;
      if (fo_take && fo_last && (fo_poison || fo_unc) && !flash_bad_q) begin
        flash_bad_q <= 1'b1;
        err_addr_q  <= fo_bad_addr;
      end
      if (ex_done || (ex_start && ex_chk != ERR_NONE)) begin
        ex_q       <= EX_IDLE;
        ex_index_q <= ex_index_q + 1'b1;
        if (ex_done) completed_q <= completed_q + 1'b1;
      end
      if (set_err && !halted_q) begin
        halted_q     <= 1'b1;
        err_code_q   <= set_code;
        err_detail_q <= set_detail;
        err_index_q  <= ex_index_q;
      end
      // Watchdog: cycles without progress while a command runs. The 64-bit compare is
      // registered (a 32-cell carry chain in front of the error priority logic was the FPGA
      // build's critical path, docs/fpga.md round 26), so the error is raised one cycle after
      // the count reaches WATCHDOG; the command must still be running then.
      wd_hit_q <= (ex_q != EX_IDLE) && (watchdog_lim != '0) && (wd_q >= watchdog_lim);
      if (ex_q == EX_IDLE || fo_take || (g_res_valid && g_res_ready) || ce_done)
        wd_q <= '0;
      else
        wd_q <= wd_q + 1'b1;
    end
  end

  always_comb begin
    irq_set = '0;
    irq_set[pnm_csr_pkg::CSR_IRQ_SIGNAL_LSB] = ex_done && ex_op == pnm_isa_pkg::ISA_OP_SIGNAL;
    irq_set[pnm_csr_pkg::CSR_IRQ_ERROR_LSB] = set_err && !halted_q && set_code != ERR_WATCHDOG;
    irq_set[pnm_csr_pkg::CSR_IRQ_WATCHDOG_LSB] = set_err && !halted_q && set_code == ERR_WATCHDOG;
  end
  assign status_v       = {completed_q, 16'(cq_usage) + 16'(hd_valid_q), 14'd0, halted_q,
                           (ex_q != EX_IDLE) || cq_valid || hd_valid_q || iq_out_valid || ex_valid ||
                           drop_q || flush_q};
  assign error_v        = {err_index_q, 16'd0, err_detail_q, err_code_q};
  assign error_addr_v   = 64'(err_addr_q);
  assign signal_tag_v   = 64'(sig_tag_q);

  // Weight data of dropped commands. CLEAR.queue drops the commands behind a halt, but the
  // issue stage reads ahead, so their flash reads may already be out (and a cleared PREFETCH's
  // read too). The node counts the reads in flight (fly_q); the cycle after a clear (which no
  // GEMV survives: a clear waits for a running one and keeps the next from starting), that count
  // becomes the drop count, and while it is not zero the stream's beats are taken from the
  // controller and discarded up to each read's last one, so the next GEMV gets its own weights.
  // The controller answers reads in request order, so the dropped reads are the oldest in
  // flight. In the cycle after a clear no read can go out (the check pipeline was flushed) and
  // no beat is taken but a running drop's, so the count is exact one cycle late, which keeps
  // the issue decision (fr_valid) out of the drop logic (FPGA timing, docs/fpga.md). The GEMV
  // is offered the stream only from its start to its read's last beat (w_open_q), so a beat
  // that is dropped was never offered to it (the stream rule at its input holds).
  localparam int unsigned FlyW = 8;
  logic [FlyW-1:0] fly_q, fly_d, drop_cnt_q, drop_d;
  logic            fr_fire, fo_fire, fo_end, drop_end, w_open_q;
  assign fr_fire   = fr_valid && fr_ready;
  assign fo_fire   = fo_valid && fo_ready;
  assign fo_end    = fo_fire && fo_last;
  assign drop_end  = drop_q && fo_valid && fo_last;   // a dropped read's last beat (fo_ready is 1)
  assign fo_take   = fo_fire && !drop_q;              // a beat delivered to the GEMV
  assign g_w_valid = fo_valid && !drop_q && w_open_q;
  assign fo_ready  = g_w_ready || drop_q;
  always_comb begin
    unique case ({fr_fire, fo_end})
      2'b10:   fly_d = fly_q + 1'b1;
      2'b01:   fly_d = fly_q - 1'b1;
      default: fly_d = fly_q;
    endcase
    drop_d = (flush_q ? fly_q : drop_cnt_q) - FlyW'(drop_end);
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fly_q      <= '0;
      drop_cnt_q <= '0;
      drop_q     <= 1'b0;
      flush_q    <= 1'b0;
      w_open_q   <= 1'b0;
    end else begin
      fly_q      <= fly_d;
      drop_cnt_q <= drop_d;
      drop_q     <= (drop_d != '0);
      flush_q    <= cq_flush;
      if (ex_start && ex_chk == ERR_NONE && ex_op == pnm_isa_pkg::ISA_OP_GEMV) w_open_q <= 1'b1;
      else if (fo_take && fo_last)                                              w_open_q <= 1'b0;
    end
  end
  `PNM_ASSERT_NEVER(NoReadAfterClear_A, flush_q && fr_fire, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(NoBeatAfterClear_A, flush_q && fo_end && !drop_q, clk_i, rst_ni)
  `PNM_ASSERT(DropFlag_A, drop_q == (drop_cnt_q != '0), clk_i, rst_ni)
  `PNM_ASSERT(DropWithinFlight_A, drop_cnt_q <= fly_q, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(FlyOverflow_A, fr_fire && !fo_end && fly_q == '1, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(BeatWithoutRead_A, fo_valid && fly_q == '0, clk_i, rst_ni)

  // ======================= counters =========================================================
  logic [63:0] cyc_q, seq_gemv_q, seq_wait_q, seq_coll_q, seq_idle_q;
  logic        cnt_clear, got_beat_q;
  assign cnt_clear = clear_we && clear[pnm_csr_pkg::CSR_CLEAR_COUNTERS_LSB];
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cyc_q <= '0; seq_gemv_q <= '0; seq_wait_q <= '0; seq_coll_q <= '0; seq_idle_q <= '0;
      got_beat_q <= 1'b0;
    end else if (cnt_clear) begin
      cyc_q <= '0; seq_gemv_q <= '0; seq_wait_q <= '0; seq_coll_q <= '0; seq_idle_q <= '0;
    end else begin
      cyc_q <= cyc_q + 1'b1;
      if (ex_q == EX_GEMV) seq_gemv_q <= seq_gemv_q + 1'b1;
      if (seq_wait_now) seq_wait_q <= seq_wait_q + 1'b1;
      if (ex_q == EX_COLL) seq_coll_q <= seq_coll_q + 1'b1;
      if (seq_idle_now) seq_idle_q <= seq_idle_q + 1'b1;
      if (ex_start) got_beat_q <= 1'b0;
      else if (fo_take) got_beat_q <= 1'b1;
    end
  end
  assign c_cycles = cyc_q;
  assign c_gemv_busy = 64'(g_busy);
  assign c_gemv_starved = 64'(g_starved);
  assign c_gemv_blocked = 64'(g_blocked);
  assign c_gemv_macs = 64'(g_macs);
  assign c_fl_bytes = 64'(fl_bytes);
  assign c_fl_reads = 64'(fl_reads);
  assign c_fl_corr = 64'(fl_corr);
  assign c_fl_unc = 64'(fl_unc);
  assign c_ring_ops = 64'(ring_ops);
  assign c_ring_busy = 64'(ring_busy);
  assign c_ring_last = 64'(ring_last);
  assign c_seq_gemv = seq_gemv_q;
  assign c_seq_gemv_wait = seq_wait_q;
  assign c_seq_coll = seq_coll_q;
  assign c_seq_idle = seq_idle_q;
  assign c_fl_stall = 64'(fl_stall);
  assign c_fl_rob_hw = 64'(fl_rob_hw);
  assign c_fl_infl_hw = 64'(fl_infl_hw);
  assign c_gemv_cmds = 64'(g_cmds);
  assign c_ring_out = 64'(ring_out[47:0]) + 64'(ring_out[95:48]);
  assign c_ring_in = 64'(ring_in[47:0]) + 64'(ring_in[95:48]);

  // Event port: the conditions the sequencer counters count, and the block activity beside them.
  logic seq_wait_now, seq_idle_now;
  assign seq_wait_now = (ex_q == EX_GEMV) && !got_beat_q && !fo_take;
  assign seq_idle_now = run && (ex_q == EX_IDLE) && !ex_valid;
  always_comb begin
    evt_o = '0;
    evt_o[pnm_csr_pkg::EVT_START]         = ex_start;
    evt_o[pnm_csr_pkg::EVT_SEQ_GEMV]      = (ex_q == EX_GEMV);
    evt_o[pnm_csr_pkg::EVT_SEQ_GEMV_WAIT] = seq_wait_now;
    evt_o[pnm_csr_pkg::EVT_SEQ_COLL]      = (ex_q == EX_COLL);
    evt_o[pnm_csr_pkg::EVT_SEQ_IDLE]      = seq_idle_now;
    evt_o[pnm_csr_pkg::EVT_GEMV_BUSY]     = g_busy_now;
    evt_o[pnm_csr_pkg::EVT_FLASH_STALL]   = fo_valid && !fo_ready;
    evt_o[pnm_csr_pkg::EVT_HALTED]        = halted_q;
  end

  logic unused_misc;
  assign unused_misc = ^{irq_set[63:3], clear, buf_rvalid, bad_block, act_elem[2:0]};

  // The issue stage checked every GEMV the way gemv_unit does, so the unit never rejects one.
  `PNM_ASSERT_NEVER(GemvNeverRejects_A, g_err_valid, clk_i, rst_ni)
  `PNM_ASSERT(RowMulWCoversBuffer_A, BufFlits * Elems < (1 << RowMulW), clk_i, rst_ni)
  `PNM_ASSERT(FlashBeatOnlyForGemv_A, !fo_take || ex_q == EX_GEMV, clk_i, rst_ni)
endmodule
