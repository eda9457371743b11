// UART receiver, 8 data bits, no parity, 1 stop bit (8N1), LSB first. The line is brought into
// the clock domain by a two-flop synchroniser; a start bit is confirmed at its middle, then each
// bit is sampled at its middle, ClkPerBit cycles apart. A byte whose stop bit is low is dropped
// and counted as a framing error (a line break or a baud-rate mismatch), so the bridge never sees
// a corrupted byte as data. The byte comes out as a one-cycle valid pulse: a UART cannot be
// stalled, so the consumer must take it (the bridge always can; asserted).
`include "pnm_assert.svh"

module pnm_uart_rx #(
  parameter int unsigned ClkPerBit = 868,   // clock / baud, e.g. 100 MHz / 115200
  parameter int unsigned CntWidth  = 32,
  localparam int unsigned DivW     = $clog2(ClkPerBit + 1)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                rx_i,            // asynchronous serial input, idle high

  output logic                valid_o,         // one cycle per received byte
  output logic [7:0]          data_o,
  output logic                busy_o,          // a byte is being received

  output logic [CntWidth-1:0] cnt_bytes_o,
  output logic [CntWidth-1:0] cnt_framing_o
);
  localparam logic [1:0] Idle = 2'd0, Start = 2'd1, Data = 2'd2, Stop = 2'd3;
  logic [1:0]      state_q;
  logic [1:0]      sync_q;
  logic [DivW-1:0] div_q;
  logic [2:0]      bit_q;
  logic [7:0]      shift_q;
  logic            rx;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) sync_q <= 2'b11;
    else         sync_q <= {sync_q[0], rx_i};
  end
  assign rx = sync_q[1];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= Idle;
      div_q         <= '0;
      bit_q         <= '0;
      shift_q       <= '0;
      valid_o       <= 1'b0;
      data_o        <= '0;
      cnt_bytes_o   <= '0;
      cnt_framing_o <= '0;
    end else begin
      valid_o <= 1'b0;
      if (div_q != '0) div_q <= div_q - 1'b1;
      unique case (state_q)
        Idle: if (!rx) begin
          state_q <= Start;
          div_q   <= DivW'(ClkPerBit / 2 - 1);
        end
        Start: if (div_q == '0) begin
          // Middle of the start bit: still low, or it was a glitch.
          if (!rx) begin
            state_q <= Data;
            div_q   <= DivW'(ClkPerBit - 1);
            bit_q   <= '0;
          end else begin
            state_q <= Idle;
          end
        end
        Data: if (div_q == '0) begin
          shift_q <= {rx, shift_q[7:1]};
          div_q   <= DivW'(ClkPerBit - 1);
          bit_q   <= bit_q + 1'b1;
          if (bit_q == 3'd7) state_q <= Stop;
        end
        Stop: if (div_q == '0) begin
          state_q <= Idle;
          if (rx) begin
            valid_o     <= 1'b1;
            data_o      <= shift_q;
            cnt_bytes_o <= cnt_bytes_o + 1'b1;
          end else begin
            cnt_framing_o <= cnt_framing_o + 1'b1;
          end
        end
        default: state_q <= Idle;
      endcase
    end
  end
  assign busy_o = state_q != Idle;

  // The divider must leave room for a half-bit wait.
  if (ClkPerBit < 4) begin : gen_bad_div
    $error("pnm_uart_rx: ClkPerBit must be at least 4");
  end
  `PNM_ASSERT_KNOWN(ValidKnown_A, valid_o, clk_i, rst_ni)
endmodule
