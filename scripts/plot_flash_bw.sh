#!/usr/bin/env bash
# Plots the flash bandwidth benchmark (bench/results/flash_bw_*.csv, written by
# scripts/bench.sh flash_bw / flash_bw_tlc with --csv) into docs/img/flash_bw.png.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/venv.sh
source "$root/scripts/lib/venv.sh"
mkdir -p "$root/docs/img"
"$py" "$root/scripts/plot_flash_bw.py" -o "$root/docs/img/flash_bw.png" \
  "$root"/bench/results/flash_bw_default.csv "$root"/bench/results/flash_bw_tlc*.csv
