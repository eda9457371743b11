// UART transmitter, 8N1, LSB first. Takes a byte on a valid/ready handshake and shifts out
// start bit, 8 data bits and stop bit, ClkPerBit cycles each; ready again after the stop bit.
`include "pnm_assert.svh"

module pnm_uart_tx #(
  parameter int unsigned ClkPerBit = 868,
  localparam int unsigned DivW     = $clog2(ClkPerBit + 1)
) (
  input  logic       clk_i,
  input  logic       rst_ni,

  input  logic       valid_i,
  output logic       ready_o,
  input  logic [7:0] data_i,

  output logic       tx_o          // serial output, idle high
);
  logic [DivW-1:0] div_q;
  logic [3:0]      left_q;         // bit periods left: start, 8 data, stop
  logic [8:0]      shift_q;        // {stop, data}, shifted out LSB first after the start bit

  assign ready_o = left_q == '0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      div_q   <= '0;
      left_q  <= '0;
      shift_q <= '1;
      tx_o    <= 1'b1;
    end else if (left_q == '0) begin
      if (valid_i) begin
        tx_o    <= 1'b0;                       // start bit
        shift_q <= {1'b1, data_i};             // then the data, then the stop bit
        left_q  <= 4'd10;
        div_q   <= DivW'(ClkPerBit - 1);
      end
    end else if (div_q != '0) begin
      div_q <= div_q - 1'b1;
    end else begin
      // One bit period is over: the next bit, or (after the stop bit) done.
      left_q <= left_q - 1'b1;
      if (left_q != 4'd1) begin
        tx_o    <= shift_q[0];
        shift_q <= {1'b1, shift_q[8:1]};
        div_q   <= DivW'(ClkPerBit - 1);
      end
    end
  end

  if (ClkPerBit < 2) begin : gen_bad_div
    $error("pnm_uart_tx: ClkPerBit must be at least 2");
  end
  `PNM_ASSERT_STREAM(In_A, valid_i, ready_o, data_i, clk_i, rst_ni)
endmodule
