// SEC-DED (72,64) encoder: 64 data bits in, 8 check bits out. Purely combinational.
module pnm_secded_72_64_enc (
  input  logic [pnm_secded_pkg::DataWidth-1:0]  data_i,
  output logic [pnm_secded_pkg::CheckWidth-1:0] ecc_o
);
  localparam int unsigned DW = pnm_secded_pkg::DataWidth;
  localparam int unsigned SW = pnm_secded_pkg::SynWidth;
  localparam logic [DW*SW-1:0] PosTable = pnm_secded_pkg::data_pos_table();

  logic [SW-1:0] hamming;

  for (genvar j = 0; j < SW; j++) begin : gen_check
    logic [DW-1:0] covered;
    for (genvar i = 0; i < DW; i++) begin : gen_mask
      localparam logic [SW-1:0] Pos = PosTable[i*SW +: SW];
      assign covered[i] = Pos[j];
    end
    assign hamming[j] = ^(data_i & covered);
  end

  assign ecc_o = {(^data_i) ^ (^hamming), hamming};
endmodule
