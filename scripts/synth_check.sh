#!/usr/bin/env bash
# Yosys synthesis check of one RTL top: usage synth_check.sh <top> [Param=Value ...]
# Reads every RTL file, fails on parse/elaboration errors, on any inferred latch, and on problems
# found by `check`; prints the cell counts. Used by ctest (synth.*).
set -euo pipefail
top=${1:?usage: synth_check.sh <top> [Param=Value ...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/rtl_files.sh
source "$root/scripts/lib/rtl_files.sh"
log=$(mktemp)
stat=$(mktemp)
trap 'rm -f "$log" "$stat"' EXIT
if ! yosys -q -l "$log" -p "
  read_verilog -sv -DSYNTHESIS $incs ${pkgs[*]} ${srcs[*]};
  ${chparam}
  hierarchy -check -top $top;
  proc;
  select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr;
  synth -top $top;
  check -assert;
  tee -q -o $stat stat" >/dev/null; then
  echo "synth_check: $top failed (latch, error or check problem):" >&2
  grep -iE "error|latch|warning|assert" "$log" | head -20 >&2
  exit 1
fi
grep -vE '^\s*$' "$stat"
echo "synth_check: $top OK (no latches, check clean)"
