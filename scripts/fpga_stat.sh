#!/usr/bin/env bash
# FPGA resource estimate of one RTL top with Yosys (synthesis only, no place and route):
#   scripts/fpga_stat.sh <ecp5|ice40|xilinx> <top> [Param=Value ...]
# Prints one JSON line: {"target","top","params","flags","luts","ffs","brams","dsps","lutram","carry","cells"}.
# Counts as scripts/lib/fpga_stat.py says. The board flow with place and route is scripts/fpga.sh.
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
PYTHONPATH="$root/scripts/lib" python3 - "$target" "$top" "$tmp/stat.json" "$*" <<'PY'
import json, os, sys
from fpga_stat import counts, load_stat
target, top, path, params = sys.argv[1:5]
print(json.dumps({"target": target, "top": top, "params": params,
                  "flags": os.environ.get("PNM_SYNTH_FLAGS", ""),
                  **counts(target, load_stat(path))}))
PY
