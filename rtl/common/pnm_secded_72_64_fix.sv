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
  localparam int unsigned IW = $clog2(DW);

  logic [DW-1:0] flip;
  logic          hits_data, hits_check;

  // The data bit the syndrome names, if any, by arithmetic rather than a table (a table became
  // a ROM in Yosys, which then merged the syndrome register into the ROM's read port: docs/fpga.md
  // round 18). Data bits fill the positions that are not powers of two in order, so position p
  // holds data bit p - 1 - (number of powers of two below p) = p - 2 - floor(log2 p); a result of
  // DataWidth or more names no data bit (positions 72..127 do not exist).
  logic [SW-1:0] syn_log2, syn_idx;
  always_comb begin
    syn_log2 = SW'(1);
    for (int unsigned b = 2; b < SW; b++) begin
      if (syndrome_i[b]) syn_log2 = SW'(b);
    end
  end
  assign syn_idx   = syndrome_i - SW'(2) - syn_log2;
  assign hits_data = parity_err_i && !hits_check && (32'(syn_idx) < DW);
  assign flip      = hits_data ? (DW'(1) << syn_idx[IW-1:0]) : '0;

  // Syndrome 0 with odd parity: the overall parity bit itself flipped; a power of two: a check bit.
  assign hits_check = (syndrome_i & (syndrome_i - 1'b1)) == '0;

  assign data_o   = data_i ^ flip;
  assign single_o = parity_err_i && (hits_data || hits_check);
  assign double_o = (!parity_err_i && (syndrome_i != '0)) ||
                    (parity_err_i && !hits_data && !hits_check);
endmodule
