// Test wrapper for the assertion macros themselves (rtl/common/pnm_assert.svh): a stream rule,
// a stream rule with an abort (a flush), an implication and a plain property, all on inputs, so
// the unit test can break each on purpose and prove it fires, and that legal traffic does not.
`include "pnm_assert.svh"

module assert_tb_top (
  input  logic        clk_i,
  input  logic        rst_ni,
  // Stream checked by PNM_ASSERT_STREAM.
  input  logic        s_valid_i,
  input  logic        s_ready_i,
  input  logic [39:0] s_data_i,
  // Stream checked by PNM_ASSERT_STREAM_UNLESS, exempt after a cycle with abort_i.
  input  logic        f_valid_i,
  input  logic        f_ready_i,
  input  logic [7:0]  f_data_i,
  input  logic        f_abort_i,
  // a_i implies b_i (PNM_ASSERT_IMPLIES); c_i never (PNM_ASSERT_NEVER).
  input  logic        a_i,
  input  logic        b_i,
  input  logic        c_i
);
  `PNM_ASSERT_STREAM(S_A, s_valid_i, s_ready_i, s_data_i, clk_i, rst_ni)
  `PNM_ASSERT_STREAM_UNLESS(F_A, f_valid_i, f_ready_i, f_data_i, f_abort_i, clk_i, rst_ni)
  `PNM_ASSERT_IMPLIES(AImpliesB_A, a_i, b_i, clk_i, rst_ni)
  `PNM_ASSERT_NEVER(NeverC_A, c_i, clk_i, rst_ni)
endmodule
