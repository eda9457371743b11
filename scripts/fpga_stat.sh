#!/usr/bin/env bash
# FPGA resource estimate of one RTL top with Yosys (synthesis only, no place and route):
#   scripts/fpga_stat.sh <ecp5|ice40|xilinx> <top> [Param=Value ...]
# Prints one JSON line: {"target","top","params","luts","ffs","brams","dsps","carry","cells"}.
# luts counts LUT cells (ECP5 LUT4, iCE40 SB_LUT4, Xilinx LUT1..LUT6); brams counts block-RAM
# primitives (DP16KD/PDPW16KD, SB_RAM40_4K, RAMB18E1/RAMB36E1 as 18K halves).
# PNM_SYNTH_FLAGS adds options to synth_<target> (e.g. PNM_SYNTH_FLAGS=-nodsp).
set -euo pipefail
target=${1:?usage: fpga_stat.sh <ecp5|ice40|xilinx> <top> [Param=Value ...]}
top=${2:?usage: fpga_stat.sh <ecp5|ice40|xilinx> <top> [Param=Value ...]}
shift 2
case "$target" in
  ecp5|ice40|xilinx) ;;
  *) echo "fpga_stat.sh: target: '$target' is not one of ecp5, ice40, xilinx" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/rtl_files.sh
source "$root/scripts/lib/rtl_files.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! yosys -q -l "$tmp/log" -p "
  read_verilog -sv -DSYNTHESIS $incs ${pkgs[*]} ${srcs[*]};
  ${chparam}
  hierarchy -check -top $top;
  synth_${target} -top $top ${PNM_SYNTH_FLAGS:-};
  tee -q -o $tmp/stat.json stat -json" >/dev/null; then
  echo "fpga_stat.sh: synth_${target} of $top failed:" >&2
  grep -iE "error" "$tmp/log" | head -10 >&2
  exit 1
fi
python3 - "$target" "$top" "$tmp/stat.json" "$*" <<'PY'
import json, os, re, sys
target, top, path, params = sys.argv[1:5]
# The JSON follows the log text Yosys writes with it; take the object.
text = open(path).read()
stat = json.loads(text[text.index('{'):])
cells = stat["design"]["num_cells_by_type"]
def count(pattern, weight=lambda name: 1):
    return sum(n * weight(c) for c, n in cells.items() if re.fullmatch(pattern, c))
if target == "ecp5":
    luts, ffs = count(r"LUT4"), count(r"TRELLIS_FF")
    brams, dsps, carry = count(r"(PDPW16KD|DP16KD)"), count(r"MULT18X18D"), count(r"CCU2C")
elif target == "ice40":
    luts, ffs = count(r"SB_LUT4"), count(r"SB_DFF.*")
    brams, dsps, carry = count(r"SB_RAM40_4K.*"), count(r"SB_MAC16"), count(r"SB_CARRY")
else:
    luts, ffs = count(r"LUT[1-6]"), count(r"FD[CPRSE]E?")
    brams = count(r"RAMB(18|36)E1", lambda c: 2 if c.startswith("RAMB36") else 1)
    dsps, carry = count(r"DSP48E1"), count(r"CARRY4")
print(json.dumps({"target": target, "top": top, "params": params,
                  "flags": os.environ.get("PNM_SYNTH_FLAGS", ""), "luts": luts, "ffs": ffs,
                  "brams": brams, "dsps": dsps, "carry": carry,
                  "cells": stat["design"]["num_cells"]}))
PY
