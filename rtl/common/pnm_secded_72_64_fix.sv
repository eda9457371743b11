// SEC-DED (72,64) correction: the second half of the decoder (pnm_secded_72_64_dec). From the
// received data, its syndrome and overall parity error (pnm_secded_72_64_syn): the corrected
// data and the verdict. Purely combinational.
module pnm_secded_72_64_fix (
  input  logic [pnm_secded_pkg::DataWidth-1:0] data_i,
  input  logic [pnm_secded_pkg::SynWidth-1:0]  syndrome_i,
  input  logic                                 parity_err_i,
  output logic [pnm_secded_pkg::DataWidth-1:0] data_o,
  output logic                                 single_o,  // one bit corrected
  output logic                                 double_o   // uncorrectable: data_o not valid
);
  localparam int unsigned DW = pnm_secded_pkg::DataWidth;
  localparam int unsigned SW = pnm_secded_pkg::SynWidth;
  localparam int unsigned EW = pnm_secded_pkg::SynEntryW;
  localparam logic [(1 << SW)*EW-1:0] SynTable = pnm_secded_pkg::syn_data_table();

  logic [DW-1:0] flip;
  logic          hits_data, hits_check;

  // The data bit the syndrome names, if any (pnm_secded_pkg::syn_data_table).
  logic [EW-1:0] syn_entry;
  assign syn_entry = SynTable[syndrome_i*EW +: EW];
  assign hits_data = parity_err_i && syn_entry[EW-1];
  assign flip      = hits_data ? (DW'(1) << syn_entry[EW-2:0]) : '0;

  // Syndrome 0 with odd parity: the overall parity bit itself flipped; a power of two: a check bit.
  assign hits_check = (syndrome_i & (syndrome_i - 1'b1)) == '0;

  assign data_o   = data_i ^ flip;
  assign single_o = parity_err_i && (hits_data || hits_check);
  assign double_o = (!parity_err_i && (syndrome_i != '0)) ||
                    (parity_err_i && !hits_data && !hits_check);
endmodule
