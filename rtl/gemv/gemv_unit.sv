// Near-memory GEMV unit (DESIGN.md section 4.2): y[b][r] = sum_k W[r][k] * x[b][k] for up to
// MaxBatch activation vectors held in an on-die buffer, with the weights streamed in row-major
// (each row padded to a multiple of LaneBytes) at one beat per cycle, INT8 or packed INT4.
// Results leave one (row, batch) at a time as INT32, or as INT8 through `requant`.
//
// Pipeline (see docs/gemv.md for the timing diagram and the cycle formula):
//   accept  weight beat handshake; activation buffer read at the beat's address
//   s1      operand selection and masking (gemv_dot, one per batch vector)
//   sp      products (gemv_dot)
//   st      partial sums of 8 products (gemv_dot)
//   sd      dot product total (gemv_dot); requant table read
//   s2      accumulate; a row's last beat pushes its sums into the row FIFO
//   ser     the row FIFO head is sent to `requant` one batch vector per cycle
//   requant 5 stages (bypassed at equal latency for INT32 results)
// s1, sp, st, sd and s2 never stall. Instead a row's last beat is accepted only while the row FIFO has
// room for it counting every row already in flight (rows_pending_q), so the result path throttles
// the weight stream without a pipeline-wide stall signal.
//
// Commands are checked as they enter the command queue and reported when they reach its head.
// An illegal one is dropped there without consuming weights or producing results, and
// err_valid_o pulses with its code (gemv_pkg::GEMV_ERR_*).
`include "pnm_assert.svh"

module gemv_unit #(
  parameter int unsigned LaneBytes = 64,     // weight bytes per beat (power of two, >= 8)
  parameter int unsigned MaxBatch  = 4,      // activation vectors per command
  parameter int unsigned MaxK      = 32768,  // activation buffer: elements per vector slot
  parameter int unsigned RowWidth  = 20,     // rows per command < 2^RowWidth
  parameter int unsigned RqEntries = 256,    // requantisation table entries (power of two)
  parameter int unsigned CntWidth  = 48,     // performance counter width (wraps)
  // 1: the products as pnm_mul_reg cells (the FPGA build; gemv_dot), 0: inline (simulation)
  parameter bit          MulCells  = 1'b0,

  localparam int unsigned AccWidth   = gemv_pkg::AccWidth,
  localparam int unsigned RqWidth    = gemv_pkg::RqWidth,
  localparam int unsigned ErrWidth   = gemv_pkg::ErrWidth,
  localparam int unsigned ActDepth   = MaxK / (2 * LaneBytes),  // pair words per slot
  localparam int unsigned ActAddrW   = (ActDepth > 1) ? $clog2(ActDepth) : 1,
  localparam int unsigned SlotW      = (MaxBatch > 1) ? $clog2(MaxBatch) : 1,
  localparam int unsigned ActWAddrW  = SlotW + ActAddrW + 1,    // {slot, pair, half}
  localparam int unsigned KWidth     = $clog2(MaxK + 1),
  // One more than MaxBatch is always representable, so an oversized batch is an error the unit
  // reports rather than a value the port cannot carry.
  localparam int unsigned BatchWidth = $clog2(MaxBatch + 2),
  localparam int unsigned RqAddrW    = (RqEntries > 1) ? $clog2(RqEntries) : 1
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,

  // Activation buffer write port (SRAM-like, always accepted). Address {slot, pair, half}:
  // word w of vector slot s holds elements [w*LaneBytes, (w+1)*LaneBytes), byte e in bits
  // [8e+7:8e]. The writer must not overwrite a slot a running command reads.
  input  logic                      act_we_i,
  input  logic [ActWAddrW-1:0]      act_waddr_i,
  input  logic [LaneBytes*8-1:0]    act_wdata_i,

  // Requantisation table write port (SRAM-like). Entry layout {zp[7:0], shift[4:0], m0[31:0]}.
  input  logic                      rq_we_i,
  input  logic [RqAddrW-1:0]        rq_waddr_i,
  input  logic [RqWidth-1:0]        rq_wdata_i,

  // Command stream.
  input  logic                      cmd_valid_i,
  output logic                      cmd_ready_o,
  input  logic [RowWidth-1:0]       cmd_rows_i,       // 1 .. 2^RowWidth-1
  input  logic [KWidth-1:0]         cmd_k_i,          // 1 .. MaxK
  input  logic                      cmd_int4_i,       // weights packed INT4 (else INT8)
  input  logic [BatchWidth-1:0]     cmd_batch_i,      // vectors: slots 0 .. batch-1
  input  logic [ActAddrW-1:0]       cmd_x_base_i,     // first pair word of each vector
  input  logic                      cmd_requant_i,    // INT8 results through requant
  input  logic                      cmd_rq_per_row_i, // table entry rq_base+row (else rq_base)
  input  logic [RqAddrW-1:0]        cmd_rq_base_i,

  // Weight stream, row-major, rows padded to a multiple of LaneBytes.
  input  logic                      w_valid_i,
  output logic                      w_ready_o,
  input  logic [LaneBytes*8-1:0]    w_data_i,

  // Result stream: rows in order, within a row batch 0 .. batch-1.
  output logic                      res_valid_o,
  input  logic                      res_ready_i,
  output logic [RowWidth-1:0]       res_row_o,
  output logic [SlotW-1:0]          res_batch_o,
  output logic [AccWidth-1:0]       res_value_o,  // INT32, or INT8 sign-extended
  output logic                      res_int8_o,
  output logic                      res_last_o,   // last result of its command

  // Illegal command: one-cycle pulse with the reason.
  output logic                      err_valid_o,
  output logic [ErrWidth-1:0]       err_code_o,

  // Status and performance counters.
  output logic                      busy_o,
  output logic [CntWidth-1:0]       cnt_busy_o,     // cycles with work queued or in flight
  output logic [CntWidth-1:0]       cnt_starved_o,  // wanted a weight beat, none offered
  output logic [CntWidth-1:0]       cnt_blocked_o,  // beat offered, result path full
  output logic [CntWidth-1:0]       cnt_macs_o,     // useful MACs (elements < K) x batch
  output logic [CntWidth-1:0]       cnt_cmds_o,     // commands completed
  output logic [CntWidth-1:0]       cnt_errs_o      // illegal commands dropped
);
  localparam int unsigned Int8Elems    = LaneBytes;      // elements per beat
  localparam int unsigned Int4Elems    = 2 * LaneBytes;
  localparam int unsigned Int8Shift    = $clog2(Int8Elems);
  localparam int unsigned Int4Shift    = $clog2(Int4Elems);
  localparam int unsigned BeatWidth    = $clog2(MaxK / LaneBytes);  // beat index in a row
  localparam int unsigned CountWidth   = $clog2(Int4Elems + 1);     // elements in one beat
  localparam int unsigned DotWidth     = $clog2(LaneBytes) + 16;
  localparam int unsigned RowFifoDepth = 7;  // a one-beat row is pending 7 cycles (accept to pop)
  localparam int unsigned PendWidth    = $clog2(RowFifoDepth + 1);
  localparam int unsigned MacIncWidth  = CountWidth + BatchWidth;

  // ------------------------------------------------------------------------------------------
  // Command queue. The head is the running command; the next one waits behind it so that rows
  // of consecutive commands follow without a gap. A command is checked and decoded (last row,
  // last beat of a row, elements in that beat) on its way in, so the head's bookkeeping and the
  // weight accept compare against stored values instead of computing them from the raw fields
  // at the head (that arithmetic was the FPGA critical path, docs/fpga.md round 10). The
  // check's verdict is reported when the command reaches the head, as before.
  // ------------------------------------------------------------------------------------------
  localparam int unsigned CmdWidth = ErrWidth + RowWidth + BeatWidth + CountWidth +
                                     2 * LaneBytes + 1 + BatchWidth + ActAddrW + 1 + 1 + RqAddrW;

  // Input register: the command's fields come from flops here, so the checks and the decode
  // below start beside the unit rather than at the sender's registers (the node's execute
  // stage, across the die: docs/fpga.md round 19). One cycle more from a command to its first
  // weight beat.
  localparam int unsigned CmdInW = RowWidth + KWidth + 1 + BatchWidth + ActAddrW + 1 + 1 +
                                   RqAddrW;
  logic                  ci_valid, ci_ready;
  logic [RowWidth-1:0]   ci_rows;
  logic [KWidth-1:0]     ci_k;
  logic                  ci_int4, ci_requant, ci_rq_per_row;
  logic [BatchWidth-1:0] ci_batch;
  logic [ActAddrW-1:0]   ci_x_base;
  logic [RqAddrW-1:0]    ci_rq_base;
  pnm_spill_reg #(
    .Width(CmdInW)
  ) u_cmd_in (
    .clk_i, .rst_ni,
    .valid_i(cmd_valid_i), .ready_o(cmd_ready_o),
    .data_i ({cmd_rows_i, cmd_k_i, cmd_int4_i, cmd_batch_i, cmd_x_base_i, cmd_requant_i,
              cmd_rq_per_row_i, cmd_rq_base_i}),
    .valid_o(ci_valid), .ready_i(ci_ready),
    .data_o ({ci_rows, ci_k, ci_int4, ci_batch, ci_x_base, ci_requant, ci_rq_per_row,
              ci_rq_base})
  );

  // Checks and decode of the incoming command.
  logic [ErrWidth-1:0]   in_err;
  logic [ActAddrW+1:0]   act_room;   // pair words from x_base to the end of a slot
  logic [RowWidth:0]     rq_needed;
  logic [RqAddrW+1:0]    rq_room;    // table entries from rq_base to the end
  logic [RowWidth-1:0]   in_rows_m1;
  logic [BeatWidth-1:0]  in_beats_m1;
  logic [CountWidth-1:0] in_last_elems;
  logic [Int4Shift-1:0]  in_r4;  // K mod elements per beat (0: the last beat is full)
  logic [Int8Shift-1:0]  in_r8;
  logic [LaneBytes-1:0]  in_last_lo_mask, in_last_hi_mask;
  always_comb begin
    // The ranges as room left after the start, compared with what the command needs, instead
    // of start + need compared with the end (docs/fpga.md round 21): the room is one subtract
    // from a constant, and ceil(K / Int4Elems) > room is K > room * Int4Elems (a shift), so
    // no adder sits in front of the compare. A start past the end (x_base can exceed ActDepth
    // when that is not a power of two) leaves a negative room: its top bit.
    act_room  = (ActAddrW + 2)'(ActDepth) - (ActAddrW + 2)'(ci_x_base);
    rq_needed = ci_rq_per_row ? (RowWidth + 1)'(ci_rows) : (RowWidth + 1)'(1);
    rq_room   = (RqAddrW + 2)'(RqEntries) - (RqAddrW + 2)'(ci_rq_base);
    in_err = gemv_pkg::GEMV_ERR_NONE;
    if (ci_rows == '0) begin
      in_err = gemv_pkg::GEMV_ERR_ROWS;
    end else if (ci_k == '0 || 32'(ci_k) > MaxK) begin
      in_err = gemv_pkg::GEMV_ERR_K;
    end else if (ci_batch == '0 || 32'(ci_batch) > MaxBatch) begin
      in_err = gemv_pkg::GEMV_ERR_BATCH;
    end else if (act_room[ActAddrW+1] || 32'(ci_k) > (32'(act_room) << Int4Shift)) begin
      in_err = gemv_pkg::GEMV_ERR_ACT_RANGE;
    end else if (ci_requant && (rq_room[RqAddrW+1] || 32'(rq_needed) > 32'(rq_room))) begin
      in_err = gemv_pkg::GEMV_ERR_RQ_RANGE;
    end
    // Meaningful only for a command that passes the checks (1 <= rows, 1 <= K <= MaxK).
    in_rows_m1    = ci_rows - 1'b1;
    in_beats_m1   = ci_int4 ? BeatWidth'((32'(ci_k) - 1) >> Int4Shift)
                               : BeatWidth'((32'(ci_k) - 1) >> Int8Shift);
    // Elements in a row's last beat: K mod elements per beat, or a full beat. From K's low
    // bits alone (no adder: docs/fpga.md round 19).
    in_r4 = ci_k[Int4Shift-1:0];
    in_r8 = ci_k[Int8Shift-1:0];
    if (ci_int4) in_last_elems = (in_r4 == '0) ? CountWidth'(Int4Elems) : CountWidth'(in_r4);
    else            in_last_elems = (in_r8 == '0) ? CountWidth'(Int8Elems) : CountWidth'(in_r8);
    // Which products of a row's last beat count: element indices below n = in_last_elems.
    // INT8: byte i is element i (i < n). INT4: byte i holds elements 2i (low product, 2i < n)
    // and 2i+1 (high product, 2i+1 < n). Thermometer codes, decoded here so the weight accept
    // only selects them (docs/fpga.md round 18); every other beat is full.
    for (int unsigned i = 0; i < LaneBytes; i++) begin
      if (ci_int4) begin
        in_last_lo_mask[i] = (in_r4 == '0) || (32'(in_r4) > 2*i);
        in_last_hi_mask[i] = (in_r4 == '0) || (32'(in_r4) > 2*i + 1);
      end else begin
        in_last_lo_mask[i] = (in_r8 == '0) || (32'(in_r8) > i);
        in_last_hi_mask[i] = in_last_lo_mask[i];
      end
    end
  end

  logic                  head_valid, head_pop;
  logic [CmdWidth-1:0]   head_data;
  logic [ErrWidth-1:0]   head_err;
  logic [RowWidth-1:0]   c_rows_m1;
  logic [BeatWidth-1:0]  beats_m1;
  logic [CountWidth-1:0] last_elems;
  logic [LaneBytes-1:0]  last_lo_mask, last_hi_mask;
  logic                  c_int4;
  logic [BatchWidth-1:0] c_batch;
  logic [ActAddrW-1:0]   c_x_base;
  logic                  c_requant, c_rq_per_row;
  logic [RqAddrW-1:0]    c_rq_base;
  // A spill register rather than a two-entry FIFO: the head is a register, not a RAM read
  // (the FPGA build's critical path of docs/fpga.md round 13); same capacity and timing.
  pnm_spill_reg #(
    .Width(CmdWidth)
  ) u_cmd_queue (
    .clk_i,
    .rst_ni,
    .valid_i (ci_valid),
    .ready_o (ci_ready),
    .data_i  ({in_err, in_rows_m1, in_beats_m1, in_last_elems, in_last_lo_mask,
               in_last_hi_mask, ci_int4, ci_batch,
               ci_x_base, ci_requant, ci_rq_per_row, ci_rq_base}),
    .valid_o (head_valid),
    .ready_i (head_pop),
    .data_o  (head_data)
  );
  assign {head_err, c_rows_m1, beats_m1, last_elems, last_lo_mask, last_hi_mask, c_int4,
          c_batch, c_x_base, c_requant,
          c_rq_per_row, c_rq_base} = head_data;

  logic head_ok, head_bad;
  assign head_ok  = head_valid && (head_err == gemv_pkg::GEMV_ERR_NONE);
  assign head_bad = head_valid && (head_err != gemv_pkg::GEMV_ERR_NONE);

  // ------------------------------------------------------------------------------------------
  // Beat position within the head command and the weight handshake.
  // ------------------------------------------------------------------------------------------
  logic [BeatWidth-1:0]  beat_q, beat_d;
  logic [RowWidth-1:0]   row_q, row_d;
  logic [CountWidth-1:0] elems, count;
  logic                  row_first, row_last, cmd_last;
  logic [PendWidth-1:0]  rows_pending_q, rows_pending_d;
  logic                  credit_ok, accept, row_pop;

  always_comb begin
    elems     = c_int4 ? CountWidth'(Int4Elems) : CountWidth'(Int8Elems);
    row_first = (beat_q == '0);
    row_last  = (beat_q == beats_m1);
    cmd_last  = row_last && (row_q == c_rows_m1);
    count     = row_last ? last_elems : elems;
  end

  assign credit_ok = !row_last || (32'(rows_pending_q) < RowFifoDepth);
  assign w_ready_o = head_ok && credit_ok;
  assign accept    = w_valid_i && w_ready_o;
  assign head_pop  = head_bad || (accept && cmd_last);

  always_comb begin
    beat_d = beat_q;
    row_d  = row_q;
    if (accept) begin
      beat_d = row_last ? '0 : beat_q + 1'b1;
      if (row_last) row_d = cmd_last ? '0 : row_q + 1'b1;
    end
    rows_pending_d = rows_pending_q;
    if (accept && row_last && !row_pop) rows_pending_d = rows_pending_q + 1'b1;
    if (row_pop && !(accept && row_last)) rows_pending_d = rows_pending_q - 1'b1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      beat_q         <= '0;
      row_q          <= '0;
      rows_pending_q <= '0;
    end else begin
      beat_q         <= beat_d;
      row_q          <= row_d;
      rows_pending_q <= rows_pending_d;
    end
  end

  // Which products of the beat count (the masks decoded on the way in).
  logic [LaneBytes-1:0]  lo_mask, hi_mask;
  assign lo_mask = row_last ? last_lo_mask : '1;
  assign hi_mask = row_last ? last_hi_mask : '1;

  // ------------------------------------------------------------------------------------------
  // Activation buffer: per vector slot two banks of LaneBytes (even and odd words), read
  // together, so INT4 beats (2*LaneBytes elements) and INT8 beats (either half) need one read.
  // ------------------------------------------------------------------------------------------
  logic [ActAddrW-1:0] rd_pair;
  assign rd_pair = c_x_base + (c_int4 ? ActAddrW'(beat_q) : ActAddrW'(beat_q >> 1));

  logic [SlotW-1:0]    wr_slot;
  logic [ActAddrW-1:0] wr_pair;
  logic                wr_half;
  assign {wr_slot, wr_pair, wr_half} = act_waddr_i;

  logic [MaxBatch*2*LaneBytes*8-1:0] x_q;  // slot s in bits [s*2L*8 +: 2L*8]
  for (genvar s = 0; s < MaxBatch; s++) begin : gen_act_slot
    for (genvar h = 0; h < 2; h++) begin : gen_bank
      logic [LaneBytes*8-1:0] mem [ActDepth];
      always_ff @(posedge clk_i) begin
        if (act_we_i && 32'(wr_slot) == s && 32'(wr_half) == h) mem[wr_pair] <= act_wdata_i;
        // Slots beyond the command's batch are not read (their lanes stay idle).
        if (accept && 32'(s) < 32'(c_batch)) x_q[(2*s+h)*LaneBytes*8 +: LaneBytes*8] <= mem[rd_pair];
      end
    end
  end

  // ------------------------------------------------------------------------------------------
  // Stage 1: weight beat and its control; operand selection in gemv_dot.
  // ------------------------------------------------------------------------------------------
  logic                   s1_valid_q;
  logic [LaneBytes*8-1:0] s1_w_q;
  logic                   s1_int4_q, s1_half_q, s1_row_first_q, s1_row_last_q, s1_cmd_last_q;
  logic [LaneBytes-1:0]   s1_lo_mask_q, s1_hi_mask_q;
  logic [RowWidth-1:0]    s1_row_q;
  logic [BatchWidth-1:0]  s1_batch_q;
  logic                   s1_requant_q;
  logic [RqAddrW-1:0]     s1_rq_addr_q;

  logic                   s1_half_d;      // INT8: the odd beat reads the high activation word
  logic [RqAddrW-1:0]     s1_rq_addr_d;
  assign s1_half_d    = !c_int4 && beat_q[0];
  assign s1_rq_addr_d = c_rq_base + (c_rq_per_row ? RqAddrW'(row_q) : '0);
  pnm_pipe_reg #(
    .Width(LaneBytes*8 + 5 + 2*LaneBytes + RowWidth + BatchWidth + 1 + RqAddrW)
  ) u_s1_reg (
    .clk_i, .rst_ni,
    .valid_i(accept),
    .data_i ({w_data_i, c_int4, s1_half_d, row_first, row_last, cmd_last, lo_mask, hi_mask,
              row_q, c_batch, c_requant, s1_rq_addr_d}),
    .valid_o(s1_valid_q),
    .data_o ({s1_w_q, s1_int4_q, s1_half_q, s1_row_first_q, s1_row_last_q, s1_cmd_last_q,
              s1_lo_mask_q, s1_hi_mask_q, s1_row_q, s1_batch_q, s1_requant_q, s1_rq_addr_q})
  );

  // ------------------------------------------------------------------------------------------
  // Stage st: the group sums in gemv_dot (a stage of their own for the FPGA build's timing,
  // docs/fpga.md round 10); the beat's control follows.
  // ------------------------------------------------------------------------------------------
  // The beat's control travels s1 -> sp -> st -> sd -> s2 as one vector (row_first, row_last,
  // cmd_last, row, requant, batch); batch is its low field, which sp, st and sd read for the
  // lane enables.
  localparam int unsigned CtlW = 3 + RowWidth + BatchWidth + 1;
  logic [CtlW-1:0]        s1_ctl, st_ctl_q;
  logic                   st_valid_q;
  logic [BatchWidth-1:0]  st_batch;
  logic [RqAddrW-1:0]     st_rq_addr_q;
  assign s1_ctl = {s1_row_first_q, s1_row_last_q, s1_cmd_last_q, s1_row_q, s1_requant_q,
                   s1_batch_q};
  assign st_batch = st_ctl_q[0 +: BatchWidth];

  // Stage sp: the products in gemv_dot, from its registered operands (docs/fpga.md round 17).
  logic [CtlW-1:0]        sp_ctl_q;
  logic                   sp_valid_q;
  logic [BatchWidth-1:0]  sp_batch;
  logic [RqAddrW-1:0]     sp_rq_addr_q;
  assign sp_batch = sp_ctl_q[0 +: BatchWidth];
  pnm_pipe_reg #(
    .Width(CtlW + RqAddrW)
  ) u_sp_reg (
    .clk_i, .rst_ni,
    .valid_i(s1_valid_q), .data_i({s1_ctl, s1_rq_addr_q}),
    .valid_o(sp_valid_q), .data_o({sp_ctl_q, sp_rq_addr_q})
  );
  pnm_pipe_reg #(
    .Width(CtlW + RqAddrW)
  ) u_st_reg (
    .clk_i, .rst_ni,
    .valid_i(sp_valid_q), .data_i({sp_ctl_q, sp_rq_addr_q}),
    .valid_o(st_valid_q), .data_o({st_ctl_q, st_rq_addr_q})
  );

  // Stage sd: the dot product total in gemv_dot, registered, so the accumulator's adder starts
  // from flops (docs/fpga.md round 15); requant table read.
  logic [CtlW-1:0]        sd_ctl_q;
  logic                   sd_valid_q;
  logic [BatchWidth-1:0]  sd_batch;
  logic [RqAddrW-1:0]     sd_rq_addr_q;
  assign sd_batch = sd_ctl_q[0 +: BatchWidth];
  pnm_pipe_reg #(
    .Width(CtlW + RqAddrW)
  ) u_sd_reg (
    .clk_i, .rst_ni,
    .valid_i(st_valid_q), .data_i({st_ctl_q, st_rq_addr_q}),
    .valid_o(sd_valid_q), .data_o({sd_ctl_q, sd_rq_addr_q})
  );

  // Lanes beyond the command's batch stay idle (their sums are never sent).
  logic [MaxBatch*DotWidth-1:0] dot;
  logic [MaxBatch-1:0]          lane_en, lane_en_p, lane_en_t, lane_en_d;
  for (genvar s = 0; s < MaxBatch; s++) begin : gen_dot
    assign lane_en[s]   = s1_valid_q && (32'(s) < 32'(s1_batch_q));
    assign lane_en_p[s] = sp_valid_q && (32'(s) < 32'(sp_batch));
    assign lane_en_t[s] = st_valid_q && (32'(s) < 32'(st_batch));
    assign lane_en_d[s] = sd_valid_q && (32'(s) < 32'(sd_batch));
    gemv_dot #(
      .LaneBytes(LaneBytes), .MulCells(MulCells)
    ) u_dot (
      .clk_i,
      .en_i      (lane_en[s]),
      .en_p_i    (lane_en_p[s]),
      .en_t_i    (lane_en_t[s]),
      .en_d_i    (lane_en_d[s]),
      .int4_i    (s1_int4_q),
      .half_i    (s1_half_q),
      .w_i       (s1_w_q),
      .x_i       (x_q[s*2*LaneBytes*8 +: 2*LaneBytes*8]),
      .lo_mask_i (s1_lo_mask_q),
      .hi_mask_i (s1_hi_mask_q),
      .dot_o     (dot[s*DotWidth +: DotWidth])
    );
  end

  logic [RqWidth-1:0] rq_table [RqEntries];
  logic [RqWidth-1:0] s2_rq_q;
  always_ff @(posedge clk_i) begin
    if (rq_we_i) rq_table[rq_waddr_i] <= rq_wdata_i;
    if (sd_valid_q) s2_rq_q <= rq_table[sd_rq_addr_q];
  end

  // ------------------------------------------------------------------------------------------
  // Stage 2: accumulate; the last beat of a row pushes the row into the row FIFO.
  // ------------------------------------------------------------------------------------------
  logic                  s2_valid_q, s2_row_first_q, s2_row_last_q, s2_cmd_last_q, s2_requant_q;
  logic [RowWidth-1:0]   s2_row_q;
  logic [BatchWidth-1:0] s2_batch_q;
  logic [CtlW-1:0]       s2_ctl_q;
  assign {s2_row_first_q, s2_row_last_q, s2_cmd_last_q, s2_row_q, s2_requant_q, s2_batch_q} =
      s2_ctl_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) s2_valid_q <= 1'b0;
    else         s2_valid_q <= sd_valid_q;
  end
  always_ff @(posedge clk_i) begin
    if (sd_valid_q) s2_ctl_q <= sd_ctl_q;
  end

  logic [MaxBatch*AccWidth-1:0] acc_q, acc_d;
  always_comb begin
    for (int unsigned s = 0; s < MaxBatch; s++) begin
      logic [AccWidth-1:0] d;
      d = AccWidth'($signed(dot[s*DotWidth +: DotWidth]));
      acc_d[s*AccWidth +: AccWidth] = s2_row_first_q ? d : acc_q[s*AccWidth +: AccWidth] + d;
    end
  end
  always_ff @(posedge clk_i) begin
    if (s2_valid_q) acc_q <= acc_d;
  end

  // Row FIFO entry: {row, batch, requant, cmd_last, rq entry, sums of every slot}.
  localparam int unsigned RowEntryWidth = RowWidth + BatchWidth + 2 + RqWidth +
                                          MaxBatch * AccWidth;
  logic                         row_push, row_valid;
  logic [RowEntryWidth-1:0]     row_entry;
  logic [RowWidth-1:0]          r_row;
  logic [BatchWidth-1:0]        r_batch;
  logic                         r_requant, r_cmd_last;
  logic [RqWidth-1:0]           r_rq;
  logic [MaxBatch*AccWidth-1:0] r_acc;
  // Space is guaranteed by rows_pending_q (see RowsPendingBound_A), so ready is not needed.
  logic                         unused_row_ready, unused_row_full, unused_row_empty;
  logic [$clog2(RowFifoDepth+1)-1:0] unused_row_usage;

  assign row_push = s2_valid_q && s2_row_last_q;

  pnm_fifo #(
    .Width(RowEntryWidth),
    .Depth(RowFifoDepth)
  ) u_row_fifo (
    .clk_i,
    .rst_ni,
    .flush_i (1'b0),
    .valid_i (row_push),
    .ready_o (unused_row_ready),
    .data_i  ({s2_row_q, s2_batch_q, s2_requant_q, s2_cmd_last_q, s2_rq_q, acc_d}),
    .valid_o (row_valid),
    .ready_i (row_pop),
    .data_o  (row_entry),
    .usage_o (unused_row_usage),
    .full_o  (unused_row_full),
    .empty_o (unused_row_empty)
  );
  assign {r_row, r_batch, r_requant, r_cmd_last, r_rq, r_acc} = row_entry;

  // ------------------------------------------------------------------------------------------
  // Serialiser: one batch vector of the head row per cycle into requant.
  // ------------------------------------------------------------------------------------------
  localparam int unsigned TagWidth = RowWidth + SlotW + 2;
  logic [SlotW-1:0]   ser_b_q, ser_b_d;
  logic               ser_last_b, rq_in_ready, rq_idle;
  logic [TagWidth-1:0] res_tag;

  assign ser_last_b = (32'(ser_b_q) + 1 == 32'(r_batch));
  assign row_pop    = row_valid && rq_in_ready && ser_last_b;
  always_comb begin
    ser_b_d = ser_b_q;
    if (row_valid && rq_in_ready) ser_b_d = ser_last_b ? '0 : ser_b_q + 1'b1;
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) ser_b_q <= '0;
    else         ser_b_q <= ser_b_d;
  end

  requant #(
    .TagWidth(TagWidth)
  ) u_requant (
    .clk_i,
    .rst_ni,
    .valid_i  (row_valid),
    .ready_o  (rq_in_ready),
    .acc_i    (r_acc[32'(ser_b_q)*AccWidth +: AccWidth]),
    .m0_i     (r_rq[gemv_pkg::M0Width-1:0]),
    .shift_i  (r_rq[gemv_pkg::M0Width +: gemv_pkg::ShiftWidth]),
    .zp_i     (r_rq[gemv_pkg::M0Width + gemv_pkg::ShiftWidth +: gemv_pkg::ZpWidth]),
    .bypass_i (!r_requant),
    .tag_i    ({r_row, ser_b_q, r_requant, r_cmd_last && ser_last_b}),
    .valid_o  (res_valid_o),
    .ready_i  (res_ready_i),
    .value_o  (res_value_o),
    .tag_o    (res_tag),
    .idle_o   (rq_idle)
  );
  assign {res_row_o, res_batch_o, res_int8_o, res_last_o} = res_tag;

  // ------------------------------------------------------------------------------------------
  // Errors and counters.
  // ------------------------------------------------------------------------------------------
  logic                err_valid_q;
  logic [ErrWidth-1:0] err_code_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      err_valid_q <= 1'b0;
      err_code_q  <= gemv_pkg::GEMV_ERR_NONE;
    end else begin
      err_valid_q <= head_bad;
      if (head_bad) err_code_q <= head_err;
    end
  end
  assign err_valid_o = err_valid_q;
  assign err_code_o  = err_code_q;

  assign busy_o = ci_valid || head_valid || s1_valid_q || sp_valid_q || st_valid_q || sd_valid_q ||
                  s2_valid_q || (rows_pending_q != '0) || !rq_idle;

  // The MAC counter is pipelined: the accepted beat's element count and batch are registered,
  // multiplied in the next cycle and added in the one after, so the multiplier sits neither on
  // the command-queue read path nor in front of the wide adder (it was the FPGA critical path).
  // The counter lags the weight handshake by two cycles; a GEMV's results leave at least that
  // much later (s1, s2, requant), so the count is complete when the command is done.
  logic                   mac_valid_q, mac_inc_valid_q;
  logic [CountWidth-1:0]  mac_count_q;
  logic [BatchWidth-1:0]  mac_batch_q;
  logic [MacIncWidth-1:0] mac_inc_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mac_valid_q     <= 1'b0;
      mac_count_q     <= '0;
      mac_batch_q     <= '0;
      mac_inc_valid_q <= 1'b0;
      mac_inc_q       <= '0;
    end else begin
      mac_valid_q     <= accept;
      if (accept) begin
        mac_count_q <= count;
        mac_batch_q <= c_batch;
      end
      mac_inc_valid_q <= mac_valid_q;
      if (mac_valid_q) mac_inc_q <= MacIncWidth'(mac_count_q) * MacIncWidth'(mac_batch_q);
    end
  end

  logic [CntWidth-1:0] cnt_busy_q, cnt_starved_q, cnt_blocked_q, cnt_macs_q, cnt_cmds_q,
                       cnt_errs_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_busy_q    <= '0;
      cnt_starved_q <= '0;
      cnt_blocked_q <= '0;
      cnt_macs_q    <= '0;
      cnt_cmds_q    <= '0;
      cnt_errs_q    <= '0;
    end else begin
      if (busy_o)                               cnt_busy_q    <= cnt_busy_q + 1'b1;
      if (head_ok && credit_ok && !w_valid_i)   cnt_starved_q <= cnt_starved_q + 1'b1;
      if (head_ok && !credit_ok && w_valid_i)   cnt_blocked_q <= cnt_blocked_q + 1'b1;
      if (mac_inc_valid_q)                      cnt_macs_q    <= cnt_macs_q + CntWidth'(mac_inc_q);
      if (accept && cmd_last)                   cnt_cmds_q    <= cnt_cmds_q + 1'b1;
      if (head_bad)                             cnt_errs_q    <= cnt_errs_q + 1'b1;
    end
  end
  assign cnt_busy_o    = cnt_busy_q;
  assign cnt_starved_o = cnt_starved_q;
  assign cnt_blocked_o = cnt_blocked_q;
  assign cnt_macs_o    = cnt_macs_q;
  assign cnt_cmds_o    = cnt_cmds_q;
  assign cnt_errs_o    = cnt_errs_q;

  // ------------------------------------------------------------------------------------------
  // Assertions.
  // ------------------------------------------------------------------------------------------
  `PNM_ASSERT(LaneBytesPow2_A, (LaneBytes & (LaneBytes - 1)) == 0 && LaneBytes >= 8, clk_i, rst_ni)
  `PNM_ASSERT(MaxKWhole_A, MaxK % (2 * LaneBytes) == 0 && ActDepth >= 2, clk_i, rst_ni)
  `PNM_ASSERT(RqEntriesPow2_A, (RqEntries & (RqEntries - 1)) == 0, clk_i, rst_ni)
  // The upstream weight source obeys the stream rule, and so does the result stream.
  `PNM_ASSERT_STREAM(WeightStream_A, w_valid_i, w_ready_o, w_data_i, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(ResultStream_A, res_valid_o, res_ready_i,
                     {res_row_o, res_batch_o, res_value_o, res_int8_o, res_last_o}, clk_i, rst_ni)
  // The row FIFO never overflows: rows in flight plus stored rows stay within its depth.
  `PNM_ASSERT(RowsPendingBound_A, 32'(rows_pending_q) <= RowFifoDepth, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(ActSlotRange_A, act_we_i && 32'(wr_slot) >= MaxBatch, clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(ControlKnown_A, {cmd_ready_o, w_ready_o, res_valid_o, err_valid_o, busy_o},
                    clk_i, rst_ni)
endmodule
