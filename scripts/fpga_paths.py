#!/usr/bin/env python3
"""Rank the deepest register-to-register paths of a synthesised ECP5 netlist (docs/fpga.md).

    scripts/fpga_paths.py [build/fpga/ecp5/synth.json] [--top N]

nextpnr reports one critical path per clock, so each place-and-route round (10 to 15 minutes
here) shows one path to fix. This estimate ranks every endpoint of the Yosys netlist at once,
from a unit delay model read off nextpnr's ECP5-6 reports: clock-to-out 0.52 ns, 0.24 ns per
LUT4, 0.9 ns of routing per net between slices (none inside a slice: LUT4 -> PFUMX -> L6MUX21
and carry chains; 2.4 ns into or out of a MULT18X18D or DP16KD, which sit in their own rows),
CCU2C 0.45 ns in, 0.07 ns per cell of carry, 0.40 ns out, MULT18X18D 3.9 ns, DP16KD
clock-to-out 4.3 ns. A MULT18X18D with its own registers (pnm_mul_reg's ECP5 twin) ends a path
at its A/B inputs when they are registered (or, 3.9 ns later, when only its product is) and
starts one at P (clock-to-out 0.74 ns) when its output or pipeline register is used, as nextpnr
times it. Real routing varies from 0.1 to 2.5 ns per net, so the figures are
a ranking, not a timing sign-off: the placed design's Fmax comes from `scripts/fpga.sh` only.

Prints, deepest first, one line per distinct (start, end) pair of source locations: the
estimated arrival, the number of cells, and the RTL source lines along the path.
"""
import argparse
import json
import re
import sys
from collections import defaultdict

CLK_Q = 0.52
ROUTE = 0.9
ROUTE_FAR = 2.4   # to or from a DSP or block RAM
FAR = ("MULT18X18D", "DP16KD")
LUT = 0.24
CARRY_IN, CARRY_STEP, CARRY_OUT = 0.45, 0.07, 0.40
MULT = 3.9
BRAM_CO = 4.3
DSP_CO = 0.74     # MULT18X18D output register, clock to P
LUTRAM = 0.40

# Combinational arcs: cell type -> (output ports, input ports -> delay to every output).
SEQ_OUT = {"TRELLIS_FF": {"Q": CLK_Q}, "DP16KD": None}  # DP16KD: every DO* port


def rtl_src(attrs):
    """The project's own source locations of a cell (Yosys keeps every origin, '|'-separated)."""
    out = []
    for part in attrs.get("src", "").split("|"):
        if "/rtl/" in part:
            f, _, loc = part.rpartition(":")
            out.append(f"{f[f.index('/rtl/') + 1:]}:{loc.split('.')[0]}")
    return out


def dsp_reg(cell, reg):
    """Whether a MULT18X18D's register REG_<reg> is in use (its clock is not NONE)."""
    return cell.get("parameters", {}).get(f"REG_{reg}_CLK", "NONE") != "NONE"


def dsp_product_reg(cell):
    """Whether a MULT18X18D registers its product (output or pipeline register)."""
    return dsp_reg(cell, "OUTPUT") or dsp_reg(cell, "PIPELINE")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("netlist", nargs="?", default="build/fpga/ecp5/synth.json")
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args()
    try:
        d = json.load(open(a.netlist))
    except (OSError, ValueError) as e:
        print(f"fpga_paths: {a.netlist}: {e}", file=sys.stderr)
        return 2
    top = [n for n, m in d["modules"].items() if m.get("attributes", {}).get("top")]
    if not top:
        print(f"fpga_paths: {a.netlist}: no top module", file=sys.stderr)
        return 2
    cells = d["modules"][top[0]]["cells"]

    driver = {}               # net bit -> (cell, port)
    sinks = defaultdict(list)
    for cn, c in cells.items():
        for p, bits in c.get("connections", {}).items():
            for b in bits:
                if isinstance(b, str):
                    continue
                if c["port_directions"].get(p) == "output":
                    driver[b] = (cn, p)
                else:
                    sinks[b].append((cn, p))

    arrival = {}   # net bit -> (time, cells on the path, predecessor bit or None)
    sys.setrecursionlimit(1000000)

    def net_route(b, cn_to):
        """Routing of net b into cell cn_to: none within a slice."""
        src = driver.get(b)
        if src is None:
            return 0.0
        t_from = cells[src[0]]["type"]
        t_to = cells[cn_to]["type"]
        if t_to in ("PFUMX", "L6MUX21") and t_from in ("LUT4", "PFUMX"):
            return 0.0
        if t_from == "CCU2C" and src[1] == "COUT":
            return 0.0
        if t_from in FAR or t_to in FAR:
            return ROUTE_FAR
        return ROUTE

    def arr(b):
        if b in arrival:
            return arrival[b]
        arrival[b] = (0.0, 0, None)  # breaks any combinational loop
        src = driver.get(b)
        if src is None:
            return arrival[b]
        cn, port = src
        c = cells[cn]
        t = c["type"]
        conn = c["connections"]
        if t == "TRELLIS_FF":
            res = (CLK_Q, 1, None)
        elif t == "DP16KD":
            res = (BRAM_CO, 1, None)
        elif t == "MULT18X18D" and dsp_product_reg(c):
            res = (DSP_CO, 1, None)
        elif t == "MULT18X18D" and dsp_reg(c, "INPUTA") and dsp_reg(c, "INPUTB"):
            res = (CLK_Q + MULT, 1, None)
        else:
            if t == "LUT4":
                ins, dly = ["A", "B", "C", "D"], LUT
            elif t == "PFUMX":
                ins, dly = ["ALUT", "BLUT", "C0"], LUT
            elif t == "L6MUX21":
                ins, dly = ["D0", "D1", "SD"], LUT
            elif t == "TRELLIS_DPR16X4":
                ins, dly = ["RAD"], LUTRAM
            elif t == "MULT18X18D":
                ins, dly = [p for p in conn if p[0] in "AB" and p[1:].isdigit()], MULT
            elif t == "CCU2C":
                if port == "COUT":
                    ins = ["CIN", "A0", "B0", "C0", "D0", "A1", "B1", "C1", "D1"]
                else:
                    ins = ["CIN", "A0", "B0", "C0", "D0"] if port == "S0" else \
                          ["CIN", "A0", "B0", "C0", "D0", "A1", "B1", "C1", "D1"]
                dly = None
            else:
                ins, dly = [], 0.0
            best = (0.0, 0, None)
            for p in ins:
                for ib in conn.get(p, []):
                    if isinstance(ib, str):
                        continue
                    ta, n, _ = arr(ib)
                    if t == "CCU2C":
                        step = (CARRY_STEP if port == "COUT" else CARRY_OUT) if p == "CIN" else \
                               CARRY_IN
                    else:
                        step = dly
                    tt = ta + net_route(ib, cn) + step
                    if tt > best[0]:
                        best = (tt, n + 1, ib)
            res = best
        arrival[b] = res
        return res

    # Endpoints: register and memory inputs.
    ends = []
    for cn, c in cells.items():
        t = c["type"]
        if t == "TRELLIS_FF":
            ports = ["DI"] + (["LSR"] if c.get("parameters", {}).get("SRMODE") != "ASYNC" else [])
        elif t == "DP16KD":
            ports = [p for p in c["connections"] if re.match(r"(AD|DI)[AB]\d+$|(CE|WE)[AB]$", p)]
        elif t == "TRELLIS_DPR16X4":
            ports = ["DI", "WAD", "WRE"]
        elif t == "MULT18X18D":
            # A registered input ends a path at A/B; an unregistered one whose product is
            # registered (output or pipeline register) ends it there too, after the multiplier.
            ports = [p for p in c["connections"] if p[0] in "AB" and p[1:].isdigit()
                     and (dsp_reg(c, "INPUT" + p[0]) or dsp_product_reg(c))]
        else:
            continue
        for p in ports:
            extra = MULT if t == "MULT18X18D" and not dsp_reg(c, "INPUT" + p[0]) else 0.0
            for b in c["connections"].get(p, []):
                if isinstance(b, str):
                    continue
                ta, n, _ = arr(b)
                ends.append((ta + net_route(b, cn) + extra, n, b, cn))
    ends.sort(key=lambda e: -e[0])

    def path_of(b):
        chain = []
        while b is not None:
            src = driver.get(b)
            if src is None:
                break
            chain.append(src[0])
            b = arrival[b][2]
        return list(reversed(chain))

    shown = set()
    print(f"{'ns':>6} {'cells':>5}  start -> ... -> end (RTL source lines on the path)")
    for ta, n, b, cn in ends:
        chain = path_of(b)
        start = (rtl_src(cells[chain[0]]["attributes"]) or ["?"])[0] if chain else "?"
        end = (rtl_src(cells[cn]["attributes"]) or ["?"])[0]
        key = (start, end)
        if key in shown:
            continue
        shown.add(key)
        lines = []
        for x in chain[1:] + [cn]:
            for s in rtl_src(cells[x]["attributes"]):
                if s not in lines and s != start:
                    lines.append(s)
        print(f"{ta:6.2f} {n:5d}  {start} -> {' -> '.join(lines[:8])}"
              f"{' ...' if len(lines) > 8 else ''}")
        if len(shown) >= a.top:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
