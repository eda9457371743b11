// Constants shared by the GEMV unit, its requantisation stage and (through the generated ISA of
// the node) the firmware: weight formats, command error codes, requantisation field widths.
// Each user needs only some of the constants.
/* verilator lint_off UNUSEDPARAM */
package gemv_pkg;
  // Accumulators and INT32 results (DESIGN.md section 3: exact for K <= 65536).
  localparam int unsigned AccWidth   = 32;
  // Requantisation operands: Q31 multiplier M0, right shift 0..31, INT8 zero point.
  localparam int unsigned M0Width    = 32;
  localparam int unsigned ShiftWidth = 5;
  localparam int unsigned ZpWidth    = 8;
  localparam int unsigned RqWidth    = M0Width + ShiftWidth + ZpWidth;  // one table entry

  // Command error codes (err_code_o of gemv_unit); 0 means no error.
  localparam int unsigned ErrWidth           = 3;
  localparam logic [ErrWidth-1:0] GEMV_ERR_NONE      = 3'd0;
  localparam logic [ErrWidth-1:0] GEMV_ERR_ROWS      = 3'd1;  // rows == 0
  localparam logic [ErrWidth-1:0] GEMV_ERR_K         = 3'd2;  // K == 0 or K > MaxK
  localparam logic [ErrWidth-1:0] GEMV_ERR_BATCH     = 3'd3;  // batch == 0 or batch > MaxBatch
  localparam logic [ErrWidth-1:0] GEMV_ERR_ACT_RANGE = 3'd4;  // x_base + K runs past the buffer
  localparam logic [ErrWidth-1:0] GEMV_ERR_RQ_RANGE  = 3'd5;  // requant entries past the table
endpackage
/* verilator lint_on UNUSEDPARAM */
