// Round-robin arbiter over NumIn valid/ready streams with data. After a grant is accepted the
// priority moves to the input after the winner, so every requester waits at most NumIn-1
// handshakes. While the output is stalled (valid_o && !ready_i) the grant is locked, so the
// output obeys the stream rule even when a higher-priority request arrives meanwhile.
// Inputs and data are flat vectors: input k owns bits [k*Width +: Width].
`include "pnm_assert.svh"

module pnm_rr_arb #(
  parameter int unsigned NumIn = 4,
  parameter int unsigned Width = 32,
  localparam int unsigned IdxWidth = (NumIn > 1) ? $clog2(NumIn) : 1
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  input  logic [NumIn-1:0]       valid_i,
  output logic [NumIn-1:0]       ready_o,
  input  logic [NumIn*Width-1:0] data_i,

  output logic                   valid_o,
  input  logic                   ready_i,
  output logic [Width-1:0]       data_o,
  output logic [IdxWidth-1:0]    idx_o     // which input the current beat comes from
);
  localparam logic [IdxWidth-1:0] LastIdx = IdxWidth'(NumIn - 1);

  logic [IdxWidth-1:0] prio_q, prio_d;       // input with the highest priority this cycle
  logic                lock_q, lock_d;
  logic [IdxWidth-1:0] lock_idx_q, lock_idx_d;
  logic [IdxWidth-1:0] pick, grant;
  logic                any_valid;

  // First valid input at or after prio_q, wrapping around.
  always_comb begin
    logic [IdxWidth-1:0] cand;
    logic                found;
    pick  = prio_q;
    found = 1'b0;
    cand  = prio_q;
    for (int unsigned n = 0; n < NumIn; n++) begin
      if (!found && valid_i[cand]) begin
        pick  = cand;
        found = 1'b1;
      end
      cand = (cand == LastIdx) ? '0 : cand + 1'b1;
    end
  end

  assign any_valid = |valid_i;
  assign grant     = lock_q ? lock_idx_q : pick;
  assign valid_o   = any_valid && valid_i[grant];
  assign data_o    = data_i[grant*Width +: Width];
  assign idx_o     = grant;

  always_comb begin
    ready_o        = '0;
    ready_o[grant] = ready_i;
  end

  always_comb begin
    prio_d     = prio_q;
    lock_d     = lock_q;
    lock_idx_d = lock_idx_q;
    if (valid_o && ready_i) begin
      prio_d = (grant == LastIdx) ? '0 : grant + 1'b1;
      lock_d = 1'b0;
    end else if (valid_o) begin
      lock_d     = 1'b1;
      lock_idx_d = grant;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      prio_q     <= '0;
      lock_q     <= 1'b0;
      lock_idx_q <= '0;
    end else begin
      prio_q     <= prio_d;
      lock_q     <= lock_d;
      lock_idx_q <= lock_idx_d;
    end
  end

  `PNM_ASSERT(NumInNonZero_A, NumIn >= 1, clk_i, rst_ni)
  // A locked grant always points at a still-valid input (inputs obey the stream rule).
  `PNM_ASSERT(LockedStillValid_A, !lock_q || valid_i[lock_idx_q], clk_i, rst_ni)
  `PNM_ASSERT(OneHotReady_A, $onehot0(ready_o), clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(ControlKnown_A, {valid_o, ready_o, idx_o}, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(OutStream_A, valid_o, ready_i, {idx_o, data_o}, clk_i, rst_ni)
endmodule
