// AXI4 slave (INCR and FIXED bursts, DataWidth-bit beats) that turns every beat into one
// request on a simple memory port: writes carry data and byte strobes; reads return data one
// cycle after they are accepted (mem_rdata_i while mem_rvalid_i). One burst at a time, writes
// before reads when both wait. A beat whose address the memory side does not map
// (mem_err_i with the accept) makes the response SLVERR; a burst of another beat size or of
// type WRAP is answered SLVERR without touching the memory. Reads take two cycles per beat.
// mem_addr_next_o is the address mem_addr_o holds in the next cycle, so that the memory side
// can decode it into flops instead of decoding mem_addr_o on its request path.
`include "pnm_assert.svh"

module pnm_axi_slave #(
  parameter int unsigned AddrWidth = 32,
  parameter int unsigned DataWidth = 64,
  parameter int unsigned IdWidth   = 4,
  localparam int unsigned StrbWidth = DataWidth / 8
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  input  logic [IdWidth-1:0]   s_awid_i,
  input  logic [AddrWidth-1:0] s_awaddr_i,
  input  logic [7:0]           s_awlen_i,
  input  logic [2:0]           s_awsize_i,
  input  logic [1:0]           s_awburst_i,
  input  logic                 s_awvalid_i,
  output logic                 s_awready_o,
  input  logic [DataWidth-1:0] s_wdata_i,
  input  logic [StrbWidth-1:0] s_wstrb_i,
  input  logic                 s_wlast_i,
  input  logic                 s_wvalid_i,
  output logic                 s_wready_o,
  output logic [IdWidth-1:0]   s_bid_o,
  output logic [1:0]           s_bresp_o,
  output logic                 s_bvalid_o,
  input  logic                 s_bready_i,
  input  logic [IdWidth-1:0]   s_arid_i,
  input  logic [AddrWidth-1:0] s_araddr_i,
  input  logic [7:0]           s_arlen_i,
  input  logic [2:0]           s_arsize_i,
  input  logic [1:0]           s_arburst_i,
  input  logic                 s_arvalid_i,
  output logic                 s_arready_o,
  output logic [IdWidth-1:0]   s_rid_o,
  output logic [DataWidth-1:0] s_rdata_o,
  output logic [1:0]           s_rresp_o,
  output logic                 s_rlast_o,
  output logic                 s_rvalid_o,
  input  logic                 s_rready_i,

  output logic                 mem_req_o,
  output logic                 mem_we_o,
  output logic [AddrWidth-1:0] mem_addr_o,
  output logic [AddrWidth-1:0] mem_addr_next_o,
  output logic [DataWidth-1:0] mem_wdata_o,
  output logic [StrbWidth-1:0] mem_wstrb_o,
  input  logic                 mem_ready_i,   // request accepted this cycle
  input  logic                 mem_err_i,     // with the accept: the address is not mapped
  input  logic                 mem_rvalid_i,  // read data, the cycle after a read was accepted
  input  logic [DataWidth-1:0] mem_rdata_i
);
  localparam logic [2:0] BeatSize = 3'($clog2(StrbWidth));
  localparam logic [1:0] BurstFixed = 2'b00, BurstIncr = 2'b01;
  localparam logic [1:0] RespOkay = 2'b00, RespSlvErr = 2'b10;

  typedef enum logic [2:0] {AXI_IDLE, AXI_WRITE, AXI_BRESP, AXI_READ, AXI_RWAIT, AXI_RDATA} axi_state_e;
  axi_state_e state_q, state_d;

  logic [IdWidth-1:0]   id_q;
  logic [AddrWidth-1:0] addr_q, addr_d;
  logic [7:0]           left_q;       // beats after the current one
  logic                 incr_q, bad_q, err_q;
  logic [DataWidth-1:0] rdata_q;
  logic                 rerr_q;

  logic aw_fire, ar_fire, w_fire, mem_fire;
  assign s_awready_o = (state_q == AXI_IDLE);
  assign s_arready_o = (state_q == AXI_IDLE) && !s_awvalid_i;
  assign aw_fire     = s_awvalid_i && s_awready_o;
  assign ar_fire     = s_arvalid_i && s_arready_o;

  // Write beats go to memory in the cycle they are accepted (skipped for a bad burst).
  assign mem_we_o    = (state_q == AXI_WRITE);
  assign mem_req_o   = ((state_q == AXI_WRITE) && s_wvalid_i && !bad_q) || (state_q == AXI_READ && !bad_q);
  assign mem_addr_o  = addr_q;
  assign mem_addr_next_o = addr_d;
  assign mem_wdata_o = s_wdata_i;
  assign mem_wstrb_o = s_wstrb_i;
  assign mem_fire    = mem_req_o && mem_ready_i;
  assign s_wready_o  = (state_q == AXI_WRITE) && (bad_q || mem_ready_i);
  assign w_fire      = s_wvalid_i && s_wready_o;

  assign s_bvalid_o = (state_q == AXI_BRESP);
  assign s_bid_o    = id_q;
  assign s_bresp_o  = err_q ? RespSlvErr : RespOkay;
  assign s_rvalid_o = (state_q == AXI_RDATA);
  assign s_rid_o    = id_q;
  assign s_rdata_o  = rdata_q;
  assign s_rresp_o  = rerr_q ? RespSlvErr : RespOkay;
  assign s_rlast_o  = (left_q == '0);

  always_comb begin
    state_d = state_q;
    unique case (state_q)
      AXI_IDLE:  if (aw_fire) state_d = AXI_WRITE;
                 else if (ar_fire) state_d = AXI_READ;
      AXI_WRITE: if (w_fire && s_wlast_i) state_d = AXI_BRESP;
      AXI_BRESP: if (s_bready_i) state_d = AXI_IDLE;
      AXI_READ:  if (bad_q) state_d = AXI_RDATA;
                 else if (mem_fire) state_d = AXI_RWAIT;
      AXI_RWAIT: state_d = AXI_RDATA;
      AXI_RDATA: if (s_rready_i) state_d = (left_q == '0) ? AXI_IDLE : AXI_READ;
      default:   state_d = AXI_IDLE;
    endcase
  end

  // The burst address: loaded from AW or AR, stepped after every INCR beat (a write beat when it
  // is accepted, a read beat when the master takes its data).
  always_comb begin
    addr_d = addr_q;
    if (aw_fire)      addr_d = s_awaddr_i;
    else if (ar_fire) addr_d = s_araddr_i;
    else if (incr_q && ((state_q == AXI_WRITE && w_fire) || (state_q == AXI_RDATA && s_rready_i)))
      addr_d = addr_q + AddrWidth'(StrbWidth);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= AXI_IDLE;
      id_q    <= '0;
      addr_q  <= '0;
      left_q  <= '0;
      incr_q  <= 1'b0;
      bad_q   <= 1'b0;
      err_q   <= 1'b0;
      rdata_q <= '0;
      rerr_q  <= 1'b0;
    end else begin
      state_q <= state_d;
      addr_q  <= addr_d;
      if (aw_fire || ar_fire) begin
        id_q   <= aw_fire ? s_awid_i : s_arid_i;
        left_q <= aw_fire ? s_awlen_i : s_arlen_i;
        incr_q <= (aw_fire ? s_awburst_i : s_arburst_i) == BurstIncr;
        bad_q  <= aw_fire ? (s_awsize_i != BeatSize || (s_awburst_i != BurstIncr && s_awburst_i != BurstFixed))
                          : (s_arsize_i != BeatSize || (s_arburst_i != BurstIncr && s_arburst_i != BurstFixed));
        err_q  <= 1'b0;
      end
      if (state_q == AXI_WRITE && w_fire) begin
        if (bad_q || (mem_fire && mem_err_i)) err_q <= 1'b1;
      end
      if (state_q == AXI_READ && (bad_q || mem_fire)) rerr_q <= bad_q || mem_err_i;
      if (state_q == AXI_RWAIT) rdata_q <= mem_rvalid_i ? mem_rdata_i : '0;
      if (state_q == AXI_READ && bad_q) rdata_q <= '0;
      if (state_q == AXI_RDATA && s_rready_i) begin
        left_q <= left_q - 1'b1;
      end
    end
  end

  `PNM_ASSERT_STREAM(BStream_A, s_bvalid_o, s_bready_i, {s_bid_o, s_bresp_o}, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(RStream_A, s_rvalid_o, s_rready_i, {s_rid_o, s_rdata_o, s_rresp_o, s_rlast_o},
                     clk_i, rst_ni)
  `PNM_ASSERT(ReadDataOnTime_A, state_q != AXI_RWAIT || mem_rvalid_i || rerr_q, clk_i, rst_ni)
endmodule
