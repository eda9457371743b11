// Address map of the flash front-end (DESIGN.md section 4.1, docs/flash.md): a logical page
// number becomes (channel, die, plane, block, page), striped channel first, then die, then
// plane, then page, then block, so a sequential stream spreads over every channel and die. A
// bad-block remap table (written through a CSR port) then moves a page of a bad block to the
// spare block of the same plane. The C++ reference is tb/ref/flash_ref (flash_map,
// FlashRemap::apply).
//
// Valid/ready in and out; the result is registered in a spill register, so neither direction
// has a combinational path through the block.
`include "pnm_assert.svh"

module hbf_addr_map #(
  parameter int unsigned Channels     = 8,     // every dimension a power of two
  parameter int unsigned Dies         = 4,     // per channel
  parameter int unsigned Planes       = 2,     // per die
  parameter int unsigned Blocks       = 2048,  // per plane
  parameter int unsigned Pages        = 256,   // per block
  parameter int unsigned RemapEntries = 16,
  parameter int unsigned TagWidth     = 8,
  parameter int unsigned CntWidth     = 48,

  localparam int unsigned ChW    = (Channels > 1) ? $clog2(Channels) : 1,
  localparam int unsigned DieW   = (Dies > 1) ? $clog2(Dies) : 1,
  localparam int unsigned PlaneW = (Planes > 1) ? $clog2(Planes) : 1,
  localparam int unsigned BlockW = (Blocks > 1) ? $clog2(Blocks) : 1,
  localparam int unsigned PageW  = (Pages > 1) ? $clog2(Pages) : 1,
  localparam int unsigned LpnW   = $clog2(Channels * Dies * Planes * Blocks * Pages),
  localparam int unsigned RemapW = (RemapEntries > 1) ? $clog2(RemapEntries) : 1,
  // Remap entry: {valid, channel, die, plane, bad block, spare block}
  localparam int unsigned RemapEntryW = 1 + ChW + DieW + PlaneW + 2 * BlockW
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,

  // Remap table write port (SRAM-like, always accepted).
  input  logic                   remap_we_i,
  input  logic [RemapW-1:0]      remap_waddr_i,
  input  logic [RemapEntryW-1:0] remap_wdata_i,

  input  logic                   valid_i,
  output logic                   ready_o,
  input  logic [LpnW-1:0]        lpn_i,
  input  logic [TagWidth-1:0]    tag_i,

  output logic                   valid_o,
  input  logic                   ready_i,
  output logic [ChW-1:0]         channel_o,
  output logic [DieW-1:0]        die_o,
  output logic [PlaneW-1:0]      plane_o,
  output logic [BlockW-1:0]      block_o,
  output logic [PageW-1:0]       page_o,
  output logic                   remapped_o,  // block_o is a spare block
  output logic [TagWidth-1:0]    tag_o,

  output logic [CntWidth-1:0]    cnt_remapped_o
);
  // ---- Map: the strides are powers of two, so the divisions are bit selections ----
  logic [ChW-1:0]    ch;
  logic [DieW-1:0]   die;
  logic [PlaneW-1:0] plane;
  logic [PageW-1:0]  page;
  logic [BlockW-1:0] block;
  always_comb begin
    logic [LpnW-1:0] rest;
    rest  = lpn_i;
    ch    = ChW'(rest % LpnW'(Channels));
    rest  = rest / LpnW'(Channels);
    die   = DieW'(rest % LpnW'(Dies));
    rest  = rest / LpnW'(Dies);
    plane = PlaneW'(rest % LpnW'(Planes));
    rest  = rest / LpnW'(Planes);
    page  = PageW'(rest % LpnW'(Pages));
    rest  = rest / LpnW'(Pages);
    block = BlockW'(rest);
  end

  // ---- Remap table: flops, searched in parallel ----
  // valid_q: the valid bit of every entry. The search runs only when some entry is valid
  // (operand isolation: no bad block, no comparator switching; most of a cycle's evaluation
  // time of this block in Verilator).
  logic [RemapEntryW-1:0]  table_q [RemapEntries];
  logic [RemapEntries-1:0] valid_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned e = 0; e < RemapEntries; e++) table_q[e] <= '0;
      valid_q <= '0;
    end else if (remap_we_i) begin
      table_q[remap_waddr_i] <= remap_wdata_i;
      valid_q[remap_waddr_i] <= remap_wdata_i[RemapEntryW-1];
    end
  end

  logic              hit;
  logic [BlockW-1:0] spare;
  always_comb begin
    hit   = 1'b0;
    spare = '0;
    if (valid_q != '0) begin
      // Entry: {valid, channel, die, plane, bad block, spare block}. The lowest matching entry
      // wins (a duplicate entry is a table error, asserted below).
      for (int unsigned e = 0; e < RemapEntries; e++) begin
        if (!hit && valid_q[e] &&
            table_q[e][RemapEntryW-2 -: ChW + DieW + PlaneW + BlockW] == {ch, die, plane, block}) begin
          hit   = 1'b1;
          spare = table_q[e][BlockW-1:0];
        end
      end
    end
  end

  // ---- Output register ----
  localparam int unsigned OutW = ChW + DieW + PlaneW + BlockW + PageW + 1 + TagWidth;
  logic in_hs;
  assign in_hs = valid_i && ready_o;
  pnm_spill_reg #(
    .Width(OutW)
  ) u_out (
    .clk_i,
    .rst_ni,
    .valid_i,
    .ready_o,
    .data_i  ({ch, die, plane, hit ? spare : block, page, hit, tag_i}),
    .valid_o,
    .ready_i,
    .data_o  ({channel_o, die_o, plane_o, block_o, page_o, remapped_o, tag_o})
  );

  logic [CntWidth-1:0] cnt_remapped_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)            cnt_remapped_q <= '0;
    else if (in_hs && hit)  cnt_remapped_q <= cnt_remapped_q + 1'b1;
  end
  assign cnt_remapped_o = cnt_remapped_q;

  // A block may be remapped at most once: two valid entries naming it is a table error.
  logic [RemapEntries-1:0] entry_hits;
  always_comb begin
    entry_hits = '0;
    if (valid_q != '0) begin
      for (int unsigned e = 0; e < RemapEntries; e++) begin
        entry_hits[e] = valid_q[e] &&
                     table_q[e][RemapEntryW-2 -: ChW + DieW + PlaneW + BlockW] == {ch, die, plane, block};
      end
    end
  end
  `PNM_ASSERT_NEVER(RemapDuplicate_A, valid_i && $countones(entry_hits) > 1, clk_i, rst_ni)
  `PNM_ASSERT(PowersOfTwo_A, (Channels & (Channels - 1)) == 0 && (Dies & (Dies - 1)) == 0 &&
              (Planes & (Planes - 1)) == 0 && (Blocks & (Blocks - 1)) == 0 &&
              (Pages & (Pages - 1)) == 0, clk_i, rst_ni)
  `PNM_ASSERT_STREAM(InStream_A, valid_i, ready_o, {lpn_i, tag_i}, clk_i, rst_ni)
endmodule
