// Assertion macros for every block: one place to write a property so that it compiles in the
// Verilated model (built with --assert), disappears in synthesis (Yosys defines SYNTHESIS) and is
// skipped by simulators without concurrent-assertion support (Icarus 11).
// Modelled on lowRISC prim_assert.svh.
//
//   `PNM_ASSERT(name, prop, clk, rst_n)          prop holds on every clock edge outside reset
//   `PNM_ASSERT_NEVER(name, prop, clk, rst_n)    prop never holds
//   `PNM_ASSERT_IMPLIES(name, a, b, clk, rst_n)  whenever a holds, b holds in the same cycle
//   `PNM_ASSERT_KNOWN(name, sig, clk, rst_n)     sig carries no X/Z outside reset
//   `PNM_ASSERT_STREAM(name, valid, ready, data, clk, rst_n)
//        valid/ready stream rule: once valid is high without ready, valid stays high and data
//        stays stable on the next cycle (the producer may not retract or change a beat).
//   `PNM_ASSERT_STREAM_UNLESS(name, valid, ready, data, abort, clk, rst_n)
//        the same rule, except after a cycle in which `abort` (e.g. a flush) was high.
`ifndef PNM_ASSERT_SVH
`define PNM_ASSERT_SVH

`ifdef SYNTHESIS
  `define PNM_ASSERTIONS_OFF
`elsif VERILATOR
`else
  `define PNM_ASSERTIONS_OFF
`endif

`ifndef PNM_ASSERTIONS_OFF

// Clocked immediate assertions, not concurrent ones: an assertion inside always_ff reads the
// values from before the clock edge, exactly what a concurrent assertion samples, but Verilator
// 5.006 copies every signal a concurrent assertion reads into a shadow ("sampled") variable on
// every eval, two per cycle: 10% of a pnmsim run (docs/decisions.md). The stream rule keeps the
// previous cycle's stall and data in registers, which is what `|=>` and $stable mean.

`define PNM_ASSERT(__name, __prop, __clk, __rst_n)                                     \
  always_ff @(posedge __clk) begin : __name``_chk                                     \
    if (__rst_n) begin                                                                 \
      __name: assert (__prop)                                                          \
        else $error("[%0t] assertion %m failed: %s", $time, `"__prop`");             \
    end                                                                                \
  end

`define PNM_ASSERT_NEVER(__name, __prop, __clk, __rst_n)                               \
  `PNM_ASSERT(__name, !(__prop), __clk, __rst_n)

`define PNM_ASSERT_IMPLIES(__name, __ante, __cons, __clk, __rst_n)                     \
  `PNM_ASSERT(__name, !(__ante) || (__cons), __clk, __rst_n)

`define PNM_ASSERT_KNOWN(__name, __sig, __clk, __rst_n)                                \
  `PNM_ASSERT(__name, !$isunknown(__sig), __clk, __rst_n)

`define PNM_ASSERT_STREAM_UNLESS(__name, __valid, __ready, __data, __abort, __clk, __rst_n) \
  logic                     __name``_stall_q;                                          \
  logic [$bits(__data)-1:0] __name``_data_q;                                           \
  always_ff @(posedge __clk or negedge __rst_n) begin : __name``_chk                  \
    if (!(__rst_n)) begin                                                              \
      __name``_stall_q <= 1'b0;                                                        \
      __name``_data_q  <= '0;                                                          \
    end else begin                                                                     \
      if (__name``_stall_q) begin                                                      \
        __name``_hold: assert (__valid)                                                \
          else $error("[%0t] stream %m: valid retracted before ready", $time);        \
        __name``_stable: assert ((__data) == __name``_data_q)                          \
          else $error("[%0t] stream %m: data changed while valid && !ready", $time);  \
      end                                                                              \
      __name``_stall_q <= (__valid) && !(__ready) && !(__abort);                       \
      if ((__valid) && !(__ready)) __name``_data_q <= (__data);                        \
    end                                                                                \
  end

`define PNM_ASSERT_STREAM(__name, __valid, __ready, __data, __clk, __rst_n)            \
  `PNM_ASSERT_STREAM_UNLESS(__name, __valid, __ready, __data, 1'b0, __clk, __rst_n)

`else

`define PNM_ASSERT(__name, __prop, __clk, __rst_n)
`define PNM_ASSERT_NEVER(__name, __prop, __clk, __rst_n)
`define PNM_ASSERT_IMPLIES(__name, __ante, __cons, __clk, __rst_n)
`define PNM_ASSERT_KNOWN(__name, __sig, __clk, __rst_n)
`define PNM_ASSERT_STREAM(__name, __valid, __ready, __data, __clk, __rst_n)
`define PNM_ASSERT_STREAM_UNLESS(__name, __valid, __ready, __data, __abort, __clk, __rst_n)

`endif

`endif  // PNM_ASSERT_SVH
