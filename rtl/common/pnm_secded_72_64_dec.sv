// SEC-DED (72,64) decoder: corrects any single flipped bit among the 72 (data or check) and
// flags every double-bit error without touching the data. Errors of three or more bits are
// outside the code's guarantee: some are flagged (syndrome names no valid position), others
// alias to a single-bit correction, as with any SEC-DED code. Purely combinational: the
// syndrome (pnm_secded_72_64_syn) and the correction (pnm_secded_72_64_fix) back to back; a
// pipelined user (hbf_ctrl) instantiates the two halves with a register between them.
module pnm_secded_72_64_dec (
  input  logic [pnm_secded_pkg::DataWidth-1:0]  data_i,
  input  logic [pnm_secded_pkg::CheckWidth-1:0] ecc_i,
  output logic [pnm_secded_pkg::DataWidth-1:0]  data_o,
  output logic [pnm_secded_pkg::SynWidth-1:0]   syndrome_o,
  output logic                                  single_o,  // one bit corrected
  output logic                                  double_o   // uncorrectable: data_o not valid
);
  logic parity_err;

  pnm_secded_72_64_syn u_syn (
    .data_i       (data_i),
    .ecc_i        (ecc_i),
    .syndrome_o   (syndrome_o),
    .parity_err_o (parity_err)
  );
  pnm_secded_72_64_fix u_fix (
    .data_i       (data_i),
    .syndrome_i   (syndrome_o),
    .parity_err_i (parity_err),
    .data_o       (data_o),
    .single_o     (single_o),
    .double_o     (double_o)
  );
endmodule
