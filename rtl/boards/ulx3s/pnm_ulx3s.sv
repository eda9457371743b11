// ULX3S (ECP5 LFE5U-85F, CABGA381) wrapper of pnm_fpga_top: 25 MHz oscillator -> EHXPLLL ->
// node clock (100 MHz unless set), reset from the PLL lock and button 0 (PWR), the FTDI serial
// port as the host link, LEDs for status. ECP5 only (the PLL primitive); not part of the
// simulated RTL set (cmake/pnm.cmake and scripts/lib/rtl_files.sh leave rtl/boards out).
// PLL settings by default from `yowasp-ecppll -i 25 -o 100` (VCO 600 MHz, CLKOP / 6);
// `scripts/fpga.sh ecp5 --mhz F` computes them for another clock with ecppll and sets them
// (nextpnr derives the node clock's constraint from them and the 25 MHz input).
module pnm_ulx3s #(
  parameter int unsigned ClkiDiv     = 1,
  parameter int unsigned ClkfbDiv    = 4,
  parameter int unsigned ClkopDiv    = 6,
  parameter int unsigned ClkopCphase = 2,
  parameter int unsigned ClkPerBit   = 868    // node clock / 115200 baud
) (
  input  logic       clk_25mhz,
  input  logic       btn_pwr_n,   // button 0 (PWR), active low
  input  logic       ftdi_txd,    // PC -> FPGA
  output logic       ftdi_rxd,    // FPGA -> PC
  output logic [7:0] led,
  output logic       wifi_gpio0   // held high so the ESP32 leaves the FPGA alone
);
  logic clk, locked;
  (* ICP_CURRENT="12" *) (* LPF_RESISTOR="8" *) (* MFG_ENABLE_FILTEROPAMP="1" *)
  (* MFG_GMCREF_SEL="2" *)
  EHXPLLL #(
    .PLLRST_ENA("DISABLED"), .INTFB_WAKE("DISABLED"), .STDBY_ENABLE("DISABLED"),
    .DPHASE_SOURCE("DISABLED"), .OUTDIVIDER_MUXA("DIVA"), .OUTDIVIDER_MUXB("DIVB"),
    .OUTDIVIDER_MUXC("DIVC"), .OUTDIVIDER_MUXD("DIVD"), .CLKI_DIV(ClkiDiv), .CLKOP_ENABLE("ENABLED"),
    .CLKOP_DIV(ClkopDiv), .CLKOP_CPHASE(ClkopCphase), .CLKOP_FPHASE(0), .FEEDBK_PATH("CLKOP"),
    .CLKFB_DIV(ClkfbDiv)
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
  logic [pnm_csr_pkg::EVT_COUNT-1:0] evt;
  pnm_fpga_top #(.ClkPerBit(ClkPerBit)) u_top (
    .clk_i(clk), .rst_ni(rst_n), .uart_rx_i(ftdi_txd), .uart_tx_o(ftdi_rxd),
    .irq_o(irq), .evt_o(evt), .busy_o(busy)
  );

  // LEDs 7..4: halted, flash stall, collective, GEMV busy (the node's event port); 3..0: UART
  // receive activity, bridge in a frame, interrupt, PLL locked. Registered: some events are
  // combinational in the node (flash stall is the weight stream's valid and not ready), and an
  // output pin pulled that logic across the die (docs/fpga.md round 13).
  logic [7:0] led_q = '0;
  always_ff @(posedge clk) begin
    led_q <= {evt[pnm_csr_pkg::EVT_HALTED], evt[pnm_csr_pkg::EVT_FLASH_STALL],
              evt[pnm_csr_pkg::EVT_SEQ_COLL], evt[pnm_csr_pkg::EVT_GEMV_BUSY],
              !ftdi_txd, busy, irq, locked};
  end
  assign led        = led_q;
  assign wifi_gpio0 = 1'b1;
endmodule
