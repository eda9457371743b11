// Test wrapper: the SEC-DED encoder on one word and the decoder on another, side by side, so the
// unit test drives both through one model.
module secded_tb_top (
  input  logic [63:0] enc_data_i,
  output logic [7:0]  enc_ecc_o,
  input  logic [63:0] dec_data_i,
  input  logic [7:0]  dec_ecc_i,
  output logic [63:0] dec_data_o,
  output logic [6:0]  dec_syndrome_o,
  output logic        dec_single_o,
  output logic        dec_double_o
);
  pnm_secded_72_64_enc u_enc (.data_i(enc_data_i), .ecc_o(enc_ecc_o));
  pnm_secded_72_64_dec u_dec (
    .data_i    (dec_data_i),
    .ecc_i     (dec_ecc_i),
    .data_o    (dec_data_o),
    .syndrome_o(dec_syndrome_o),
    .single_o  (dec_single_o),
    .double_o  (dec_double_o)
  );
endmodule
