// ULX3S (ECP5 LFE5U-85F, CABGA381) wrapper of pnm_fpga_top: 25 MHz oscillator -> EHXPLLL ->
// 100 MHz node clock, reset from the PLL lock and button 0 (PWR), the FTDI serial
// port as the host link, LEDs for status. ECP5 only (the PLL primitive); not part of the
// simulated RTL set (cmake/pnm.cmake and scripts/lib/rtl_files.sh leave rtl/boards out).
// PLL settings from `yowasp-ecppll -i 25 -o 100`: VCO 600 MHz, CLKOP / 6.
module pnm_ulx3s (
  input  logic       clk_25mhz,
  input  logic       btn_pwr_n,   // button 0 (PWR), active low
  input  logic       ftdi_txd,    // PC -> FPGA
  output logic       ftdi_rxd,    // FPGA -> PC
  output logic [7:0] led,
  output logic       wifi_gpio0   // held high so the ESP32 leaves the FPGA alone
);
  logic clk, locked;
  (* FREQUENCY_PIN_CLKI="25" *)
  (* FREQUENCY_PIN_CLKOP="100" *)
  (* ICP_CURRENT="12" *) (* LPF_RESISTOR="8" *) (* MFG_ENABLE_FILTEROPAMP="1" *)
  (* MFG_GMCREF_SEL="2" *)
  EHXPLLL #(
    .PLLRST_ENA("DISABLED"), .INTFB_WAKE("DISABLED"), .STDBY_ENABLE("DISABLED"),
    .DPHASE_SOURCE("DISABLED"), .OUTDIVIDER_MUXA("DIVA"), .OUTDIVIDER_MUXB("DIVB"),
    .OUTDIVIDER_MUXC("DIVC"), .OUTDIVIDER_MUXD("DIVD"), .CLKI_DIV(1), .CLKOP_ENABLE("ENABLED"),
    .CLKOP_DIV(6), .CLKOP_CPHASE(2), .CLKOP_FPHASE(0), .FEEDBK_PATH("CLKOP"), .CLKFB_DIV(4)
  ) u_pll (
    .RST(1'b0), .STDBY(1'b0), .CLKI(clk_25mhz), .CLKOP(clk), .CLKFB(clk), .CLKINTFB(),
    .PHASESEL0(1'b0), .PHASESEL1(1'b0), .PHASEDIR(1'b1), .PHASESTEP(1'b1),
    .PHASELOADREG(1'b1), .PLLWAKESYNC(1'b0), .ENCLKOP(1'b0), .LOCK(locked)
  );

  // Reset: asserted while the PLL is unlocked or the button is pressed, released synchronously
  // after 16 cycles of the node clock.
  logic [15:0] rst_sync_q = '0;
  logic        rst_n;
  always_ff @(posedge clk or negedge locked) begin
    if (!locked)      rst_sync_q <= '0;
    else if (!btn_pwr_n) rst_sync_q <= '0;
    else              rst_sync_q <= {rst_sync_q[14:0], 1'b1};
  end
  assign rst_n = rst_sync_q[15];

  logic irq, busy;
  pnm_fpga_top #(.ClkPerBit(868)) u_top (   // 100 MHz / 115200 baud
    .clk_i(clk), .rst_ni(rst_n), .uart_rx_i(ftdi_txd), .uart_tx_o(ftdi_rxd),
    .irq_o(irq), .busy_o(busy)
  );

  assign led        = {4'd0, !ftdi_txd, busy, irq, locked};
  assign wifi_gpio0 = 1'b1;
endmodule
