// UART host bridge of the FPGA top (docs/fpga.md, "Host protocol"): turns request frames from a
// PC into 64-bit accesses of three regions, and answers each frame with its data and one status
// byte. One frame at a time; the host waits for the status byte before it sends the next frame.
//
//   request : op (1 byte: 'W' 0x57 or 'R' 0x52), address (4 bytes, little endian, 8-byte
//             aligned), n-1 (1 byte: n = 1..256 beats of 8 bytes), then for 'W' n*8 data bytes
//   response: for 'R' n*8 data bytes (zeros for a beat that failed), then for both the status
//
//   address 0x0xxx_xxxx  the node's AXI4 host port (bits 23:0), one single-beat AXI transaction
//                        per beat (AxSIZE 8 bytes, INCR, ID 0)
//           0x1cxx_xxxx  flash emulator of channel c, write only: 64-bit word at bits 23:3,
//                        stored with its SEC-DED bits XORed with the FLIP mask (error injection)
//           0x2000_00xx  bridge registers: 0x00 ID (ro), 0x08 TR_CYCLES, 0x10 FLIP_LO,
//                        0x18 FLIP_HI (bits 7:0), 0x20 INFO (ro), 0x28 FRAMES (ro),
//                        0x30 FRAME_ERRORS (ro), 0x38 RX_ERRORS (ro: stop-bit errors and
//                        bytes that arrived while a response was due), 0x40 GEOMETRY (ro)
//   status  : 0x00 OK; 0x02 SLVERR, 0x03 DECERR (the first failing beat's AXI-style response;
//             the bridge's own regions answer DECERR for unmapped addresses and SLVERR for
//             writes to read-only registers); 0x81 unknown op; 0x82 frame timeout (a frame not
//             completed within TimeoutCycles of its previous byte); 0x83 unaligned address.
// After 0x81 or 0x82 the bridge waits for a new op byte; a host resynchronises by pausing for
// longer than the timeout.
`include "pnm_assert.svh"

module pnm_uart_bridge #(
  parameter int unsigned ClkPerBit     = 868,
  parameter int unsigned TimeoutCycles = 100000,
  parameter int unsigned AxiAddrW      = 24,
  parameter int unsigned Channels      = 2,
  parameter int unsigned LoadW         = 10,     // flash_emu word address width
  parameter int unsigned TrWidth       = 20,
  parameter int unsigned TrReset       = 64,     // flash emulator tR after reset, cycles
  parameter logic [63:0] Info          = '0,     // build parameters, for the host (docs/fpga.md)
  parameter logic [63:0] Geometry      = '0,     // flash geometry, for the host (docs/fpga.md)
  localparam int unsigned ChW          = (Channels > 1) ? $clog2(Channels) : 1,
  localparam int unsigned ToW          = $clog2(TimeoutCycles + 1)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                rx_i,
  output logic                tx_o,
  output logic                busy_o,           // a frame is in progress

  // AXI4 master, 64-bit data, single beats
  output logic [3:0]          m_awid_o,
  output logic [AxiAddrW-1:0] m_awaddr_o,
  output logic [7:0]          m_awlen_o,
  output logic [2:0]          m_awsize_o,
  output logic [1:0]          m_awburst_o,
  output logic                m_awvalid_o,
  input  logic                m_awready_i,
  output logic [63:0]         m_wdata_o,
  output logic [7:0]          m_wstrb_o,
  output logic                m_wlast_o,
  output logic                m_wvalid_o,
  input  logic                m_wready_i,
  input  logic [3:0]          m_bid_i,
  input  logic [1:0]          m_bresp_i,
  input  logic                m_bvalid_i,
  output logic                m_bready_o,
  output logic [3:0]          m_arid_o,
  output logic [AxiAddrW-1:0] m_araddr_o,
  output logic [7:0]          m_arlen_o,
  output logic [2:0]          m_arsize_o,
  output logic [1:0]          m_arburst_o,
  output logic                m_arvalid_o,
  input  logic                m_arready_i,
  input  logic [3:0]          m_rid_i,
  input  logic [63:0]         m_rdata_i,
  input  logic [1:0]          m_rresp_i,
  input  logic                m_rlast_i,
  input  logic                m_rvalid_i,
  output logic                m_rready_o,

  // flash emulator content port (registered: one write per beat) and tR
  output logic                load_we_o,
  output logic [ChW-1:0]      load_ch_o,
  output logic [LoadW-1:0]    load_addr_o,
  output logic [63:0]         load_data_o,
  output logic [71:0]         load_flip_o,
  output logic [TrWidth-1:0]  cfg_tr_cycles_o,

  output logic [31:0]         cnt_frames_o,
  output logic [31:0]         cnt_frame_errors_o,
  output logic [31:0]         cnt_rx_errors_o
);
  localparam logic [7:0] OpWrite = 8'h57, OpRead = 8'h52;
  localparam logic [7:0] StOk = 8'h00, StSlvErr = 8'h02, StDecErr = 8'h03, StBadOp = 8'h81,
                         StTimeout = 8'h82, StUnaligned = 8'h83;
  localparam logic [63:0] IdValue = 64'h3141_4750_464d_4e50;  // "PNMFPGA1", little endian

  // Frame states.
  localparam logic [3:0] SOp = 4'd0, SAddr = 4'd1, SLen = 4'd2, SWData = 4'd3, SAccess = 4'd4,
                         SWaitB = 4'd5, SWaitR = 4'd6, SRData = 4'd7, SStatus = 4'd8;

  // ---- serial ports ----
  logic       rx_valid, tx_valid, tx_ready;
  logic [7:0] rx_data, tx_data;
  logic       unused_rx_busy;
  logic [31:0] rx_bytes, rx_framing;
  pnm_uart_rx #(.ClkPerBit(ClkPerBit), .CntWidth(32)) u_rx (
    .clk_i, .rst_ni, .rx_i, .valid_o(rx_valid), .data_o(rx_data), .busy_o(unused_rx_busy),
    .cnt_bytes_o(rx_bytes), .cnt_framing_o(rx_framing)
  );
  pnm_uart_tx #(.ClkPerBit(ClkPerBit)) u_tx (
    .clk_i, .rst_ni, .valid_i(tx_valid), .ready_o(tx_ready), .data_i(tx_data), .tx_o
  );

  // ---- frame state ----
  logic [3:0]   state_q;
  logic         write_q, bad_align_q, aw_done_q, w_done_q;
  logic [31:0]  addr_q;
  logic [8:0]   beats_q;                 // beats left in the frame
  logic [2:0]   byte_q;                  // byte within the address or the data beat
  logic [63:0]  data_q;
  logic [7:0]   status_q;
  logic [ToW-1:0] idle_q;                // cycles since the last byte of an unfinished frame
  logic [TrWidth-1:0] tr_q;
  logic [71:0]  flip_q;
  logic [31:0]  frames_q, frame_errs_q, dropped_q, rx_errors;
  assign rx_errors = rx_framing + dropped_q;

  // Receiving the rest of a frame (the timeout runs).
  logic in_frame;
  assign in_frame = state_q == SAddr || state_q == SLen || state_q == SWData;

  // Decode of the current beat's address.
  logic [3:0]  region;
  logic        reg_hit;
  logic [63:0] reg_rdata;
  logic [7:0]  reg_resp, load_resp;
  logic        load_ok;
  assign region  = addr_q[31:28];
  assign load_ok = addr_q[27:24] < 4'(Channels) &&
                   (addr_q[23:3] >> LoadW) == '0;
  always_comb begin
    reg_hit   = addr_q[27:8] == '0;
    reg_rdata = '0;
    unique case (addr_q[7:3])
      5'd0: reg_rdata = IdValue;
      5'd1: reg_rdata = 64'(tr_q);
      5'd2: reg_rdata = flip_q[63:0];
      5'd3: reg_rdata = 64'(flip_q[71:64]);
      5'd4: reg_rdata = Info;
      5'd5: reg_rdata = 64'(frames_q);
      5'd6: reg_rdata = 64'(frame_errs_q);
      5'd7: reg_rdata = 64'(rx_errors);
      5'd8: reg_rdata = Geometry;
      default: reg_hit = 1'b0;
    endcase
    // Writable: TR_CYCLES, FLIP_LO, FLIP_HI; the others are read-only.
    if (!reg_hit)                                     reg_resp = StDecErr;
    else if (write_q && (addr_q[7:3] == 5'd0 || addr_q[7:3] > 5'd3)) reg_resp = StSlvErr;
    else                                              reg_resp = StOk;
    load_resp = (write_q && load_ok) ? StOk : StDecErr;
  end

  // The first failing beat names the frame's status.
  function automatic logic [7:0] merge(logic [7:0] cur, logic [7:0] next);
    merge = (cur != StOk) ? cur : next;
  endfunction

  logic [7:0] axi_resp_st;
  assign axi_resp_st = write_q ? {6'd0, m_bresp_i} : {6'd0, m_rresp_i};

  // Response bytes: data of a read beat, then the status byte.
  assign tx_valid = (state_q == SRData) || (state_q == SStatus);
  assign tx_data  = (state_q == SStatus) ? status_q : data_q[8*byte_q +: 8];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= SOp;
      write_q      <= 1'b0;
      bad_align_q  <= 1'b0;
      aw_done_q    <= 1'b0;
      w_done_q     <= 1'b0;
      addr_q       <= '0;
      beats_q      <= '0;
      byte_q       <= '0;
      data_q       <= '0;
      status_q     <= StOk;
      idle_q       <= '0;
      tr_q         <= TrWidth'(TrReset);
      flip_q       <= '0;
      frames_q     <= '0;
      frame_errs_q <= '0;
      dropped_q    <= '0;
      load_we_o    <= 1'b0;
      load_ch_o    <= '0;
      load_addr_o  <= '0;
      load_data_o  <= '0;
    end else begin
      load_we_o <= 1'b0;
      // Timeout of a frame waiting for its next byte.
      if (in_frame) begin
        idle_q <= rx_valid ? '0 : idle_q + 1'b1;
        if (!rx_valid && idle_q == ToW'(TimeoutCycles)) begin
          status_q <= StTimeout;
          state_q  <= SStatus;
        end
      end else begin
        idle_q <= '0;
      end
      // Bytes nobody waits for (the host did not wait for the response) are counted, not used.
      if (rx_valid && !(state_q == SOp || in_frame)) dropped_q <= dropped_q + 1'b1;

      unique case (state_q)
        SOp: if (rx_valid) begin
          byte_q   <= '0;
          status_q <= StOk;
          write_q  <= rx_data == OpWrite;
          if (rx_data == OpWrite || rx_data == OpRead) state_q <= SAddr;
          else begin
            status_q <= StBadOp;
            state_q  <= SStatus;
          end
        end
        SAddr: if (rx_valid) begin
          addr_q[8*byte_q[1:0] +: 8] <= rx_data;
          byte_q <= byte_q + 1'b1;
          if (byte_q == 3'd3) state_q <= SLen;
        end
        SLen: if (rx_valid) begin
          beats_q     <= 9'(rx_data) + 9'd1;
          bad_align_q <= addr_q[2:0] != '0;
          byte_q      <= '0;
          state_q     <= write_q ? SWData : SAccess;
        end
        SWData: if (rx_valid) begin
          data_q[8*byte_q +: 8] <= rx_data;
          byte_q <= byte_q + 1'b1;
          if (byte_q == 3'd7) state_q <= SAccess;
        end
        SAccess: begin
          aw_done_q <= 1'b0;
          w_done_q  <= 1'b0;
          if (bad_align_q) begin
            status_q <= merge(status_q, StUnaligned);
            if (!write_q) data_q <= '0;
            state_q <= write_q ? SWData : SRData;
          end else if (region == 4'h0 && addr_q[27:AxiAddrW] == '0) begin
            state_q <= write_q ? SWaitB : SWaitR;
          end else if (region == 4'h1) begin
            load_we_o   <= write_q && load_ok;
            load_ch_o   <= ChW'(addr_q[27:24]);
            load_addr_o <= addr_q[LoadW+2:3];
            load_data_o <= data_q;
            status_q  <= merge(status_q, load_resp);
            if (!write_q) data_q <= '0;
            state_q <= write_q ? SWData : SRData;
          end else if (region == 4'h2) begin
            status_q <= merge(status_q, reg_resp);
            if (write_q && reg_resp == StOk) begin
              unique case (addr_q[4:3])
                2'd1: tr_q <= data_q[TrWidth-1:0];
                2'd2: flip_q[63:0] <= data_q;
                2'd3: flip_q[71:64] <= data_q[7:0];
                default: ;
              endcase
            end
            if (!write_q) data_q <= reg_hit ? reg_rdata : '0;
            state_q <= write_q ? SWData : SRData;
          end else begin
            status_q <= merge(status_q, StDecErr);
            if (!write_q) data_q <= '0;
            state_q <= write_q ? SWData : SRData;
          end
          // A write beat that needs no bus wait is complete here.
          if (write_q && !(region == 4'h0 && addr_q[27:AxiAddrW] == '0 && !bad_align_q)) begin
            addr_q  <= addr_q + 32'd8;
            beats_q <= beats_q - 1'b1;
            if (beats_q == 9'd1) state_q <= SStatus;
          end
        end
        SWaitB: begin
          if (m_awvalid_o && m_awready_i) aw_done_q <= 1'b1;
          if (m_wvalid_o && m_wready_i)   w_done_q  <= 1'b1;
          if (m_bvalid_i) begin
            status_q <= merge(status_q, axi_resp_st);
            addr_q   <= addr_q + 32'd8;
            beats_q  <= beats_q - 1'b1;
            state_q  <= (beats_q == 9'd1) ? SStatus : SWData;
          end
        end
        SWaitR: begin
          if (m_arvalid_o && m_arready_i) aw_done_q <= 1'b1;
          if (m_rvalid_i) begin
            status_q <= merge(status_q, axi_resp_st);
            data_q   <= (m_rresp_i == 2'b00) ? m_rdata_i : '0;
            state_q  <= SRData;
          end
        end
        SRData: if (tx_ready) begin
          byte_q <= byte_q + 1'b1;
          if (byte_q == 3'd7) begin
            addr_q  <= addr_q + 32'd8;
            beats_q <= beats_q - 1'b1;
            state_q <= (beats_q == 9'd1) ? SStatus : SAccess;
          end
        end
        SStatus: if (tx_ready) begin
          frames_q <= frames_q + 1'b1;
          if (status_q != StOk) frame_errs_q <= frame_errs_q + 1'b1;
          state_q <= SOp;
        end
        default: state_q <= SOp;
      endcase
    end
  end
  assign busy_o = state_q != SOp;

  // ---- AXI4 master: one beat per access ----
  assign m_awid_o    = '0;
  assign m_awaddr_o  = addr_q[AxiAddrW-1:0];
  assign m_awlen_o   = '0;
  assign m_awsize_o  = 3'd3;
  assign m_awburst_o = 2'b01;
  assign m_awvalid_o = state_q == SWaitB && !aw_done_q;
  assign m_wdata_o   = data_q;
  assign m_wstrb_o   = '1;
  assign m_wlast_o   = 1'b1;
  assign m_wvalid_o  = state_q == SWaitB && !w_done_q;
  assign m_bready_o  = state_q == SWaitB;
  assign m_arid_o    = '0;
  assign m_araddr_o  = addr_q[AxiAddrW-1:0];
  assign m_arlen_o   = '0;
  assign m_arsize_o  = 3'd3;
  assign m_arburst_o = 2'b01;
  assign m_arvalid_o = state_q == SWaitR && !aw_done_q;
  assign m_rready_o  = state_q == SWaitR;

  assign load_flip_o = flip_q;
  assign cfg_tr_cycles_o = tr_q;

  assign cnt_frames_o       = frames_q;
  assign cnt_frame_errors_o = frame_errs_q;
  assign cnt_rx_errors_o    = rx_errors;

  logic unused;
  assign unused = ^{m_bid_i, m_rid_i, m_rlast_i, rx_bytes};

  // A response arrives only for the access in flight; B only after AW and W were accepted.
  `PNM_ASSERT_IMPLIES(BAfterAwW_A, m_bvalid_i, state_q == SWaitB && aw_done_q && w_done_q, clk_i,
                     rst_ni)
  `PNM_ASSERT_IMPLIES(ROnlyWhenAsked_A, m_rvalid_i, state_q == SWaitR, clk_i, rst_ni)
  `PNM_ASSERT_IMPLIES(RSingleBeat_A, m_rvalid_i, m_rlast_i, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(Aw_A, m_awvalid_o, m_awready_i, m_awaddr_o, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(Ar_A, m_arvalid_o, m_arready_i, m_araddr_o, clk_i, rst_ni)
  `PNM_ASSERT_KNOWN(StateKnown_A, state_q, clk_i, rst_ni)
endmodule
