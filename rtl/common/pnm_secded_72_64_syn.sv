// SEC-DED (72,64) syndrome: the first half of the decoder (pnm_secded_72_64_dec), the XOR trees
// over the received word. A pipelined user registers syndrome_o and parity_err_o with the data
// and corrects in the next cycle with pnm_secded_72_64_fix. Purely combinational.
module pnm_secded_72_64_syn (
  input  logic [pnm_secded_pkg::DataWidth-1:0]  data_i,
  input  logic [pnm_secded_pkg::CheckWidth-1:0] ecc_i,
  output logic [pnm_secded_pkg::SynWidth-1:0]   syndrome_o,
  output logic                                  parity_err_o  // odd number of flipped bits
);
  localparam int unsigned CW = pnm_secded_pkg::CheckWidth;
  localparam int unsigned SW = pnm_secded_pkg::SynWidth;

  logic [CW-1:0] ecc_calc;
  pnm_secded_72_64_enc u_enc (
    .data_i(data_i),
    .ecc_o (ecc_calc)
  );

  assign syndrome_o   = ecc_calc[SW-1:0] ^ ecc_i[SW-1:0];
  // Overall parity of the 72 received bits, reusing the encoder's parity of data and check bits.
  assign parity_err_o = ecc_calc[CW-1] ^ ecc_i[CW-1] ^ (^syndrome_o);
endmodule
