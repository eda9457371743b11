// SEC-DED (72,64) extended Hamming code shared by the encoder and decoder.
// Layout (also implemented independently in tb/ref/secded.cpp and described in docs/common.md):
//   Hamming positions 1..71; check bit j sits at position 2^j (j = 0..6); data bit i sits at the
//   i-th position that is not a power of two (3, 5, 6, 7, 9, ...). check[j] is the XOR of the
//   data bits whose position has bit j set. check[7] is the overall parity of the 71 others.
// Each user needs only some of the constants.
/* verilator lint_off UNUSEDPARAM */
package pnm_secded_pkg;
  localparam int unsigned DataWidth  = 64;
  localparam int unsigned CheckWidth = 8;
  localparam int unsigned SynWidth   = 7;   // Hamming syndrome bits (without overall parity)

  // Hamming positions of all data bits, bit i's at [i*SynWidth +: SynWidth]: one walk over the
  // positions, so elaboration evaluates one function call per module, not one per bit (constant
  // functions are slow to evaluate in Yosys).
  function automatic logic [DataWidth*SynWidth-1:0] data_pos_table();
    int unsigned n;
    n = 0;
    data_pos_table = '0;
    for (int unsigned c = 3; c < (1 << SynWidth); c++) begin
      if ((c & (c - 1)) != 0 && n < DataWidth) begin
        data_pos_table[n*SynWidth +: SynWidth] = SynWidth'(c);
        n++;
      end
    end
  endfunction
endpackage
/* verilator lint_on UNUSEDPARAM */
