// One batch lane of the GEMV datapath: the dot product of a weight beat with the matching
// activations, INT8 x INT8 (LaneBytes MACs) or packed INT4 x INT8 (2*LaneBytes MACs), in two
// pipeline stages.
//
// INT8 and INT4 share the multipliers. Each weight byte w feeds two small signed multipliers:
//   hi = w[7:4] (signed 4 bit)                          * x_hi
//   lo = w[3:0] (INT4: signed 4 bit, INT8: unsigned)    * x_lo
// INT8: x_hi = x_lo = x[i] and w*x = 16*hi + lo, so dot = 16*sum(hi) + sum(lo).
// INT4: element 2i is the low nibble (x_lo = x[2i]), element 2i+1 the high one (x_hi = x[2i+1]),
//       so dot = sum(hi) + sum(lo).
// Elements past K (the padding of the last beat of a row) are masked to zero on the activation
// side, so neither padding weights nor stale activations reach the sum.
//
// Stage 1 (inputs registered by the caller): operand selection and masking, registered when
// en_i. Stage 1p: the products, registered when en_p_i (the caller's stage after en_i). Stage
// 1t: the partial sums of GroupSize bytes, registered when en_t_i (the stage after en_p_i).
// Stage 2: the sum of the partial sums, registered on dot_o when en_d_i (the stage after
// en_t_i). Each is a stage of its own for the FPGA build (docs/fpga.md, rounds 10, 15 and 17):
// products and sums together were its longest path, then the total in front of the caller's
// accumulator, then the operand multiplexer in front of the multipliers (DSP blocks, with
// about 2.5 ns of routing on either side).
//
// MulCells selects how stages 1 and 1p are written, with the same results and cycles:
//   0  inline: operands and products computed straight into their registers, so an idle lane
//      costs the Verilated model nothing (the simulation build);
//   1  one pnm_mul_reg cell per product, which holds the operand and product registers, so a
//      technology twin of the cell can use a DSP block's own registers (the FPGA build,
//      docs/fpga.md round 21). The operand selection then sits in front of the cell, evaluated
//      every cycle in Verilator.
module gemv_dot #(
  parameter int unsigned LaneBytes = 64,
  parameter int unsigned GroupSize = 8,
  parameter bit          MulCells  = 1'b0,
  // |dot| <= LaneBytes * 128 * 128 (INT8); INT4 stays below that.
  localparam int unsigned DotWidth = $clog2(LaneBytes) + 16
) (
  input  logic                     clk_i,
  input  logic                     en_i,      // a beat is in stage 1: capture its operands
  input  logic                     en_p_i,    // a beat is in stage 1p: capture its products
  input  logic                     en_t_i,    // a beat is in stage 1t: capture its group sums
  input  logic                     en_d_i,    // a beat is in stage 2: capture its total
  input  logic                     int4_i,    // weights are packed INT4
  input  logic                     half_i,    // INT8: use the upper LaneBytes of x_i
  input  logic [LaneBytes*8-1:0]   w_i,       // weight beat, byte i in bits [8i+7:8i]
  input  logic [2*LaneBytes*8-1:0] x_i,       // 2*LaneBytes activations (INT8)
  input  logic [LaneBytes-1:0]     lo_mask_i, // per byte: its low product counts
  input  logic [LaneBytes-1:0]     hi_mask_i, // per byte: its high product counts
  output logic [DotWidth-1:0]      dot_o      // stage 2 result (valid the cycle after en_d_i)
);
  localparam int unsigned NumGroups = LaneBytes / GroupSize;
  localparam int unsigned LoWidth   = 13;  // 5 b x 8 b signed
  localparam int unsigned HiWidth   = 12;  // 4 b x 8 b signed
  localparam int unsigned GLoWidth  = LoWidth + $clog2(GroupSize);
  localparam int unsigned GHiWidth  = HiWidth + $clog2(GroupSize);

  // ---- Stages 1 and 1p: operand selection and masking, products ----
  // Operands, products and group sums are unpacked arrays, one element per byte, product or
  // group, so the Verilated model keeps each in a word of its own instead of packing narrow
  // fields into a wide vector; Yosys 0.23 cannot assign a whole unpacked array, so they are
  // written element by element. INT8 and INT4 share one multiplier per product: the low nibble
  // is sign-extended for INT4 and zero-extended for INT8.
  logic [LoWidth-1:0] plo_q [LaneBytes];  // registered products (in the cells when MulCells)
  logic [HiWidth-1:0] phi_q [LaneBytes];

  // The activation of one product: zero past K (mask), else INT4 its own element, INT8 element
  // i of the selected half.
  function automatic logic [7:0] act(input logic mask, input logic int4, input logic half,
                                     input logic [7:0] x_int4, input logic [7:0] x_lo,
                                     input logic [7:0] x_hi);
    act = !mask ? 8'h00 : int4 ? x_int4 : half ? x_hi : x_lo;
  endfunction
  // The low nibble as a 5-bit signed operand: sign-extended (INT4) or zero-extended (INT8).
  function automatic logic [4:0] lo_weight(input logic int4, input logic [3:0] w);
    lo_weight = {int4 && w[3], w};
  endfunction
  // The inline products (MulCells = 0); operands widened first: a product is as wide as its
  // widest operand.
  function automatic logic [LoWidth-1:0] lo_product(input logic [4:0] w, input logic [7:0] b);
    lo_product = LoWidth'($signed(w)) * LoWidth'($signed(b));
  endfunction
  function automatic logic [HiWidth-1:0] hi_product(input logic [3:0] w, input logic [7:0] b);
    hi_product = HiWidth'($signed(w)) * HiWidth'($signed(b));
  endfunction

  logic int4_s_q, int4_p_q, int4_q;
  if (MulCells) begin : gen_mul_cells
    // Stage 1's selection in front of the cells; stages 1 and 1p are the cells' registers.
    // The cells' outputs as flat vectors (a port on an unpacked array element is outside the
    // portable subset), copied into the arrays stage 1t reads.
    logic [LaneBytes*LoWidth-1:0] plo;
    logic [LaneBytes*HiWidth-1:0] phi;
    for (genvar i = 0; i < LaneBytes; i++) begin : gen_byte
      pnm_mul_reg #(.AWidth(5), .BWidth(8), .PWidth(LoWidth)) u_lo (
        .clk_i, .in_en_i(en_i), .out_en_i(en_p_i),
        .a_i(lo_weight(int4_i, w_i[8*i +: 4])),
        .b_i(act(lo_mask_i[i], int4_i, half_i, x_i[8*(2*i) +: 8], x_i[8*i +: 8],
                 x_i[8*(LaneBytes+i) +: 8])),
        .p_o(plo[i*LoWidth +: LoWidth])
      );
      pnm_mul_reg #(.AWidth(4), .BWidth(8), .PWidth(HiWidth)) u_hi (
        .clk_i, .in_en_i(en_i), .out_en_i(en_p_i),
        .a_i(w_i[8*i+4 +: 4]),
        .b_i(act(hi_mask_i[i], int4_i, half_i, x_i[8*(2*i+1) +: 8], x_i[8*i +: 8],
                 x_i[8*(LaneBytes+i) +: 8])),
        .p_o(phi[i*HiWidth +: HiWidth])
      );
    end
    always_comb begin
      for (int unsigned i = 0; i < LaneBytes; i++) begin
        plo_q[i] = plo[i*LoWidth +: LoWidth];
        phi_q[i] = phi[i*HiWidth +: HiWidth];
      end
    end
  end else begin : gen_mul_inline
    // Stage 1: each product's operands, selected and masked: the activation byte (zero past
    // K), the weight nibble and, for the low nibble, its sign extension (INT4) or zero (INT8).
    // The weight beat stays one vector and the low nibble's sign extension is applied at the
    // product: four small arrays instead made a pnmsim run 1.04 to 1.31 times slower in four
    // paired runs (docs/performance.md, session 17).
    logic [7:0] alo_q [LaneBytes];
    logic [7:0] ahi_q [LaneBytes];
    logic [LaneBytes*8-1:0] w_q;
    always_ff @(posedge clk_i) begin
      if (en_i) begin
        for (int unsigned i = 0; i < LaneBytes; i++) begin
          alo_q[i] <= act(lo_mask_i[i], int4_i, half_i, x_i[8*(2*i) +: 8], x_i[8*i +: 8],
                          x_i[8*(LaneBytes+i) +: 8]);
          ahi_q[i] <= act(hi_mask_i[i], int4_i, half_i, x_i[8*(2*i+1) +: 8], x_i[8*i +: 8],
                          x_i[8*(LaneBytes+i) +: 8]);
        end
        w_q <= w_i;
      end
    end

    // Stage 1p: the products, from flops only (the multipliers' inputs).
    always_ff @(posedge clk_i) begin
      if (en_p_i) begin
        for (int unsigned i = 0; i < LaneBytes; i++) begin
          plo_q[i] <= lo_product(lo_weight(int4_s_q, w_q[8*i +: 4]), alo_q[i]);
          phi_q[i] <= hi_product(w_q[8*i+4 +: 4], ahi_q[i]);
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (en_i)   int4_s_q <= int4_i;
    if (en_p_i) int4_p_q <= int4_s_q;
  end

  // ---- Stage 1t: group sums ----
  // Each group's products are added by a balanced tree (log2(GroupSize) adders deep rather than
  // a chain of GroupSize). The sums are exact (GLoWidth/GHiWidth hold a whole group).
  logic [GLoWidth-1:0] glo [NumGroups];
  logic [GLoWidth-1:0] glo_q [NumGroups];
  logic [GHiWidth-1:0] ghi [NumGroups];
  logic [GHiWidth-1:0] ghi_q [NumGroups];
  always_comb begin
    logic [GroupSize*GLoWidth-1:0] tlo;
    logic [GroupSize*GHiWidth-1:0] thi;
    for (int unsigned g = 0; g < NumGroups; g++) begin
      glo[g] = '0;
      ghi[g] = '0;
      tlo    = '0;
      thi    = '0;
      if (en_t_i) begin
        for (int unsigned j = 0; j < GroupSize; j++) begin
          tlo[j*GLoWidth +: GLoWidth] = GLoWidth'($signed(plo_q[g*GroupSize + j]));
          thi[j*GHiWidth +: GHiWidth] = GHiWidth'($signed(phi_q[g*GroupSize + j]));
        end
        for (int unsigned st = 1; st < GroupSize; st = 2 * st) begin
          for (int unsigned j = 0; j + st < GroupSize; j = j + 2 * st) begin
            tlo[j*GLoWidth +: GLoWidth] = tlo[j*GLoWidth +: GLoWidth] + tlo[(j+st)*GLoWidth +: GLoWidth];
            thi[j*GHiWidth +: GHiWidth] = thi[j*GHiWidth +: GHiWidth] + thi[(j+st)*GHiWidth +: GHiWidth];
          end
        end
        glo[g] = tlo[0 +: GLoWidth];
        ghi[g] = thi[0 +: GHiWidth];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (en_t_i) begin
      for (int unsigned g = 0; g < NumGroups; g++) begin
        glo_q[g] <= glo[g];
        ghi_q[g] <= ghi[g];
      end
      int4_q <= int4_p_q;
    end
  end

  // ---- Stage 2: total, registered ----
  logic [DotWidth-1:0] dot;
  always_comb begin
    logic signed [DotWidth-1:0] slo, shi;
    slo = '0;
    shi = '0;
    for (int unsigned g = 0; g < NumGroups; g++) begin
      slo = slo + DotWidth'($signed(glo_q[g]));
      shi = shi + DotWidth'($signed(ghi_q[g]));
    end
    dot = int4_q ? shi + slo : (shi <<< 4) + slo;
  end
  always_ff @(posedge clk_i) begin
    if (en_d_i) dot_o <= dot;
  end
endmodule
