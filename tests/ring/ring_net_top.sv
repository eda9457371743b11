// Test top: ring_fabric with its injection and ejection beats repacked at a 32-bit aligned
// stride per port (payload words, then one word holding the node field), so the C++ test reads
// them word by word. Port k = node * 2 + direction.
module ring_net_top #(
  parameter int unsigned NumNodes    = 4,
  parameter int unsigned FlitBytes   = 32,
  parameter int unsigned VcDepth     = 32,
  parameter int unsigned LinkLatency = 4,
  localparam int unsigned CntWidth     = 64,
  localparam int unsigned NumVc        = ring_pkg::NumVc,
  localparam int unsigned NodeWidth    = (NumNodes > 1) ? $clog2(NumNodes) : 1,
  localparam int unsigned PayloadWidth = FlitBytes * 8,
  localparam int unsigned PortWidth    = PayloadWidth + NodeWidth,
  localparam int unsigned Stride       = PayloadWidth + 32,
  localparam int unsigned NumPorts     = 2 * NumNodes
) (
  input  logic                               clk_i,
  input  logic                               rst_ni,
  input  logic [NumPorts-1:0]                inj_valid_i,
  output logic [NumPorts-1:0]                inj_ready_o,
  input  logic [NumPorts*Stride-1:0]         inj_data_i,
  output logic [NumPorts-1:0]                ej_valid_o,
  input  logic [NumPorts-1:0]                ej_ready_i,
  output logic [NumPorts*Stride-1:0]         ej_data_o,
  output logic [NumPorts*NumVc*CntWidth-1:0] cnt_link_flits_o,
  output logic [NumPorts*CntWidth-1:0]       cnt_credit_stall_o,
  output logic [NumPorts*CntWidth-1:0]       cnt_inj_o,
  output logic [NumPorts*CntWidth-1:0]       cnt_ej_o,
  output logic [NumNodes-1:0]                err_o,
  output logic                               idle_o
);
  logic [NumPorts*PortWidth-1:0] inj, ej;
  logic [NumPorts*(32-NodeWidth)-1:0] unused_inj_hi;
  for (genvar k = 0; k < NumPorts; k++) begin : gen_port
    assign inj[k*PortWidth +: PortWidth] = inj_data_i[k*Stride +: PortWidth];
    assign unused_inj_hi[k*(32-NodeWidth) +: 32-NodeWidth] =
        inj_data_i[k*Stride + PortWidth +: 32-NodeWidth];
    assign ej_data_o[k*Stride +: Stride] = {(32-NodeWidth)'(0), ej[k*PortWidth +: PortWidth]};
  end

  ring_fabric #(
    .NumNodes(NumNodes), .FlitBytes(FlitBytes), .VcDepth(VcDepth), .LinkLatency(LinkLatency),
    .CntWidth(CntWidth)
  ) u_fabric (
    .clk_i, .rst_ni,
    .inj_valid_i, .inj_ready_o, .inj_data_i(inj),
    .ej_valid_o, .ej_ready_i, .ej_data_o(ej),
    .cnt_link_flits_o, .cnt_credit_stall_o, .cnt_inj_o, .cnt_ej_o, .err_o, .idle_o
  );
endmodule
