// HBF flash controller front-end (DESIGN.md section 4.1, docs/flash.md).
//
// Requests {addr, len, tag} in a flat logical byte space come in; the requested bytes leave
// strictly in order on a LaneBytes-wide valid/ready stream, the last beat of each request
// carrying its completion status (corrected words, uncorrectable flag and first failing address).
//
//   request queue -> page issuer -> hbf_addr_map (stripe + bad-block remap) -> per-channel command
//   FIFOs -> channel ports (die model or flash_emu)
//   channel data -> SEC-DED check per 64-bit word -> per-channel reorder buffer (slots of one page)
//   order FIFO (pages in request order) -> reader -> aligner (any byte offset and length) -> output
//
// Each channel owns RobPages/Channels page slots, allocated and freed in request order (a
// channel's pages are issued in request order and read out in request order), so slots are a
// ring per channel. A page is issued only when its channel has a free slot and fewer than
// Outstanding reads in flight: out-of-order completions land in their reserved slot, and a
// blocked output back-pressures the issuer instead of dropping anything. Requests queue behind
// each other, so the next request's first pages are read while the current one drains (this is
// the prefetch of DESIGN.md: tR of the next operation hides behind the current transfer).
//
// The channel interface delivers the beats of one page contiguously (tag stable until `last`),
// as a flash channel bus does; asserted below.
`include "pnm_assert.svh"

module hbf_ctrl #(
  parameter int unsigned Channels     = 8,
  parameter int unsigned Dies         = 4,
  parameter int unsigned Planes       = 2,
  parameter int unsigned Blocks       = 2048,
  parameter int unsigned Pages        = 256,
  parameter int unsigned PageBytes    = 4096,
  parameter int unsigned ChBytes      = 8,    // channel bytes per beat (multiple of 8)
  parameter int unsigned LaneBytes    = 64,   // output bytes per beat (multiple of ChBytes)
  parameter int unsigned Outstanding  = 8,    // reads in flight per channel
  parameter int unsigned RobPages     = 64,   // reorder buffer pages in all (per channel: /Channels)
  parameter int unsigned RemapEntries = 16,
  parameter int unsigned TagWidth     = 8,
  parameter int unsigned LenWidth     = 32,
  parameter int unsigned CntWidth     = 48,
  // 1: each channel's reorder-buffer word is registered once more before the channel
  // multiplexer (one cycle more from a complete page to the aligner; the read FIFO one entry
  // deeper). For FPGA builds, where the block RAM's clock to out starts the path; 0 keeps the
  // system's cycles (docs/flash.md, docs/fpga.md round 30).
  parameter bit          RobReadReg   = 1'b0,

  localparam int unsigned ChW     = (Channels > 1) ? $clog2(Channels) : 1,
  localparam int unsigned DieW    = (Dies > 1) ? $clog2(Dies) : 1,
  localparam int unsigned PlaneW  = (Planes > 1) ? $clog2(Planes) : 1,
  localparam int unsigned BlockW  = (Blocks > 1) ? $clog2(Blocks) : 1,
  localparam int unsigned PageW   = (Pages > 1) ? $clog2(Pages) : 1,
  localparam int unsigned LpnW    = $clog2(Channels * Dies * Planes * Blocks * Pages),
  localparam int unsigned PageSh  = $clog2(PageBytes),
  localparam int unsigned AddrW   = LpnW + PageSh,
  localparam int unsigned Slots   = RobPages / Channels,       // slots per channel
  localparam int unsigned SlotW   = (Slots > 1) ? $clog2(Slots) : 1,
  localparam int unsigned RemapW  = (RemapEntries > 1) ? $clog2(RemapEntries) : 1,
  localparam int unsigned RemapEntryW = 1 + ChW + DieW + PlaneW + 2 * BlockW,
  localparam int unsigned WordsPP = PageBytes / 8,              // ECC words per page
  localparam int unsigned WordW   = $clog2(WordsPP),
  localparam int unsigned CorrW   = 16,                         // corrected words per request
  localparam int unsigned KeepW   = $clog2(LaneBytes + 1)
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,

  // Reads in flight per channel, 1..Outstanding (a CSR; 0 or more than Outstanding means
  // Outstanding): lets one build sweep the queue depth.
  input  logic [$clog2(Outstanding+1)-1:0] cfg_outstanding_i,

  // Bad-block remap table (CSR-loaded), see hbf_addr_map.
  input  logic                       remap_we_i,
  input  logic [RemapW-1:0]          remap_waddr_i,
  input  logic [RemapEntryW-1:0]     remap_wdata_i,

  // Requests: len >= 1 bytes from addr; addr + len must stay inside the stack.
  input  logic                       req_valid_i,
  output logic                       req_ready_o,
  input  logic [AddrW-1:0]           req_addr_i,
  input  logic [LenWidth-1:0]        req_len_i,
  input  logic [TagWidth-1:0]        req_tag_i,

  // Data out, in request order. The last beat of a request carries its status.
  output logic                       out_valid_o,
  input  logic                       out_ready_i,
  output logic [LaneBytes*8-1:0]     out_data_o,     // request bytes from byte 0 on
  output logic [KeepW-1:0]           out_bytes_o,    // valid bytes in this beat (1..LaneBytes)
  output logic                       out_last_o,
  output logic                       out_poison_o,   // holds bytes of a page with an uncorrectable word
  output logic [TagWidth-1:0]        out_tag_o,
  output logic [CorrW-1:0]           out_corrected_o,   // last beat: words corrected (saturating)
  output logic                       out_uncorrectable_o,
  output logic [AddrW-1:0]           out_bad_addr_o,    // last beat: first failing word's address

  // Channel command ports (flat, channel c in slice c).
  output logic [Channels-1:0]        ch_cmd_valid_o,
  input  logic [Channels-1:0]        ch_cmd_ready_i,
  output logic [Channels*DieW-1:0]   ch_cmd_die_o,
  output logic [Channels*PlaneW-1:0] ch_cmd_plane_o,
  output logic [Channels*BlockW-1:0] ch_cmd_block_o,
  output logic [Channels*PageW-1:0]  ch_cmd_page_o,
  output logic [Channels*SlotW-1:0]  ch_cmd_tag_o,

  // Channel read data.
  input  logic [Channels-1:0]          ch_rd_valid_i,
  output logic [Channels-1:0]          ch_rd_ready_o,
  input  logic [Channels*SlotW-1:0]    ch_rd_tag_i,
  input  logic [Channels*ChBytes*8-1:0] ch_rd_data_i,
  input  logic [Channels*ChBytes-1:0]  ch_rd_ecc_i,    // 8 check bits per 8 data bytes
  input  logic [Channels-1:0]          ch_rd_last_i,

  // Counters.
  output logic [CntWidth-1:0]          cnt_bytes_o,        // bytes delivered
  output logic [CntWidth-1:0]          cnt_reads_o,        // page reads issued
  output logic [CntWidth-1:0]          cnt_corrected_o,    // words corrected
  output logic [CntWidth-1:0]          cnt_uncorrectable_o,// words uncorrectable
  output logic [CntWidth-1:0]          cnt_out_stall_o,    // output valid, not ready
  output logic [Channels*CntWidth-1:0] cnt_ch_busy_o,      // channel beats received
  output logic [Channels*CntWidth-1:0] cnt_ch_wait_o,      // reads in flight, no beat (tR)
  output logic [Channels*CntWidth-1:0] cnt_ch_idle_o,      // nothing in flight
  output logic [$clog2(RobPages+1)-1:0] rob_high_water_o,  // most slots ever held
  output logic [$clog2(Outstanding+1)-1:0] inflight_high_water_o,  // most reads in flight on one channel
  output logic [2:0]                    req_high_water_o    // most requests ever queued
);
  localparam int unsigned LaneSh     = $clog2(LaneBytes);
  localparam int unsigned LanesPP    = PageBytes / LaneBytes;    // lane words per page
  localparam int unsigned LaneW      = (LanesPP > 1) ? $clog2(LanesPP) : 1;
  localparam int unsigned Banks      = LaneBytes / ChBytes;      // ROB banks per channel
  localparam int unsigned BankSh     = (Banks > 1) ? $clog2(Banks) : 0;
  localparam int unsigned BeatsPP    = PageBytes / ChBytes;
  localparam int unsigned BeatW      = $clog2(BeatsPP);
  localparam int unsigned RobDepth   = Slots * LanesPP;          // lane words per channel
  localparam int unsigned RobAddrW   = $clog2(RobDepth);
  localparam int unsigned InflW      = $clog2(Outstanding + 1);
  localparam int unsigned SlotCntW   = $clog2(Slots + 1);
  localparam int unsigned ReqFifoDepth = 4;
  localparam int unsigned RdFifoDepth  = RobReadReg ? 4 : 3;  // the reads in flight have room
  localparam int unsigned DecPerBeat   = ChBytes / 8;

  // ==========================================================================================
  // Request queue and page issuer.
  // ==========================================================================================
  logic                 rq_valid, rq_pop;
  logic [AddrW-1:0]     rq_addr;
  logic [LenWidth-1:0]  rq_len;
  // Last lane word of a request (its last byte's address >> LaneSh), computed at the input.
  logic [AddrW-1:0]        req_end;
  logic [AddrW-LaneSh-1:0] req_end_lw, rq_end_lw;
  logic                    unused_req_end_lo;
  assign req_end           = req_addr_i + AddrW'(req_len_i) - 1'b1;
  assign req_end_lw        = req_end[AddrW-1:LaneSh];
  assign unused_req_end_lo = ^req_end[LaneSh-1:0];
  logic [TagWidth-1:0]  rq_tag;
  logic [2:0]           rq_usage;
  logic                 unused_rq_full, unused_rq_empty;

  // Heads in flops (pnm_fifo_oreg), here and in the channel command FIFOs: the page-range
  // adder and the issue decision start from the head (docs/fpga.md, round 23).
  pnm_fifo_oreg #(
    .Width(AddrW + LenWidth + TagWidth + AddrW - LaneSh),
    .Depth(ReqFifoDepth)
  ) u_req_fifo (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .valid_i (req_valid_i),
    .ready_o (req_ready_o),
    .data_i  ({req_addr_i, req_len_i, req_tag_i, req_end_lw}),
    .valid_o (rq_valid),
    .ready_i (rq_pop),
    .data_o  ({rq_addr, rq_len, rq_tag, rq_end_lw}),
    .usage_o (rq_usage),
    .full_o  (unused_rq_full),
    .empty_o (unused_rq_empty)
  );

  // Page range of the head request. Its last lane word travels with it from the input, so
  // the carry chain of addr + len - 1 is not on the issue decision's path from the head
  // (docs/fpga.md round 28).
  logic [LpnW-1:0]  rq_first_lpn, rq_last_lpn;
  assign rq_first_lpn = rq_addr[AddrW-1:PageSh];
  assign rq_last_lpn  = rq_end_lw[AddrW-LaneSh-1:PageSh-LaneSh];

  logic            iss_started_q;    // a page of the head request has been issued
  logic [LpnW-1:0] iss_lpn_q;
  logic [LpnW-1:0] iss_lpn;
  assign iss_lpn = iss_started_q ? iss_lpn_q : rq_first_lpn;

  logic [ChW-1:0] iss_ch;
  assign iss_ch = ChW'(iss_lpn % LpnW'(Channels));

  // Per-channel slot rings and in-flight counts.
  logic [Channels*SlotW-1:0]    alloc_ptr_q;
  logic [Channels*SlotCntW-1:0] slots_used_q;
  logic [Channels*InflW-1:0]    inflight_q;
  logic [Channels-1:0]          ch_can_issue;
  logic [InflW-1:0]             max_inflight;
  assign max_inflight = (cfg_outstanding_i == '0 || 32'(cfg_outstanding_i) > Outstanding)
                        ? InflW'(Outstanding) : cfg_outstanding_i;
  for (genvar c = 0; c < Channels; c++) begin : gen_can_issue
    assign ch_can_issue[c] = (32'(slots_used_q[c*SlotCntW +: SlotCntW]) < Slots) &&
                             (inflight_q[c*InflW +: InflW] < max_inflight);
  end

  logic amap_ready, order_ready, rinfo_ready;
  logic iss_fire, iss_first, iss_last;
  assign iss_first = !iss_started_q;
  assign iss_last  = (iss_lpn == rq_last_lpn);
  assign iss_fire  = rq_valid && ch_can_issue[iss_ch] && amap_ready && order_ready &&
                     (!iss_first || rinfo_ready);
  assign rq_pop    = iss_fire && iss_last;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      iss_started_q <= 1'b0;
      iss_lpn_q     <= '0;
    end else if (iss_fire) begin
      iss_started_q <= !iss_last;
      iss_lpn_q     <= iss_lpn + 1'b1;
    end
  end

  logic [SlotW-1:0] iss_slot;
  assign iss_slot = alloc_ptr_q[iss_ch*SlotW +: SlotW];

  // Lane words of this page that the request covers.
  logic [LaneW-1:0] iss_first_lw, iss_last_lw;
  assign iss_first_lw = iss_first ? rq_addr[PageSh-1:LaneSh] : '0;
  assign iss_last_lw  = iss_last ? rq_end_lw[PageSh-LaneSh-1:0] : LaneW'(LanesPP - 1);

  // ---- Address map and per-channel command FIFOs ----
  logic              am_valid;
  logic [ChW-1:0]    am_ch;
  logic [DieW-1:0]   am_die;
  logic [PlaneW-1:0] am_plane;
  logic [BlockW-1:0] am_block;
  logic [PageW-1:0]  am_page;
  logic              am_remapped;
  logic [SlotW-1:0]  am_slot;
  logic [Channels-1:0] cq_ready;
  logic [CntWidth-1:0] unused_am_cnt;

  hbf_addr_map #(
    .Channels(Channels), .Dies(Dies), .Planes(Planes), .Blocks(Blocks), .Pages(Pages),
    .RemapEntries(RemapEntries), .TagWidth(SlotW), .CntWidth(CntWidth)
  ) u_addr_map (
    .clk_i,
    .rst_ni,
    .remap_we_i,
    .remap_waddr_i,
    .remap_wdata_i,
    .valid_i        (iss_fire),
    .ready_o        (amap_ready),
    .lpn_i          (iss_lpn),
    .tag_i          (iss_slot),
    .valid_o        (am_valid),
    .ready_i        (cq_ready[am_ch]),
    .channel_o      (am_ch),
    .die_o          (am_die),
    .plane_o        (am_plane),
    .block_o        (am_block),
    .page_o         (am_page),
    .remapped_o     (am_remapped),
    .tag_o          (am_slot),
    .cnt_remapped_o (unused_am_cnt)
  );
  logic unused_am_remapped;
  assign unused_am_remapped = am_remapped;

  localparam int unsigned CmdW = DieW + PlaneW + BlockW + PageW + SlotW;
  for (genvar c = 0; c < Channels; c++) begin : gen_cmd_q
    logic [$clog2(Outstanding+1)-1:0] unused_usage;
    logic                             unused_full, unused_empty;
    pnm_fifo_oreg #(
      .Width(CmdW),
      .Depth(Outstanding)
    ) u_cmd_fifo (
      .clk_i,
      .rst_ni,
      .flush_i (1'b0),
      .valid_i (am_valid && 32'(am_ch) == c),
      .ready_o (cq_ready[c]),
      .data_i  ({am_die, am_plane, am_block, am_page, am_slot}),
      .valid_o (ch_cmd_valid_o[c]),
      .ready_i (ch_cmd_ready_i[c]),
      .data_o  ({ch_cmd_die_o[c*DieW +: DieW], ch_cmd_plane_o[c*PlaneW +: PlaneW],
                 ch_cmd_block_o[c*BlockW +: BlockW], ch_cmd_page_o[c*PageW +: PageW],
                 ch_cmd_tag_o[c*SlotW +: SlotW]}),
      .usage_o (unused_usage),
      .full_o  (unused_full),
      .empty_o (unused_empty)
    );
  end

  // ---- Order FIFO: every issued page, in request order ----
  localparam int unsigned OrderW = ChW + SlotW + LpnW + 2 * LaneW + 1;
  logic              ord_valid, ord_pop;
  logic [ChW-1:0]    ord_ch;
  logic [SlotW-1:0]  ord_slot;
  logic [LpnW-1:0]   ord_lpn;
  logic [LaneW-1:0]  ord_first_lw, ord_last_lw;
  logic              ord_req_last;
  logic [$clog2(RobPages+1)-1:0] unused_ord_usage;
  logic              unused_ord_full, unused_ord_empty;
  logic              of_valid, of_ready;
  logic [OrderW-1:0] of_data;

  pnm_fifo #(
    .Width(OrderW),
    .Depth(RobPages)
  ) u_order_fifo (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .valid_i (iss_fire),
    .ready_o (order_ready),
    .data_i  ({iss_ch, iss_slot, iss_lpn, iss_first_lw, iss_last_lw, iss_last}),
    .valid_o (of_valid),
    .ready_i (of_ready),
    .data_o  (of_data),
    .usage_o (unused_ord_usage),
    .full_o  (unused_ord_full),
    .empty_o (unused_ord_empty)
  );
  // The head comes from flops, not from the FIFO's memory read: it selects the slot status,
  // the read address and the slot to free (docs/fpga.md round 19). One cycle more from a
  // page's issue to its read-out, against tR.
  pnm_spill_reg #(
    .Width(OrderW)
  ) u_order_head (
    .clk_i, .rst_ni,
    .valid_i(of_valid), .ready_o(of_ready), .data_i(of_data),
    .valid_o(ord_valid), .ready_i(ord_pop),
    .data_o ({ord_ch, ord_slot, ord_lpn, ord_first_lw, ord_last_lw, ord_req_last})
  );

  // ---- Request info for the aligner: one entry per request, pushed at its first page ----
  // Besides tag, length and offset, the entry carries what the aligner would otherwise derive
  // from the length on its output path (docs/fpga.md round 24): the offset-is-zero flag, whether
  // the request fits in one or two beats, and the byte count of its last beat.
  localparam int unsigned RinfoW = TagWidth + LenWidth + LaneSh + 3 + KeepW;
  logic                rinfo_valid, rinfo_pop, rinfo_q_valid, rinfo_q_ready;
  logic [RinfoW-1:0]   rinfo_q_data;
  logic [TagWidth-1:0] ri_tag;
  logic [LenWidth-1:0] ri_len;
  logic [LaneSh-1:0]   ri_off;
  logic                ri_aligned, ri_one, ri_two;  // offset 0; length <= 1 beat; <= 2 beats
  logic [KeepW-1:0]    ri_lastb;                    // bytes in the last beat (1..LaneBytes)
  logic [KeepW-1:0]    rq_lastb;
  logic                rq_aligned, rq_one, rq_two;
  assign rq_lastb   = (rq_len[LaneSh-1:0] == '0) ? KeepW'(LaneBytes) : KeepW'(rq_len[LaneSh-1:0]);
  // Named signals, not expressions in the port list: with the compares written there, Yosys
  // 0.23 re-derived the module and lost a chparam'd top's name (synth.hbf_ctrl_small).
  assign rq_aligned = (rq_addr[LaneSh-1:0] == '0);
  assign rq_one     = (rq_len <= LenWidth'(LaneBytes));
  assign rq_two     = (rq_len <= LenWidth'(2 * LaneBytes));
  logic [$clog2(RobPages+1)-1:0] unused_ri_usage;
  logic                unused_ri_full, unused_ri_empty;

  pnm_fifo #(
    .Width(RinfoW),
    .Depth(RobPages)
  ) u_rinfo_fifo (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .valid_i (iss_fire && iss_first),
    .ready_o (rinfo_ready),
    .data_i  ({rq_tag, rq_len, rq_addr[LaneSh-1:0], rq_aligned, rq_one, rq_two, rq_lastb}),
    .valid_o (rinfo_q_valid),
    .ready_i (rinfo_q_ready),
    .data_o  (rinfo_q_data),
    .usage_o (unused_ri_usage),
    .full_o  (unused_ri_full),
    .empty_o (unused_ri_empty)
  );
  // The aligner reads the request info from flops, not through the FIFO's LUT RAM (its length
  // arithmetic was an FPGA critical path, docs/fpga.md round 16); the extra cycle is hidden
  // behind the tR of the request's first page.
  pnm_spill_reg #(
    .Width(RinfoW)
  ) u_rinfo_reg (
    .clk_i,
    .rst_ni,
    .valid_i (rinfo_q_valid),
    .ready_o (rinfo_q_ready),
    .data_i  (rinfo_q_data),
    .valid_o (rinfo_valid),
    .ready_i (rinfo_pop),
    .data_o  ({ri_tag, ri_len, ri_off, ri_aligned, ri_one, ri_two, ri_lastb})
  );

  // ==========================================================================================
  // Channel data: ECC check, reorder buffer write, slot status.
  // ==========================================================================================
  assign ch_rd_ready_o = '1;  // every read has a reserved slot

  logic [Channels-1:0]         wr_en_q, wr_last_q;
  logic [Channels*SlotW-1:0]   wr_slot_q;
  logic [Channels*BeatW-1:0]   wr_beat_q, beat_cnt_q;
  // The beat as it came off the channel (data and check bits), registered; it is decoded from
  // these flops (gen_ch below) on its way into the reorder buffer.
  logic [Channels*ChBytes*8-1:0] wr_raw_q;
  logic [Channels*ChBytes-1:0]   wr_ecc_q;
  // The beat with its syndromes, registered once more (dw_*: decoded word stage, gen_ch
  // below), so the decoder's XOR trees end in flops; the corrected beat registered again
  // (dx_*), so the bank write, the slot status and the ECC counters start from flops
  // (docs/fpga.md rounds 15 to 17). From dx_*: words corrected and uncorrectable, the first
  // uncorrectable word.
  logic [Channels-1:0]         dw_en_q, dw_last_q, dx_en_q, dx_last_q;
  logic [Channels-1:0]         wr_double_any;
  logic [Channels*$clog2(DecPerBeat+1)-1:0] wr_singles, wr_doubles;
  logic [Channels*WordW-1:0]   wr_bad_word;

  // Per slot status (each channel keeps its own, gen_ch below): complete, corrected words,
  // uncorrectable + first bad word. The reader sees every channel's done and bad bits and each
  // channel's head slot (the order FIFO head's slot number) counts.
  logic [Channels*Slots-1:0]        slot_done, slot_bad;
  logic [Channels*CorrW-1:0]        head_corr;
  logic [Channels*WordW-1:0]        head_bad_word;

  logic [Channels-1:0] free_slot;   // the reader releases the slot at the head of the ring

  // Reader side, declared here because the reorder buffers below use them.
  logic                 rd_en;
  logic [ChW-1:0]       rd_ch;
  logic [RobAddrW-1:0]  rd_addr;
  // Each channel's reorder buffer registers its own read data; the reader selects the channel
  // it read from (one driver per flop).
  logic [Channels*LaneBytes*8-1:0] ch_rdata_q;
  logic [ChW-1:0]         rd_ch_q;

  for (genvar c = 0; c < Channels; c++) begin : gen_ch
    logic [BeatW-1:0] beat;
    logic             rd_hs;
    assign rd_hs = ch_rd_valid_i[c];
    assign beat  = beat_cnt_q[c*BeatW +: BeatW];

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        wr_en_q[c]                       <= 1'b0;
        beat_cnt_q[c*BeatW +: BeatW]     <= '0;
      end else begin
        wr_en_q[c] <= rd_hs;
        if (rd_hs) beat_cnt_q[c*BeatW +: BeatW] <= ch_rd_last_i[c] ? '0 : beat + 1'b1;
      end
    end
    always_ff @(posedge clk_i) begin
      if (rd_hs) begin
        wr_last_q[c]                          <= ch_rd_last_i[c];
        wr_slot_q[c*SlotW +: SlotW]           <= ch_rd_tag_i[c*SlotW +: SlotW];
        wr_beat_q[c*BeatW +: BeatW]           <= beat;
        wr_raw_q[c*ChBytes*8 +: ChBytes*8]    <= ch_rd_data_i[c*ChBytes*8 +: ChBytes*8];
        wr_ecc_q[c*ChBytes +: ChBytes]        <= ch_rd_ecc_i[c*ChBytes +: ChBytes];
      end
    end

    logic [SlotW-1:0]    ws;               // slot and beat of the corrected beat (dx stage)
    logic [BeatW-1:0]    wb;
    logic [RobAddrW-1:0] waddr;

    // SEC-DED per 64-bit word of the registered beat, in two stages: the syndrome from the
    // registered beat (decoders fed by flops, not by the model's inputs, where Verilator
    // evaluates them at both clock edges, CONVENTIONS.md), registered with the data in the dw
    // stage below, then the correction. Each half is about half the decoder's logic depth
    // (docs/fpga.md round 16).
    logic [DecPerBeat*pnm_secded_pkg::SynWidth-1:0] syn;
    logic [DecPerBeat-1:0]                          perr;
    for (genvar w = 0; w < DecPerBeat; w++) begin : gen_syn
      pnm_secded_72_64_syn u_syn (
        .data_i       (wr_raw_q[(c*ChBytes + 8*w)*8 +: 64]),
        .ecc_i        (wr_ecc_q[c*ChBytes + 8*w +: 8]),
        .syndrome_o   (syn[w*pnm_secded_pkg::SynWidth +: pnm_secded_pkg::SynWidth]),
        .parity_err_o (perr[w])
      );
    end

    // Decoded-word stage: the beat with its syndromes, slot, beat and last flag.
    logic [ChBytes*8-1:0]                           dw_raw_q;
    logic [DecPerBeat*pnm_secded_pkg::SynWidth-1:0] dw_syn_q;
    logic [DecPerBeat-1:0]                          dw_perr_q;
    logic [SlotW-1:0]                               dw_slot_q;
    logic [BeatW-1:0]                               dw_beat_q;
    pnm_pipe_reg #(
      .Width(1 + SlotW + BeatW + ChBytes*8 + DecPerBeat*(pnm_secded_pkg::SynWidth + 1))
    ) u_dw_reg (
      .clk_i, .rst_ni,
      .valid_i(wr_en_q[c]),
      .data_i ({wr_last_q[c], wr_slot_q[c*SlotW +: SlotW], wr_beat_q[c*BeatW +: BeatW],
                wr_raw_q[c*ChBytes*8 +: ChBytes*8], syn, perr}),
      .valid_o(dw_en_q[c]),
      .data_o ({dw_last_q[c], dw_slot_q, dw_beat_q, dw_raw_q, dw_syn_q, dw_perr_q})
    );
    logic [ChBytes*8-1:0]  dec_data;
    logic [DecPerBeat-1:0] dec_single, dec_double;
    for (genvar w = 0; w < DecPerBeat; w++) begin : gen_fix
      pnm_secded_72_64_fix u_fix (
        .data_i       (dw_raw_q[w*64 +: 64]),
        .syndrome_i   (dw_syn_q[w*pnm_secded_pkg::SynWidth +: pnm_secded_pkg::SynWidth]),
        .parity_err_i (dw_perr_q[w]),
        .data_o       (dec_data[w*64 +: 64]),
        .single_o     (dec_single[w]),
        .double_o     (dec_double[w])
      );
    end
    // Corrected-word stage: the corrected beat and its verdicts, registered (dx_*), so the
    // bank write, the slot status and the counters start from flops (docs/fpga.md round 17).
    logic [ChBytes*8-1:0]  dx_data_q;
    logic [DecPerBeat-1:0] dx_single_q, dx_double_q;
    logic [SlotW-1:0]      dx_slot_q;
    logic [BeatW-1:0]      dx_beat_q;
    pnm_pipe_reg #(
      .Width(1 + SlotW + BeatW + ChBytes*8 + 2*DecPerBeat)
    ) u_dx_reg (
      .clk_i, .rst_ni,
      .valid_i(dw_en_q[c]),
      .data_i ({dw_last_q[c], dw_slot_q, dw_beat_q, dec_data, dec_single, dec_double}),
      .valid_o(dx_en_q[c]),
      .data_o ({dx_last_q[c], dx_slot_q, dx_beat_q, dx_data_q, dx_single_q, dx_double_q})
    );
    assign ws    = dx_slot_q;
    assign wb    = dx_beat_q;
    assign waddr = RobAddrW'(32'(ws) * LanesPP + (32'(wb) >> BankSh));

    // First uncorrectable word of the beat.
    logic [WordW-1:0] bad_word;
    always_comb begin
      bad_word = '0;
      for (int w = DecPerBeat - 1; w >= 0; w--) begin
        if (dx_double_q[w]) bad_word = WordW'(32'(wb) * DecPerBeat + 32'(w));
      end
    end
    assign wr_double_any[c]                  = |dx_double_q;
    assign wr_singles[c*$clog2(DecPerBeat+1) +: $clog2(DecPerBeat+1)] =
        $clog2(DecPerBeat+1)'($countones(dx_single_q));
    assign wr_doubles[c*$clog2(DecPerBeat+1) +: $clog2(DecPerBeat+1)] =
        $clog2(DecPerBeat+1)'($countones(dx_double_q));
    assign wr_bad_word[c*WordW +: WordW]     = bad_word;

    // Reorder buffer of this channel: Banks banks of ChBytes, Slots pages. Separate bank
    // memories rather than one lane-wide memory with a per-slice write: Yosys maps each bank to
    // block RAM, and the lane-wide memory went to LUT RAM on ECP5 (docs/decisions.md).
    for (genvar b = 0; b < Banks; b++) begin : gen_bank
      logic [ChBytes*8-1:0] mem [RobDepth];
      always_ff @(posedge clk_i) begin
        if (dx_en_q[c] && (32'(wb) % Banks) == b) mem[waddr] <= dx_data_q;
        if (rd_en && 32'(rd_ch) == c) begin
          ch_rdata_q[(c*Banks+b)*ChBytes*8 +: ChBytes*8] <= mem[rd_addr];
        end
      end
    end

    // Slot status: one register file per channel, written at the slot of the beat (ws) and
    // cleared at the slot the reader frees (the order FIFO head's, the oldest of this channel's
    // ring). Freeing wins over a write to the same slot (which the DataForIdleSlot_A rule rules
    // out anyway).
    // Packed per channel (Verilator 5.006 cannot reset an unpacked array in a loop).
    logic [Slots-1:0]       st_done_q, st_bad_q;
    logic [Slots*CorrW-1:0] st_corr_q;
    logic [Slots*WordW-1:0] st_bad_word_q;
    logic             st_wr;
    assign st_wr = dx_en_q[c] && !(free_slot[c] && ord_slot == ws);
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        st_done_q     <= '0;
        st_bad_q      <= '0;
        st_corr_q     <= '0;
        st_bad_word_q <= '0;
      end else begin
        if (st_wr) begin
          if (dx_last_q[c]) st_done_q[ws] <= 1'b1;
          st_corr_q[32'(ws)*CorrW +: CorrW] <= st_corr_q[32'(ws)*CorrW +: CorrW] +
              CorrW'(wr_singles[c*$clog2(DecPerBeat+1) +: $clog2(DecPerBeat+1)]);
          if (wr_double_any[c] && !st_bad_q[ws]) begin
            st_bad_q[ws]      <= 1'b1;
            st_bad_word_q[32'(ws)*WordW +: WordW] <= wr_bad_word[c*WordW +: WordW];
          end
        end
        if (free_slot[c]) begin
          st_done_q[ord_slot] <= 1'b0;
          st_corr_q[32'(ord_slot)*CorrW +: CorrW] <= '0;
          st_bad_q[ord_slot]  <= 1'b0;
        end
      end
    end
    assign slot_done[c*Slots +: Slots]         = st_done_q;
    assign slot_bad[c*Slots +: Slots]          = st_bad_q;
    assign head_corr[c*CorrW +: CorrW]         = st_corr_q[32'(ord_slot)*CorrW +: CorrW];
    assign head_bad_word[c*WordW +: WordW]     = st_bad_word_q[32'(ord_slot)*WordW +: WordW];

    // Slot ring pointers and in-flight count.
    logic alloc_here, done_here;
    assign alloc_here = iss_fire && 32'(iss_ch) == c;
    assign done_here  = dx_en_q[c] && dx_last_q[c];
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        alloc_ptr_q[c*SlotW +: SlotW]        <= '0;
        slots_used_q[c*SlotCntW +: SlotCntW] <= '0;
        inflight_q[c*InflW +: InflW]         <= '0;
      end else begin
        if (alloc_here) alloc_ptr_q[c*SlotW +: SlotW] <= SlotW'((32'(alloc_ptr_q[c*SlotW +: SlotW]) + 1) % Slots);
        slots_used_q[c*SlotCntW +: SlotCntW] <= slots_used_q[c*SlotCntW +: SlotCntW] +
            SlotCntW'(alloc_here) - SlotCntW'(free_slot[c]);
        inflight_q[c*InflW +: InflW] <= inflight_q[c*InflW +: InflW] + InflW'(alloc_here) -
                                        InflW'(done_here);
      end
    end
  end

  // ==========================================================================================
  // Reader: the order FIFO head's lane words, once its slot is complete.
  // ==========================================================================================
  logic [LaneW-1:0]     rd_lw_q;           // next lane word of the head page
  logic                 rd_started_q;
  logic [LaneW-1:0]     rd_lw;
  logic                 rd_page_last, rd_req_last;

  localparam int unsigned SlotI_W = $clog2(Channels * Slots);
  logic [SlotI_W-1:0]   head_i;
  assign head_i = SlotI_W'(32'(ord_ch) * Slots + 32'(ord_slot));

  // Read FIFO between the memory read and the aligner; a read is issued only when its word has
  // room (counting the read in flight).
  localparam int unsigned RdW = LaneBytes * 8 + 1 + 1 + CorrW + 1 + AddrW;
  logic                rf_valid, rf_ready_unused, rf_pop;
  logic [$clog2(RdFifoDepth+1)-1:0] rf_usage;
  logic [LaneBytes*8-1:0] rf_data;
  logic                rf_poison, rf_last;
  logic [CorrW-1:0]    rf_corr;
  logic                rf_bad;
  logic [AddrW-1:0]    rf_bad_addr;
  logic                unused_rf_full, unused_rf_empty;

  logic                rd_valid_q, rd_poison_q, rd_last_q;
  logic                rm_valid;          // the word entering the read FIFO
  logic [RdW-1:0]      rm_data;
  localparam int unsigned InflRdW = 2;   // 0 to 2 reads on their way (RobReadReg: 2)
  logic [InflRdW-1:0]  rd_flight;         // reads on their way to the read FIFO
  // Read FIFO entries not yet claimed (FIFO depth - its fill level - reads in flight), kept as a
  // count of its own: a read claims one, the aligner's pop frees one. The 32-bit sum and compare
  // it replaces ended FPGA round 29's critical path (docs/fpga.md).
  localparam int unsigned RdFreeW = $clog2(RdFifoDepth + 1);
  logic [RdFreeW-1:0]  rd_free_q;
  logic [CorrW-1:0]    rd_corr_q;
  logic                rd_bad_q;
  logic [AddrW-1:0]    rd_bad_addr_q;

  assign rd_lw        = rd_started_q ? rd_lw_q : ord_first_lw;
  assign rd_page_last = (rd_lw == ord_last_lw);
  assign rd_req_last  = rd_page_last && ord_req_last;
  assign rd_en        = ord_valid && slot_done[head_i] &&
                        (rd_free_q != '0);
  assign rd_ch        = ord_ch;
  assign rd_addr      = RobAddrW'(32'(ord_slot) * LanesPP + 32'(rd_lw));
  assign ord_pop      = rd_en && rd_page_last;
  for (genvar c = 0; c < Channels; c++) begin : gen_free
    assign free_slot[c] = ord_pop && 32'(ord_ch) == c;
  end

  // ECC status of the request, accumulated page by page as the reader passes them; the final
  // value (this page included) travels with the request's last word.
  logic [CorrW-1:0] acc_corr_q, fin_corr;
  logic             acc_bad_q, fin_bad;
  logic [AddrW-1:0] acc_bad_addr_q, fin_bad_addr, head_bad_addr;
  always_comb begin
    logic [CorrW:0] sum;
    sum           = (CorrW + 1)'(acc_corr_q) + (CorrW + 1)'(head_corr[32'(ord_ch)*CorrW +: CorrW]);
    fin_corr      = sum[CorrW] ? '1 : sum[CorrW-1:0];   // saturating
    head_bad_addr = {ord_lpn, head_bad_word[32'(ord_ch)*WordW +: WordW], 3'b000};
    fin_bad       = acc_bad_q || slot_bad[head_i];
    fin_bad_addr  = acc_bad_q ? acc_bad_addr_q : (slot_bad[head_i] ? head_bad_addr : '0);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_started_q   <= 1'b0;
      rd_lw_q        <= '0;
      rd_valid_q     <= 1'b0;
      rd_free_q      <= RdFreeW'(RdFifoDepth);
      acc_corr_q     <= '0;
      acc_bad_q      <= 1'b0;
      acc_bad_addr_q <= '0;
    end else begin
      rd_valid_q <= rd_en;
      rd_free_q  <= rd_free_q - RdFreeW'(rd_en) + RdFreeW'(rf_pop);
      if (rd_en) begin
        rd_started_q <= !rd_page_last;
        rd_lw_q      <= rd_lw + 1'b1;
      end
      if (ord_pop) begin
        acc_corr_q     <= ord_req_last ? '0 : fin_corr;
        acc_bad_q      <= ord_req_last ? 1'b0 : fin_bad;
        acc_bad_addr_q <= ord_req_last ? '0 : fin_bad_addr;
      end
    end
  end
  always_ff @(posedge clk_i) begin
    if (rd_en) begin
      rd_ch_q       <= rd_ch;
      rd_poison_q   <= slot_bad[head_i];
      rd_last_q     <= rd_req_last;
      rd_corr_q     <= fin_corr;
      rd_bad_q      <= fin_bad;
      rd_bad_addr_q <= fin_bad_addr;
    end
  end

  // The word read, with its status, into the read FIFO: either straight from the channel
  // multiplexer, or (RobReadReg) through one more register per channel before it. A block
  // RAM's output (5.6 ns clock to out on ECP5, where Yosys infers no output register) went
  // through the multiplexer into the read FIFO's LUT RAM in one cycle: round 24's critical path
  // (docs/fpga.md); a register after the multiplexer left 10.5 ns of routing in front of it.
  localparam int unsigned RdSideW = RdW - LaneBytes * 8;
  logic [RdSideW-1:0] rd_side;
  assign rd_side = {rd_poison_q, rd_last_q, rd_corr_q, rd_bad_q, rd_bad_addr_q};
  if (RobReadReg) begin : gen_rob_read_reg
    logic [Channels*LaneBytes*8-1:0] rm_words;
    logic [ChW-1:0]                  rm_ch;
    logic [RdSideW-1:0]              rm_side;
    pnm_pipe_reg #(.Width(Channels * LaneBytes * 8 + ChW + RdSideW)) u_rob_read_reg (
      .clk_i, .rst_ni,
      .valid_i (rd_valid_q),
      .data_i  ({ch_rdata_q, rd_ch_q, rd_side}),
      .valid_o (rm_valid),
      .data_o  ({rm_words, rm_ch, rm_side})
    );
    assign rm_data   = {rm_words[32'(rm_ch)*LaneBytes*8 +: LaneBytes*8], rm_side};
    assign rd_flight = InflRdW'(rd_valid_q) + InflRdW'(rm_valid);
  end else begin : gen_rob_read_direct
    assign rm_valid  = rd_valid_q;
    assign rm_data   = {ch_rdata_q[32'(rd_ch_q)*LaneBytes*8 +: LaneBytes*8], rd_side};
    assign rd_flight = InflRdW'(rd_valid_q);
  end

  // Its head in flops: the aligner and the output register's status read the head's fields,
  // and a LUT RAM read in front of them made the critical path of round 22 (docs/fpga.md).
  pnm_fifo_oreg #(
    .Width(RdW),
    .Depth(RdFifoDepth)
  ) u_rd_fifo (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .valid_i (rm_valid),
    .ready_o (rf_ready_unused),
    .data_i  (rm_data),
    .valid_o (rf_valid),
    .ready_i (rf_pop),
    .data_o  ({rf_data, rf_poison, rf_last, rf_corr, rf_bad, rf_bad_addr}),
    .usage_o (rf_usage),
    .full_o  (unused_rf_full),
    .empty_o (unused_rf_empty)
  );

  // ==========================================================================================
  // Aligner: request bytes start at byte 0 of the output whatever the request's offset. With
  // offset r, beat j = bytes [r, L) of word j and [0, r) of word j+1 (a funnel shift by a
  // per-request constant); a request of W words and B beats needs one more beat from the
  // last word alone when W == B.
  // ==========================================================================================
  logic                   al_have_prev_q;   // a word of the current request is held
  logic [LaneBytes*8-1:0] al_prev_q;
  logic                   al_prev_poison_q;
  logic                   al_drain_q;       // the held (last) word still owes a beat
  // Beat position, kept in flops so that the output register's inputs do not wait for length
  // arithmetic: al_first_q says the next beat is a request's first (its facts come from the
  // request info); after it, al_rem_q counts the bytes still to send and al_last_q says
  // whether they fit in the next beat.
  logic                   al_first_q;
  logic                   al_last_q;
  logic [LenWidth-1:0]    al_rem_q;
  logic [CorrW-1:0]       al_corr_q;
  logic                   al_bad_q;
  logic [AddrW-1:0]       al_bad_addr_q;

  logic                   o_valid, o_ready, o_last;
  logic [LaneBytes*8-1:0] o_data;
  logic [KeepW-1:0]       o_bytes;
  logic                   o_poison;
  logic [LenWidth-1:0]    al_rem_now;

  assign al_rem_now = al_first_q ? ri_len : al_rem_q;

  // Funnel: {hi, lo} >> 8*off, low LaneBytes bytes.
  function automatic logic [LaneBytes*8-1:0] funnel(input logic [LaneBytes*8-1:0] hi,
                                                    input logic [LaneBytes*8-1:0] lo,
                                                    input logic [LaneSh-1:0] off);
    funnel = (LaneBytes * 8)'({hi, lo} >> (32'(off) * 8));
  endfunction

  always_comb begin
    o_valid  = 1'b0;
    o_data   = '0;
    o_poison = 1'b0;
    rf_pop   = 1'b0;
    if (al_drain_q) begin
      // The request's last beat comes from the held word alone.
      o_valid  = 1'b1;
      o_data   = funnel('0, al_prev_q, ri_off);
      o_poison = al_prev_poison_q;
    end else if (rf_valid && rinfo_valid) begin
      if (ri_aligned) begin
        o_valid  = 1'b1;
        o_data   = rf_data;
        o_poison = rf_poison;
        rf_pop   = o_ready;
      end else if (!al_have_prev_q) begin
        // First word of an unaligned request: hold it. A one-word request that ends inside it
        // is sent at once.
        if (rf_last) begin
          o_valid  = 1'b1;
          o_data   = funnel('0, rf_data, ri_off);
          o_poison = rf_poison;
          rf_pop   = o_ready;
        end else begin
          rf_pop = 1'b1;
        end
      end else begin
        o_valid  = 1'b1;
        o_data   = funnel(rf_data, al_prev_q, ri_off);
        o_poison = rf_poison || al_prev_poison_q;
        rf_pop   = o_ready;
      end
    end
  end

  // Is the beat being formed the request's last? Then it carries the status.
  logic o_fire, beat_is_last, word_leaves_tail;
  assign beat_is_last = al_first_q ? ri_one : al_last_q;
  assign o_bytes      = beat_is_last ? ri_lastb : KeepW'(LaneBytes);
  assign o_last       = beat_is_last;
  assign o_fire       = o_valid && o_ready;
  // The last word of an unaligned request, consumed into a beat, leaves a tail beat when the
  // request bytes reach past this beat.
  assign word_leaves_tail = rf_last && !beat_is_last;

  assign rinfo_pop = o_fire && beat_is_last;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      al_have_prev_q <= 1'b0;
      al_drain_q     <= 1'b0;
      al_first_q     <= 1'b1;
      al_last_q      <= 1'b0;
      al_rem_q       <= '0;
    end else begin
      if (rf_pop && !ri_aligned) al_have_prev_q <= 1'b1;
      if (o_fire) begin
        if (beat_is_last) begin
          al_first_q <= 1'b1;
        end else begin
          al_first_q <= 1'b0;
          al_rem_q   <= al_rem_now - LenWidth'(LaneBytes);
          al_last_q  <= al_first_q ? ri_two : (al_rem_q <= LenWidth'(2 * LaneBytes));
        end
        if (beat_is_last) al_have_prev_q <= 1'b0;
        if (al_drain_q) al_drain_q <= 1'b0;
        else if (!ri_aligned && al_have_prev_q && word_leaves_tail) al_drain_q <= 1'b1;
      end
    end
  end
  // The flops agree with the length arithmetic they replace: past the first beat the held count
  // is positive and al_last_q is exactly "the rest fits in one beat"; the precomputed facts
  // match the request's length and offset.
  `PNM_ASSERT_NEVER(AlLastFlag_A, rinfo_valid && !al_first_q &&
                    (al_rem_q == '0 || al_last_q != (al_rem_q <= LenWidth'(LaneBytes))),
                    clk_i, rst_ni)
  `PNM_ASSERT_NEVER(RinfoFacts_A, rinfo_valid &&
                    (ri_aligned != (ri_off == '0) || ri_one != (ri_len <= LenWidth'(LaneBytes)) ||
                     ri_two != (ri_len <= LenWidth'(2 * LaneBytes)) ||
                     LenWidth'(ri_lastb) != ri_len - LenWidth'((ri_len - 1'b1) >> LaneSh << LaneSh)),
                    clk_i, rst_ni)
  always_ff @(posedge clk_i) begin
    if (rf_pop) begin
      al_prev_q        <= rf_data;
      al_prev_poison_q <= rf_poison;
      if (rf_last) begin
        al_corr_q     <= rf_corr;
        al_bad_q      <= rf_bad;
        al_bad_addr_q <= rf_bad_addr;
      end
    end
  end

  // The status of the request: from the last word (still in the read FIFO, or already held).
  logic [CorrW-1:0] st_corr;
  logic             st_bad;
  logic [AddrW-1:0] st_bad_addr;
  always_comb begin
    if (al_drain_q || !rf_valid || !rf_last) begin
      st_corr     = al_corr_q;
      st_bad      = al_bad_q;
      st_bad_addr = al_bad_addr_q;
    end else begin
      st_corr     = rf_corr;
      st_bad      = rf_bad;
      st_bad_addr = rf_bad_addr;
    end
  end

  // Output register.
  localparam int unsigned OutW = LaneBytes * 8 + KeepW + 1 + 1 + TagWidth + CorrW + 1 + AddrW;
  pnm_spill_reg #(
    .Width(OutW)
  ) u_out (
    .clk_i,
    .rst_ni,
    .valid_i (o_valid),
    .ready_o (o_ready),
    .data_i  ({o_data, o_bytes, o_last, o_poison, ri_tag,
               beat_is_last ? st_corr : CorrW'(0), beat_is_last && st_bad,
               (beat_is_last && st_bad) ? st_bad_addr : AddrW'(0)}),
    .valid_o (out_valid_o),
    .ready_i (out_ready_i),
    .data_o  ({out_data_o, out_bytes_o, out_last_o, out_poison_o, out_tag_o, out_corrected_o,
               out_uncorrectable_o, out_bad_addr_o})
  );

  // ==========================================================================================
  // Counters.
  // ==========================================================================================
  logic [CntWidth-1:0] cnt_bytes_q, cnt_reads_q, cnt_corr_q, cnt_unc_q, cnt_stall_q;
  logic [$clog2(RobPages+1)-1:0] rob_used, rob_hw_q;
  logic [CntWidth-1:0] corr_inc, unc_inc;
  always_comb begin
    corr_inc = '0;
    unc_inc  = '0;
    for (int unsigned c = 0; c < Channels; c++) begin
      if (dx_en_q[c]) begin
        corr_inc = corr_inc + CntWidth'(wr_singles[c*$clog2(DecPerBeat+1) +: $clog2(DecPerBeat+1)]);
        unc_inc  = unc_inc + CntWidth'(wr_doubles[c*$clog2(DecPerBeat+1) +: $clog2(DecPerBeat+1)]);
      end
    end
  end
  always_comb begin
    rob_used = '0;
    for (int unsigned c = 0; c < Channels; c++) begin
      rob_used = rob_used + $clog2(RobPages+1)'(slots_used_q[c*SlotCntW +: SlotCntW]);
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_bytes_q <= '0;
      cnt_reads_q <= '0;
      cnt_corr_q  <= '0;
      cnt_unc_q   <= '0;
      cnt_stall_q <= '0;
      rob_hw_q    <= '0;
    end else begin
      if (out_valid_o && out_ready_i) cnt_bytes_q <= cnt_bytes_q + CntWidth'(out_bytes_o);
      if (iss_fire) cnt_reads_q <= cnt_reads_q + 1'b1;
      if (out_valid_o && !out_ready_i) cnt_stall_q <= cnt_stall_q + 1'b1;
      cnt_corr_q <= cnt_corr_q + corr_inc;
      cnt_unc_q  <= cnt_unc_q + unc_inc;
      if (rob_used > rob_hw_q) rob_hw_q <= rob_used;
    end
  end
  assign cnt_bytes_o      = cnt_bytes_q;
  assign cnt_reads_o      = cnt_reads_q;
  assign cnt_corrected_o  = cnt_corr_q;
  assign cnt_uncorrectable_o = cnt_unc_q;
  assign cnt_out_stall_o  = cnt_stall_q;
  assign rob_high_water_o = rob_hw_q;

  logic [InflW-1:0] infl_max, infl_hw_q;
  logic [2:0]       req_hw_q;
  always_comb begin
    infl_max = '0;
    for (int unsigned c = 0; c < Channels; c++) begin
      if (inflight_q[c*InflW +: InflW] > infl_max) infl_max = inflight_q[c*InflW +: InflW];
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      infl_hw_q <= '0;
      req_hw_q  <= '0;
    end else begin
      if (infl_max > infl_hw_q) infl_hw_q <= infl_max;
      if (rq_usage > req_hw_q)  req_hw_q  <= rq_usage;
    end
  end
  assign inflight_high_water_o = infl_hw_q;
  assign req_high_water_o      = req_hw_q;

  for (genvar c = 0; c < Channels; c++) begin : gen_ch_cnt
    logic [CntWidth-1:0] busy_q, wait_q, idle_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        busy_q <= '0;
        wait_q <= '0;
        idle_q <= '0;
      end else if (ch_rd_valid_i[c]) begin
        busy_q <= busy_q + 1'b1;
      end else if (inflight_q[c*InflW +: InflW] != '0) begin
        wait_q <= wait_q + 1'b1;
      end else begin
        idle_q <= idle_q + 1'b1;
      end
    end
    assign cnt_ch_busy_o[c*CntWidth +: CntWidth] = busy_q;
    assign cnt_ch_wait_o[c*CntWidth +: CntWidth] = wait_q;
    assign cnt_ch_idle_o[c*CntWidth +: CntWidth] = idle_q;
  end

  // ==========================================================================================
  // Assertions.
  // ==========================================================================================
  `PNM_ASSERT(Geometry_A, PageBytes % LaneBytes == 0 && LaneBytes % ChBytes == 0 &&
              ChBytes % 8 == 0 && RobPages % Channels == 0 && Slots >= 1, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(ReqStream_A, req_valid_i, req_ready_o, {req_addr_i, req_len_i, req_tag_i},
                     clk_i, rst_ni)
  `PNM_ASSERT_NEVER(ReqZeroLen_A, req_valid_i && req_len_i == '0, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(OutStream_A, out_valid_o, out_ready_i, {out_data_o, out_bytes_o, out_last_o},
                     clk_i, rst_ni)
  // The read FIFO never overflows (reads are issued against its free space).
  `PNM_ASSERT_NEVER(RdFifoOverflow_A, rm_valid && !rf_ready_unused, clk_i, rst_ni)
  // The free count is the FIFO's room less the reads on their way to it.
  `PNM_ASSERT(RdFreeCount_A,
              32'(rd_free_q) + 32'(rf_usage) + 32'(rd_flight) == RdFifoDepth, clk_i, rst_ni)
  for (genvar c = 0; c < Channels; c++) begin : gen_ch_assert
    // Data only for a slot that is waiting for it.
    `PNM_ASSERT_NEVER(DataForIdleSlot_A, ch_rd_valid_i[c] &&
                      slot_done[c*Slots + 32'(ch_rd_tag_i[c*SlotW +: SlotW])], clk_i, rst_ni)
  end
endmodule
