// Constants of the ring (DESIGN.md section 4.3) shared by the router, the collective engine and
// (through the ISA of the node) the firmware: the collective operation codes and the engine's
// command error codes. The flit layout is computed from parameters in each module:
//   flit = {vc, src, dst, payload}, payload = FlitBytes * 8 bits in the low bits.
/* verilator lint_off UNUSEDPARAM */
package ring_pkg;
  localparam int unsigned NumVc = 2;  // VC0, and VC1 after the dateline

  // Collective operations (cmd_op_i of collective_engine).
  localparam int unsigned OpWidth = 3;
  localparam logic [OpWidth-1:0] RING_OP_ALLREDUCE = 3'd1;  // INT32 sum, result on every node
  localparam logic [OpWidth-1:0] RING_OP_ALLGATHER = 3'd2;  // node j's segment to every node
  localparam logic [OpWidth-1:0] RING_OP_BROADCAST = 3'd3;  // root's vector to every node
  localparam logic [OpWidth-1:0] RING_OP_SEND      = 3'd4;  // point-to-point, to peer
  localparam logic [OpWidth-1:0] RING_OP_RECV      = 3'd5;  // point-to-point, from peer

  // Command error codes (err_code_o of collective_engine); 0 means no error.
  localparam int unsigned ErrWidth = 3;
  localparam logic [ErrWidth-1:0] RING_ERR_NONE  = 3'd0;
  localparam logic [ErrWidth-1:0] RING_ERR_OP    = 3'd1;  // unknown operation
  localparam logic [ErrWidth-1:0] RING_ERR_LEN   = 3'd2;  // length 0
  localparam logic [ErrWidth-1:0] RING_ERR_RANGE = 3'd3;  // the vector runs past the buffer
  localparam logic [ErrWidth-1:0] RING_ERR_PEER  = 3'd4;  // peer >= NumNodes, or peer == self
                                                          // for SEND and RECV
  localparam logic [ErrWidth-1:0] RING_ERR_NORING = 3'd5; // a build without a ring (Ring = 0)
endpackage
/* verilator lint_on UNUSEDPARAM */
