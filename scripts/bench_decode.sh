#!/usr/bin/env bash
# Decode benchmark (not a test): pnmsim over node counts and batch sizes, one JSON report per
# point in bench/results/decode/ and one summary line per point on stdout.
#   scripts/bench_decode.sh [--nodes "1 2 4 8"] [--batch "1 2 4"] [--model M] [--layers L] [--tokens T]
# Node counts other than 4 build pnmsim_n<N> first (a Verilated system each: minutes on 2 cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PNM_BUILD_DIR:-$root/build}
nodes="1 2 4 8"; batches="1 2 4"; model=sim_configs/models/llama2_7b.yaml; layers=1; tokens=1
while [ $# -gt 0 ]; do
  case $1 in
    --nodes) nodes=$2; shift 2 ;;
    --batch) batches=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    --tokens) tokens=$2; shift 2 ;;
    *) echo "bench_decode.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
"$root/scripts/build.sh"
out=$root/bench/results/decode
mkdir -p "$out"
cd "$root"
for n in $nodes; do
  exe=pnmsim
  if [ "$n" != 4 ]; then
    exe=pnmsim_n$n
    cmake --build "$build" --target "$exe" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }
  fi
  # The default system with another node count.
  cfg=$(mktemp --suffix=.yaml)
  sed "s/^  nodes: 4/  nodes: $n/" sim_configs/default.yaml > "$cfg"
  for b in $batches; do
    name=$(basename "$model" .yaml)_n${n}_b${b}_l${layers}
    "$build/$exe" --config "$cfg" --model "$model" --batch "$b" --layers "$layers" --tokens "$tokens" \
      --report "$out/$name.json" > "$out/$name.txt" || true
    python3 - "$out/$name.json" "$n" "$b" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({"nodes": int(sys.argv[2]), "batch": int(sys.argv[3]), "layers": r["layers"], "pass": r["pass"],
                  "cycles_per_token": r["cycles_per_token"], "tokens_per_s": r["tokens_per_s"], "mbu": r["mbu"],
                  "bubbles": r["bubbles"], "wall_s": r["wall_s"]}))
PY
  done
  rm -f "$cfg"
done
