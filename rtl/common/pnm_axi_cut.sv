// AXI4 register slice: a pnm_spill_reg on each of the five channels, so no combinational path
// crosses it in either direction (valid/data forward, ready backward), at full throughput and
// one cycle of latency per channel. The idea of PULP's axi_cut. Used on the FPGA top between
// the UART bridge and the node, whose host port logic was on the same paths (docs/fpga.md
// round 19). Signals as in pnm_axi_slave (INCR/FIXED bursts, no user, lock, cache or qos).
`include "pnm_assert.svh"

module pnm_axi_cut #(
  parameter int unsigned IdW   = 4,
  parameter int unsigned AddrW = 24,
  parameter int unsigned DataW = 64
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // slave side (from the master)
  input  logic [IdW-1:0]     s_awid_i,
  input  logic [AddrW-1:0]   s_awaddr_i,
  input  logic [7:0]         s_awlen_i,
  input  logic [2:0]         s_awsize_i,
  input  logic [1:0]         s_awburst_i,
  input  logic               s_awvalid_i,
  output logic               s_awready_o,
  input  logic [DataW-1:0]   s_wdata_i,
  input  logic [DataW/8-1:0] s_wstrb_i,
  input  logic               s_wlast_i,
  input  logic               s_wvalid_i,
  output logic               s_wready_o,
  output logic [IdW-1:0]     s_bid_o,
  output logic [1:0]         s_bresp_o,
  output logic               s_bvalid_o,
  input  logic               s_bready_i,
  input  logic [IdW-1:0]     s_arid_i,
  input  logic [AddrW-1:0]   s_araddr_i,
  input  logic [7:0]         s_arlen_i,
  input  logic [2:0]         s_arsize_i,
  input  logic [1:0]         s_arburst_i,
  input  logic               s_arvalid_i,
  output logic               s_arready_o,
  output logic [IdW-1:0]     s_rid_o,
  output logic [DataW-1:0]   s_rdata_o,
  output logic [1:0]         s_rresp_o,
  output logic               s_rlast_o,
  output logic               s_rvalid_o,
  input  logic               s_rready_i,
  // master side (to the slave)
  output logic [IdW-1:0]     m_awid_o,
  output logic [AddrW-1:0]   m_awaddr_o,
  output logic [7:0]         m_awlen_o,
  output logic [2:0]         m_awsize_o,
  output logic [1:0]         m_awburst_o,
  output logic               m_awvalid_o,
  input  logic               m_awready_i,
  output logic [DataW-1:0]   m_wdata_o,
  output logic [DataW/8-1:0] m_wstrb_o,
  output logic               m_wlast_o,
  output logic               m_wvalid_o,
  input  logic               m_wready_i,
  input  logic [IdW-1:0]     m_bid_i,
  input  logic [1:0]         m_bresp_i,
  input  logic               m_bvalid_i,
  output logic               m_bready_o,
  output logic [IdW-1:0]     m_arid_o,
  output logic [AddrW-1:0]   m_araddr_o,
  output logic [7:0]         m_arlen_o,
  output logic [2:0]         m_arsize_o,
  output logic [1:0]         m_arburst_o,
  output logic               m_arvalid_o,
  input  logic               m_arready_i,
  input  logic [IdW-1:0]     m_rid_i,
  input  logic [DataW-1:0]   m_rdata_i,
  input  logic [1:0]         m_rresp_i,
  input  logic               m_rlast_i,
  input  logic               m_rvalid_i,
  output logic               m_rready_o
);
  localparam int unsigned AxW = IdW + AddrW + 8 + 3 + 2;

  pnm_spill_reg #(.Width(AxW)) u_aw (
    .clk_i, .rst_ni,
    .valid_i(s_awvalid_i), .ready_o(s_awready_o),
    .data_i ({s_awid_i, s_awaddr_i, s_awlen_i, s_awsize_i, s_awburst_i}),
    .valid_o(m_awvalid_o), .ready_i(m_awready_i),
    .data_o ({m_awid_o, m_awaddr_o, m_awlen_o, m_awsize_o, m_awburst_o})
  );
  pnm_spill_reg #(.Width(DataW + DataW/8 + 1)) u_w (
    .clk_i, .rst_ni,
    .valid_i(s_wvalid_i), .ready_o(s_wready_o), .data_i({s_wdata_i, s_wstrb_i, s_wlast_i}),
    .valid_o(m_wvalid_o), .ready_i(m_wready_i), .data_o({m_wdata_o, m_wstrb_o, m_wlast_o})
  );
  pnm_spill_reg #(.Width(IdW + 2)) u_b (
    .clk_i, .rst_ni,
    .valid_i(m_bvalid_i), .ready_o(m_bready_o), .data_i({m_bid_i, m_bresp_i}),
    .valid_o(s_bvalid_o), .ready_i(s_bready_i), .data_o({s_bid_o, s_bresp_o})
  );
  pnm_spill_reg #(.Width(AxW)) u_ar (
    .clk_i, .rst_ni,
    .valid_i(s_arvalid_i), .ready_o(s_arready_o),
    .data_i ({s_arid_i, s_araddr_i, s_arlen_i, s_arsize_i, s_arburst_i}),
    .valid_o(m_arvalid_o), .ready_i(m_arready_i),
    .data_o ({m_arid_o, m_araddr_o, m_arlen_o, m_arsize_o, m_arburst_o})
  );
  pnm_spill_reg #(.Width(IdW + DataW + 2 + 1)) u_r (
    .clk_i, .rst_ni,
    .valid_i(m_rvalid_i), .ready_o(m_rready_o),
    .data_i ({m_rid_i, m_rdata_i, m_rresp_i, m_rlast_i}),
    .valid_o(s_rvalid_o), .ready_i(s_rready_i),
    .data_o ({s_rid_o, s_rdata_o, s_rresp_o, s_rlast_o})
  );

  `PNM_ASSERT(DataBytes_A, DataW % 8 == 0, clk_i, rst_ni)
endmodule
