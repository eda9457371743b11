#!/usr/bin/env bash
# The main job: set up, build, then pnmsim on the default configuration (extra arguments are
# passed to pnmsim, e.g. scripts/run.sh --model sim_configs/models/llama3_8b.yaml).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "$root"
exec "${PNM_BUILD_DIR:-$root/build}/pnmsim" --config sim_configs/default.yaml \
  --model sim_configs/models/llama2_7b.yaml "$@"
