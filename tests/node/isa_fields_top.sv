// Test top for the ISA agreement test: takes one command and splits it into every field the
// way the node's sequencer does, through pnm_isa_pkg. tests/node/isa_agree_test.cpp encodes
// random commands with firmware/include/pnm/isa.hpp and compares every output.
module isa_fields_top (
  input  logic         clk_i,   // unused: the harness needs a clock and a reset
  input  logic         rst_ni,
  input  logic [127:0] cmd_i,
  output logic [7:0]   opcode_o,
  output logic         gemv_int4_o,
  output logic         gemv_requant_o,
  output logic         gemv_rq_per_row_o,
  output logic [2:0]   gemv_batch_o,
  output logic [19:0]  gemv_rows_o,
  output logic [15:0]  gemv_k_o,
  output logic [7:0]   gemv_rq_base_o,
  output logic [15:0]  gemv_x_base_o,
  output logic [35:0]  gemv_w_addr_o,
  output logic [15:0]  gemv_out_base_o,
  output logic [7:0]   rq_index_o,
  output logic [4:0]   rq_shift_o,
  output logic [7:0]   rq_zp_o,
  output logic [31:0]  rq_m0_o,
  output logic [19:0]  ar_len_o,
  output logic [15:0]  ar_base_o,
  output logic [19:0]  ag_len_o,
  output logic [15:0]  ag_base_o,
  output logic [19:0]  bc_len_o,
  output logic [15:0]  bc_base_o,
  output logic [7:0]   bc_root_o,
  output logic [31:0]  pf_bytes_o,
  output logic [35:0]  pf_w_addr_o,
  output logic [31:0]  sig_tag_o
);
  logic unused_clk;
  assign unused_clk = clk_i ^ rst_ni;

  assign opcode_o          = cmd_i[pnm_isa_pkg::ISA_OPCODE_LSB +: pnm_isa_pkg::ISA_OPCODE_W];
  assign gemv_int4_o       = cmd_i[pnm_isa_pkg::ISA_GEMV_INT4_LSB];
  assign gemv_requant_o    = cmd_i[pnm_isa_pkg::ISA_GEMV_REQUANT_LSB];
  assign gemv_rq_per_row_o = cmd_i[pnm_isa_pkg::ISA_GEMV_RQ_PER_ROW_LSB];
  assign gemv_batch_o      = cmd_i[pnm_isa_pkg::ISA_GEMV_BATCH_LSB +: pnm_isa_pkg::ISA_GEMV_BATCH_W];
  assign gemv_rows_o       = cmd_i[pnm_isa_pkg::ISA_GEMV_ROWS_LSB +: pnm_isa_pkg::ISA_GEMV_ROWS_W];
  assign gemv_k_o          = cmd_i[pnm_isa_pkg::ISA_GEMV_K_LSB +: pnm_isa_pkg::ISA_GEMV_K_W];
  assign gemv_rq_base_o    = cmd_i[pnm_isa_pkg::ISA_GEMV_RQ_BASE_LSB +: pnm_isa_pkg::ISA_GEMV_RQ_BASE_W];
  assign gemv_x_base_o     = cmd_i[pnm_isa_pkg::ISA_GEMV_X_BASE_LSB +: pnm_isa_pkg::ISA_GEMV_X_BASE_W];
  assign gemv_w_addr_o     = cmd_i[pnm_isa_pkg::ISA_GEMV_W_ADDR_LSB +: pnm_isa_pkg::ISA_GEMV_W_ADDR_W];
  assign gemv_out_base_o   = cmd_i[pnm_isa_pkg::ISA_GEMV_OUT_BASE_LSB +: pnm_isa_pkg::ISA_GEMV_OUT_BASE_W];
  assign rq_index_o        = cmd_i[pnm_isa_pkg::ISA_REQUANT_INDEX_LSB +: pnm_isa_pkg::ISA_REQUANT_INDEX_W];
  assign rq_shift_o        = cmd_i[pnm_isa_pkg::ISA_REQUANT_SHIFT_LSB +: pnm_isa_pkg::ISA_REQUANT_SHIFT_W];
  assign rq_zp_o           = cmd_i[pnm_isa_pkg::ISA_REQUANT_ZP_LSB +: pnm_isa_pkg::ISA_REQUANT_ZP_W];
  assign rq_m0_o           = cmd_i[pnm_isa_pkg::ISA_REQUANT_M0_LSB +: pnm_isa_pkg::ISA_REQUANT_M0_W];
  assign ar_len_o          = cmd_i[pnm_isa_pkg::ISA_ALLREDUCE_LEN_LSB +: pnm_isa_pkg::ISA_ALLREDUCE_LEN_W];
  assign ar_base_o         = cmd_i[pnm_isa_pkg::ISA_ALLREDUCE_BASE_LSB +: pnm_isa_pkg::ISA_ALLREDUCE_BASE_W];
  assign ag_len_o          = cmd_i[pnm_isa_pkg::ISA_ALLGATHER_LEN_LSB +: pnm_isa_pkg::ISA_ALLGATHER_LEN_W];
  assign ag_base_o         = cmd_i[pnm_isa_pkg::ISA_ALLGATHER_BASE_LSB +: pnm_isa_pkg::ISA_ALLGATHER_BASE_W];
  assign bc_len_o          = cmd_i[pnm_isa_pkg::ISA_BROADCAST_LEN_LSB +: pnm_isa_pkg::ISA_BROADCAST_LEN_W];
  assign bc_base_o         = cmd_i[pnm_isa_pkg::ISA_BROADCAST_BASE_LSB +: pnm_isa_pkg::ISA_BROADCAST_BASE_W];
  assign bc_root_o         = cmd_i[pnm_isa_pkg::ISA_BROADCAST_ROOT_LSB +: pnm_isa_pkg::ISA_BROADCAST_ROOT_W];
  assign pf_bytes_o        = cmd_i[pnm_isa_pkg::ISA_PREFETCH_BYTES_LSB +: pnm_isa_pkg::ISA_PREFETCH_BYTES_W];
  assign pf_w_addr_o       = cmd_i[pnm_isa_pkg::ISA_PREFETCH_W_ADDR_LSB +: pnm_isa_pkg::ISA_PREFETCH_W_ADDR_W];
  assign sig_tag_o         = cmd_i[pnm_isa_pkg::ISA_SIGNAL_TAG_LSB +: pnm_isa_pkg::ISA_SIGNAL_TAG_W];
endmodule
