// Credit counter for credit-based flow control: the sender holds one credit per free buffer
// slot at the receiver, spends one per flit sent (take_i) and gets one back when the receiver
// frees a slot (give_i). A take and a give in the same cycle cancel. Overspending (take with no
// credit) and over-returning (more credits than MaxCredits) are protocol errors: they are
// asserted in simulation and flagged on error_o (sticky until reset) in every build.
`include "pnm_assert.svh"

module pnm_credit_counter #(
  parameter int unsigned MaxCredits  = 4,
  parameter int unsigned InitCredits = MaxCredits,
  localparam int unsigned CountWidth = $clog2(MaxCredits + 1)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  take_i,     // one credit spent this cycle
  input  logic                  give_i,     // one credit returned this cycle
  output logic [CountWidth-1:0] credits_o,  // credits held now
  output logic                  available_o,
  output logic                  error_o     // sticky: underflow or overflow was attempted
);
  localparam logic [CountWidth-1:0] MaxCount  = CountWidth'(MaxCredits);
  localparam logic [CountWidth-1:0] InitCount = CountWidth'(InitCredits);

  logic [CountWidth-1:0] credits_q, credits_d;
  logic                  error_q, error_d;
  logic                  underflow, overflow;

  assign underflow   = take_i && !give_i && (credits_q == '0);
  assign overflow    = give_i && !take_i && (credits_q == MaxCount);
  assign credits_o   = credits_q;
  assign available_o = (credits_q != '0);
  assign error_o     = error_q;

  always_comb begin
    credits_d = credits_q;
    error_d   = error_q || underflow || overflow;
    // An illegal update is dropped so the count stays within 0..MaxCredits.
    if (take_i && !give_i && !underflow) credits_d = credits_q - 1'b1;
    if (give_i && !take_i && !overflow)  credits_d = credits_q + 1'b1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      credits_q <= InitCount;
      error_q   <= 1'b0;
    end else begin
      credits_q <= credits_d;
      error_q   <= error_d;
    end
  end

  `PNM_ASSERT(InitInRange_A, InitCredits <= MaxCredits, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(NoUnderflow_A, underflow, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(NoOverflow_A, overflow, clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(CountKnown_A, credits_q, clk_i, rst_ni)
endmodule
