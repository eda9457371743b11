// Round and chunk arithmetic of one direction of the collective engine (see collective_dir):
// for the round that starts `done_i` flits (or per-segment flits for ALLGATHER) into this
// direction's share, the chunk size q, how far the round advances, and where chunk c lies in
// this direction's buffer bank (first bank offset, and the element bound for masked writes).
// Purely combinational; collective_dir uses one per sequencer.
//   ALLREDUCE: the share [lo, lo+total) is cut into rounds of N chunks of q <= ChunkFlits flits,
//              q = ceil(min(N*ChunkFlits, remaining) / N); the last round is padded up to N*q
//              flits (padding is read and added but never written back).
//   ALLGATHER: segment j (node j's contribution, F flits of the buffer from base + j*F) gives
//              this direction ceil(F/2) flits from bank offset (base + j*F + 1 - Dir) / 2; a
//              round takes q = min(ChunkFlits, remaining) of them from every segment.
//   others:    one round, one chunk: the whole share.
module collective_round #(
  parameter int unsigned NumNodes   = 4,
  parameter int unsigned ChunkFlits = 15,
  parameter int unsigned Dir        = 0,
  parameter int unsigned OffWidth   = 14,  // bank offsets and flit counts (never wraps)
  parameter int unsigned ElemWidth  = 18,  // element indices
  parameter int unsigned LogElems   = 3,   // log2(elements per flit)
  localparam int unsigned NodeWidth = (NumNodes > 1) ? $clog2(NumNodes) : 1
) (
  input  logic [ring_pkg::OpWidth-1:0] op_i,
  input  logic [OffWidth-1:0]          base_i,   // first global flit of the vector
  input  logic [OffWidth-1:0]          flits_i,  // F: flits of the vector (per node for ALLGATHER)
  input  logic [ElemWidth-1:0]         len_i,    // elements (per node for ALLGATHER)
  input  logic [OffWidth-1:0]          lo_i,     // first bank offset of this direction's share
  input  logic [OffWidth-1:0]          total_i,  // flits of the share (per segment for ALLGATHER)
  input  logic [OffWidth-1:0]          done_i,   // progress at the start of this round
  input  logic [NodeWidth-1:0]         chunk_i,  // chunk index (a real node id for ALLGATHER)
  output logic [OffWidth-1:0]          q_o,      // flits per chunk in this round (>= 1)
  output logic [OffWidth-1:0]          step_o,   // done advances by this at the end of the round
  output logic [OffWidth-1:0]          addr_o,   // first bank offset of chunk_i
  output logic [ElemWidth-1:0]         hi_elem_o // elements at or past this index are not written
);
  localparam logic [OffWidth-1:0] NumNodesW = OffWidth'(NumNodes);
  localparam logic [OffWidth-1:0] ChunkW    = OffWidth'(ChunkFlits);
  localparam logic [OffWidth-1:0] RoundMax  = OffWidth'(NumNodes * ChunkFlits);

  logic                is_ar, is_ag;
  logic [OffWidth-1:0] rem, ar_x, ar_q, seg_first;
  assign is_ar = (op_i == ring_pkg::RING_OP_ALLREDUCE);
  assign is_ag = (op_i == ring_pkg::RING_OP_ALLGATHER);
  assign rem   = total_i - done_i;
  assign ar_x  = (rem < RoundMax) ? rem : RoundMax;

  // ceil(ar_x / N) for ar_x <= N * ChunkFlits, without a divider: count the multiples of N below.
  always_comb begin
    ar_q = '0;
    for (int unsigned k = 0; k < ChunkFlits; k++) begin
      if (ar_x > OffWidth'(k * NumNodes)) ar_q = ar_q + 1'b1;
    end
  end

  // First global flit of segment chunk_i (ALLGATHER).
  assign seg_first = base_i + OffWidth'(chunk_i) * flits_i;

  always_comb begin
    if (is_ar) begin
      q_o       = ar_q;
      step_o    = OffWidth'(ar_q * NumNodesW);
      addr_o    = lo_i + done_i + OffWidth'(chunk_i) * ar_q;
      hi_elem_o = ElemWidth'({base_i, LogElems'(0)}) + len_i;
    end else if (is_ag) begin
      q_o       = (rem < ChunkW) ? rem : ChunkW;
      step_o    = q_o;
      addr_o    = OffWidth'((seg_first + OffWidth'(1 - Dir)) >> 1) + done_i;
      hi_elem_o = ElemWidth'({seg_first, LogElems'(0)}) + len_i;
    end else begin
      q_o       = rem;
      step_o    = rem;
      addr_o    = lo_i + done_i;
      hi_elem_o = ElemWidth'({base_i, LogElems'(0)}) + len_i;
    end
  end
endmodule
