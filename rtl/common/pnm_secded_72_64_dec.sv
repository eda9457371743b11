// SEC-DED (72,64) decoder: corrects any single flipped bit among the 72 (data or check) and
// flags every double-bit error without touching the data. Errors of three or more bits are
// outside the code's guarantee: some are flagged (syndrome names no valid position), others
// alias to a single-bit correction, as with any SEC-DED code. Purely combinational.
module pnm_secded_72_64_dec (
  input  logic [pnm_secded_pkg::DataWidth-1:0]  data_i,
  input  logic [pnm_secded_pkg::CheckWidth-1:0] ecc_i,
  output logic [pnm_secded_pkg::DataWidth-1:0]  data_o,
  output logic [pnm_secded_pkg::SynWidth-1:0]   syndrome_o,
  output logic                                  single_o,  // one bit corrected
  output logic                                  double_o   // uncorrectable: data_o not valid
);
  localparam int unsigned DW = pnm_secded_pkg::DataWidth;
  localparam int unsigned CW = pnm_secded_pkg::CheckWidth;
  localparam int unsigned SW = pnm_secded_pkg::SynWidth;
  localparam int unsigned EW = pnm_secded_pkg::SynEntryW;
  localparam logic [(1 << SW)*EW-1:0] SynTable = pnm_secded_pkg::syn_data_table();

  logic [CW-1:0] ecc_calc;
  logic [SW-1:0] syndrome;
  logic          parity_err;   // odd number of flipped bits
  logic [DW-1:0] flip;
  logic          hits_data, hits_check;

  pnm_secded_72_64_enc u_enc (
    .data_i(data_i),
    .ecc_o (ecc_calc)
  );

  assign syndrome   = ecc_calc[SW-1:0] ^ ecc_i[SW-1:0];
  // Overall parity of the 72 received bits, reusing the encoder's parity of data and check bits.
  assign parity_err = ecc_calc[CW-1] ^ ecc_i[CW-1] ^ (^syndrome);

  // The data bit the syndrome names, if any (pnm_secded_pkg::syn_data_table).
  logic [EW-1:0] syn_entry;
  assign syn_entry = SynTable[syndrome*EW +: EW];
  assign hits_data = parity_err && syn_entry[EW-1];
  assign flip      = hits_data ? (DW'(1) << syn_entry[EW-2:0]) : '0;

  // Syndrome 0 with odd parity: the overall parity bit itself flipped; a power of two: a check bit.
  assign hits_check = (syndrome & (syndrome - 1'b1)) == '0;

  assign data_o     = data_i ^ flip;
  assign syndrome_o = syndrome;
  assign single_o   = parity_err && (hits_data || hits_check);
  assign double_o   = (!parity_err && (syndrome != '0)) || (parity_err && !hits_data && !hits_check);
endmodule
