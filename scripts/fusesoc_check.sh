#!/usr/bin/env bash
# Checks the FuseSoC core files (rtl/**/*.core): FuseSoC (pinned, in .venv) parses every one,
# every RTL file belongs to exactly one core, every lint target runs Verilator -Wall clean through
# FuseSoC, and every other target sets up (--setup: edalize writes its build files, no tool runs).
# Used by ctest (fusesoc.cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv_req=fusesoc
# shellcheck source=lib/venv.sh
source "$root/scripts/lib/venv.sh"
fusesoc=("$root/.venv/bin/fusesoc" --cores-root "$root/rtl")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

mapfile -t cores < <(find "$root/rtl" -name '*.core' | sort)
listed=$("${fusesoc[@]}" core list 2>&1)
declare -A file_core=()
for c in "${cores[@]}"; do
  name=$(sed -n 's/^name: *//p' "$c")
  if ! grep -q "^${name} " <<<"$listed"; then
    echo "fusesoc_check: ${c#"$root"/}: core $name was not parsed:" >&2
    grep -iE "error|warn" <<<"$listed" | head -5 >&2
    fail=1
  fi
  # Files of the core: "- name.sv" items and "[a.sv, b.sv]" lists.
  dir=$(dirname "$c")
  for f in $(grep -oE '[A-Za-z0-9_./]+\.sv\b' "$c"); do
    rel=$(realpath --relative-to="$root" "$dir/$f")
    if [ ! -f "$root/$rel" ]; then
      echo "fusesoc_check: ${c#"$root"/}: lists $f, which does not exist" >&2; fail=1
    elif [ -n "${file_core[$rel]:-}" ]; then
      echo "fusesoc_check: $rel is in two cores: ${file_core[$rel]} and $name" >&2; fail=1
    fi
    file_core[$rel]=$name
  done
done
while read -r f; do
  rel=${f#"$root"/}
  if [ -z "${file_core[$rel]:-}" ]; then
    echo "fusesoc_check: $rel is in no core file" >&2; fail=1
  fi
done < <(find "$root/rtl" -name '*.sv')

for c in "${cores[@]}"; do
  name=$(sed -n 's/^name: *//p' "$c")
  vlnv=${name%:*}
  for t in $(awk '/^targets:/{on=1; next} on && /^  [a-z_]+:/{gsub(/[: ]/,""); print}' "$c"); do
    [ "$t" = default ] && continue
    setup=(--setup)
    [[ "$t" == lint* ]] && setup=()
    if "${fusesoc[@]}" run --build-root "$work/${vlnv//:/_}" --target "$t" "${setup[@]}" "$vlnv" \
         >"$work/log" 2>&1; then
      echo "fusesoc_check: $vlnv $t: ok${setup:+ (setup)}"
    else
      echo "fusesoc_check: $vlnv $t: FAILED" >&2
      grep -E "%Error|%Warning|ERROR" "$work/log" | head -8 >&2
      fail=1
    fi
  done
done
exit $fail
