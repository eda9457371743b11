// The ring of DESIGN.md section 4.3 without its nodes: NumNodes routers joined by 2*NumNodes
// ring_links (clockwise link i: node i -> i+1; counter-clockwise link i: node i -> i-1). Each
// node's injection and ejection ports (two directions) are brought out; pnm_system attaches the
// collective engines, the unit tests drive them directly.
// Port vectors: node n, direction d at index n*2 + d.
module ring_fabric #(
  parameter int unsigned NumNodes    = 4,
  parameter int unsigned FlitBytes   = 32,
  parameter int unsigned VcDepth     = 32,
  parameter int unsigned LinkLatency = 4,
  parameter int unsigned CntWidth    = 48,
  localparam int unsigned NumVc        = ring_pkg::NumVc,
  localparam int unsigned NodeWidth    = (NumNodes > 1) ? $clog2(NumNodes) : 1,
  localparam int unsigned PayloadWidth = FlitBytes * 8,
  localparam int unsigned FlitWidth    = PayloadWidth + 2 * NodeWidth + 1,
  localparam int unsigned PortWidth    = PayloadWidth + NodeWidth,
  localparam int unsigned NumPorts     = 2 * NumNodes
) (
  input  logic                              clk_i,
  input  logic                              rst_ni,

  input  logic [NumPorts-1:0]               inj_valid_i,
  output logic [NumPorts-1:0]               inj_ready_o,
  input  logic [NumPorts*PortWidth-1:0]     inj_data_i,    // {dst, payload}
  output logic [NumPorts-1:0]               ej_valid_o,
  input  logic [NumPorts-1:0]               ej_ready_i,
  output logic [NumPorts*PortWidth-1:0]     ej_data_o,     // {src, payload}

  // Per node and direction: flits per VC on its out link, credit stalls, injected, ejected.
  output logic [NumPorts*NumVc*CntWidth-1:0] cnt_link_flits_o,
  output logic [NumPorts*CntWidth-1:0]      cnt_credit_stall_o,
  output logic [NumPorts*CntWidth-1:0]      cnt_inj_o,
  output logic [NumPorts*CntWidth-1:0]      cnt_ej_o,
  output logic [NumNodes-1:0]               err_o,
  // Quiescent: no flit or credit anywhere in the ring for the last LinkLatency + 1 cycles. While
  // idle_o is high and no node injects (inj_valid_i == 0), a clock edge leaves every register of
  // the ring as it is, so a simulator may skip evaluating it (tb/common/split_system.hpp) and a
  // power manager may gate its clock.
  output logic                              idle_o
);
  // Router side of every link end, indexed node*2 + direction.
  logic [NumPorts-1:0]           out_valid, in_valid;
  logic [NumPorts*FlitWidth-1:0] out_flit, in_flit;
  logic [NumPorts*NumVc-1:0]     out_credit, in_credit;
  logic [NumPorts*CntWidth-1:0]  unused_link_cnt;
  logic [NumNodes-1:0]           router_idle;
  logic [NumPorts-1:0]           link_idle;

  for (genvar n = 0; n < NumNodes; n++) begin : gen_node
    ring_router #(
      .NumNodes(NumNodes), .FlitBytes(FlitBytes), .VcDepth(VcDepth), .CntWidth(CntWidth)
    ) u_router (
      .clk_i, .rst_ni, .node_id_i(NodeWidth'(n)),
      .out_valid_o(out_valid[n*2 +: 2]), .out_flit_o(out_flit[n*2*FlitWidth +: 2*FlitWidth]),
      .out_credit_i(out_credit[n*2*NumVc +: 2*NumVc]),
      .in_valid_i(in_valid[n*2 +: 2]), .in_flit_i(in_flit[n*2*FlitWidth +: 2*FlitWidth]),
      .in_credit_o(in_credit[n*2*NumVc +: 2*NumVc]),
      .inj_valid_i(inj_valid_i[n*2 +: 2]), .inj_ready_o(inj_ready_o[n*2 +: 2]),
      .inj_data_i(inj_data_i[n*2*PortWidth +: 2*PortWidth]),
      .ej_valid_o(ej_valid_o[n*2 +: 2]), .ej_ready_i(ej_ready_i[n*2 +: 2]),
      .ej_data_o(ej_data_o[n*2*PortWidth +: 2*PortWidth]),
      .cnt_link_flits_o(cnt_link_flits_o[n*2*NumVc*CntWidth +: 2*NumVc*CntWidth]),
      .cnt_credit_stall_o(cnt_credit_stall_o[n*2*CntWidth +: 2*CntWidth]),
      .cnt_inj_o(cnt_inj_o[n*2*CntWidth +: 2*CntWidth]),
      .cnt_ej_o(cnt_ej_o[n*2*CntWidth +: 2*CntWidth]),
      .err_o(err_o[n]), .idle_o(router_idle[n])
    );

    for (genvar d = 0; d < 2; d++) begin : gen_link
      // Link from node n in direction d to its neighbour m.
      localparam int unsigned M = (d == 0) ? (n + 1) % NumNodes : (n + NumNodes - 1) % NumNodes;
      localparam int unsigned Src = n * 2 + d;
      localparam int unsigned Dst = M * 2 + d;
      ring_link #(
        .FlitWidth(FlitWidth), .NumVc(NumVc), .Latency(LinkLatency), .CntWidth(CntWidth)
      ) u_link (
        .clk_i, .rst_ni,
        .flit_valid_i(out_valid[Src]), .flit_i(out_flit[Src*FlitWidth +: FlitWidth]),
        .flit_valid_o(in_valid[Dst]), .flit_o(in_flit[Dst*FlitWidth +: FlitWidth]),
        .credit_i(in_credit[Dst*NumVc +: NumVc]), .credit_o(out_credit[Src*NumVc +: NumVc]),
        .cnt_flits_o(unused_link_cnt[Src*CntWidth +: CntWidth]),  // the router counts per VC
        .idle_o(link_idle[Src])
      );
    end
  end

  // The links' flit registers shift without a valid; LinkLatency + 1 quiet cycles after the last
  // flit every stage holds the same (last) value, and only then is the ring at a fixed point.
  localparam int unsigned QuietCycles = LinkLatency + 1;
  localparam int unsigned QuietWidth  = $clog2(QuietCycles + 1);
  logic                  quiet;
  logic [QuietWidth-1:0] quiet_q;
  assign quiet = (&router_idle) && (&link_idle);
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                                    quiet_q <= '0;
    else if (!quiet)                                quiet_q <= '0;
    else if (quiet_q != QuietWidth'(QuietCycles))   quiet_q <= quiet_q + 1'b1;
  end
  assign idle_o = quiet && (quiet_q == QuietWidth'(QuietCycles));
endmodule
