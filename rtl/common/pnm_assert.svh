// Assertion macros for every block: one place to write a property so that it compiles in the
// Verilated model (built with --assert), disappears in synthesis (Yosys defines SYNTHESIS) and is
// skipped by simulators without concurrent-assertion support (Icarus 11).
// Modelled on lowRISC prim_assert.svh.
//
//   `PNM_ASSERT(name, prop, clk, rst_n)          prop holds on every clock edge outside reset
//   `PNM_ASSERT_NEVER(name, prop, clk, rst_n)    prop never holds
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

`define PNM_ASSERT(__name, __prop, __clk, __rst_n)                                     \
  __name: assert property (@(posedge __clk) disable iff (!(__rst_n)) (__prop))          \
    else $error("[%0t] assertion %m failed: %s", $time, `"__prop`");

`define PNM_ASSERT_NEVER(__name, __prop, __clk, __rst_n)                               \
  `PNM_ASSERT(__name, !(__prop), __clk, __rst_n)

`define PNM_ASSERT_KNOWN(__name, __sig, __clk, __rst_n)                                \
  `PNM_ASSERT(__name, !$isunknown(__sig), __clk, __rst_n)

`define PNM_ASSERT_STREAM_UNLESS(__name, __valid, __ready, __data, __abort, __clk, __rst_n) \
  __name``_hold: assert property (@(posedge __clk) disable iff (!(__rst_n))             \
      ((__valid) && !(__ready) && !(__abort)) |=> (__valid))                            \
    else $error("[%0t] stream %m: valid retracted before ready", $time);               \
  __name``_stable: assert property (@(posedge __clk) disable iff (!(__rst_n))           \
      ((__valid) && !(__ready) && !(__abort)) |=> $stable(__data))                      \
    else $error("[%0t] stream %m: data changed while valid && !ready", $time);

`define PNM_ASSERT_STREAM(__name, __valid, __ready, __data, __clk, __rst_n)            \
  `PNM_ASSERT_STREAM_UNLESS(__name, __valid, __ready, __data, 1'b0, __clk, __rst_n)

`else

`define PNM_ASSERT(__name, __prop, __clk, __rst_n)
`define PNM_ASSERT_NEVER(__name, __prop, __clk, __rst_n)
`define PNM_ASSERT_KNOWN(__name, __sig, __clk, __rst_n)
`define PNM_ASSERT_STREAM(__name, __valid, __ready, __data, __clk, __rst_n)
`define PNM_ASSERT_STREAM_UNLESS(__name, __valid, __ready, __data, __abort, __clk, __rst_n)

`endif

`endif  // PNM_ASSERT_SVH
