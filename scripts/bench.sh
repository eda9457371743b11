#!/usr/bin/env bash
# Benchmarks (not tests): builds and runs one, e.g. scripts/bench.sh gemv [args...].
# Each prints one JSON line per point; redirect to keep them (docs/ cite the figures).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: bench.sh <gemv|flash_bw|flash_bw_default|flash_bw_tlc|ring_n2|ring_n4|ring_n8> [args...]}
shift
"$root/scripts/build.sh"
build=${PNM_BUILD_DIR:-$root/build}
cmake --build "$build" --target "bench_$name" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
exec "$build/bench/bench_$name" "$@"
