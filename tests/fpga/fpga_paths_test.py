#!/usr/bin/env python3
"""Checks scripts/fpga_paths.py on hand-made netlists: a flop, a LUT, a MULT18X18D and a flop,
with the DSP's registers in each of the forms the estimator times differently. The expected
arrivals are the unit delays of the script's docstring added by hand, not read from its output.

    fpga_paths_test.py <path to scripts/fpga_paths.py>
"""
import json
import os
import subprocess
import sys
import tempfile

CLK_Q, ROUTE, ROUTE_FAR, LUT, MULT, DSP_CO = 0.52, 0.9, 2.4, 0.24, 3.9, 0.74


def netlist(dsp_regs):
    """ff_a.Q -> lut.A -> lut.Z -> dsp.A0 ; dsp.P0 -> ff_p.DI. Bits: 2 clk, 3 q, 4 z, 5 p."""
    def cell(kind, src, conns, dirs, params=None):
        return {"type": kind, "parameters": params or {}, "port_directions": dirs,
                "connections": conns, "attributes": {"src": f"/x/rtl/t.sv:{src}.1-{src}.9"}}
    params = {"REG_INPUTA_CLK": "NONE", "REG_INPUTB_CLK": "NONE",
              "REG_PIPELINE_CLK": "NONE", "REG_OUTPUT_CLK": "NONE"}
    for r in dsp_regs:
        params[f"REG_{r}_CLK"] = "CLK0"
    cells = {
        "ff_a": cell("TRELLIS_FF", 1, {"CLK": [2], "DI": ["0"], "Q": [3]},
                     {"CLK": "input", "DI": "input", "Q": "output"}),
        "lut": cell("LUT4", 2, {"A": [3], "Z": [4]}, {"A": "input", "Z": "output"}),
        "dsp": cell("MULT18X18D", 3, {"A0": [4], "B0": ["0"], "CLK0": [2], "P0": [5]},
                    {"A0": "input", "B0": "input", "CLK0": "input", "P0": "output"}, params),
        "ff_p": cell("TRELLIS_FF", 4, {"CLK": [2], "DI": [5], "Q": [6]},
                     {"CLK": "input", "DI": "input", "Q": "output"}),
    }
    return {"modules": {"t": {"attributes": {"top": 1}, "cells": cells}}}


def ranking(script, regs):
    """The script's (arrival, end line) pairs for the netlist with these DSP registers."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "synth.json")
        with open(path, "w") as f:
            json.dump(netlist(regs), f)
        out = subprocess.run([sys.executable, script, path, "--top", "10"], check=True,
                             capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[1:]:
        ns, _cells, rest = line.split(None, 2)
        rows.append((float(ns), rest.split(" -> ")[-1].strip()))
    return rows


def expect(script, regs, want):
    """want: end line -> arrival, for every endpoint the ranking must list (and no other)."""
    got = {end: ns for ns, end in ranking(script, regs)}
    want = {f"rtl/t.sv:{k}": round(v, 2) for k, v in want.items()}
    if set(got) != set(want) or any(abs(got[k] - want[k]) > 0.011 for k in want):
        print(f"FAIL DSP registers {regs or 'none'}: expected {want}, got {got}")
        return 1
    print(f"ok   DSP registers {regs or 'none'}: {got}")
    return 0


def main():
    script = sys.argv[1]
    to_dsp = CLK_Q + ROUTE + LUT + ROUTE_FAR          # ff_a -> lut -> the DSP's A0
    bad = 0
    # No DSP register: one path through the multiplier into ff_p; the DSP ends nothing.
    bad += expect(script, [], {4: to_dsp + MULT + ROUTE_FAR})
    # Input registers only (pnm_mul_reg's ECP5 twin since round 22): the path ends at A0; the
    # product starts after the multiplier.
    bad += expect(script, ["INPUTA", "INPUTB"], {3: to_dsp, 4: CLK_Q + MULT + ROUTE_FAR})
    # Output register only: A0 ends a path after the multiplier, P starts at clock-to-out.
    bad += expect(script, ["OUTPUT"], {3: to_dsp + MULT, 4: DSP_CO + ROUTE_FAR})
    # Pipeline register only: timed as the output register.
    bad += expect(script, ["PIPELINE"], {3: to_dsp + MULT, 4: DSP_CO + ROUTE_FAR})
    # Both sides (the ECP5 twin of round 21).
    bad += expect(script, ["INPUTA", "INPUTB", "OUTPUT"], {3: to_dsp, 4: DSP_CO + ROUTE_FAR})
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
