#!/usr/bin/env bash
# The main job: set up, build, then pnmsim on the default configuration: Llama-2-7B shapes on the
# default 4-node system, one token, its first eight layers and the LM head (about 7.1 M simulated
# cycles: 30 to 45 s on the 2-core machine with the split model on two threads; a whole 32-layer
# token takes about 2 minutes, see docs/performance.md). Extra arguments go to pnmsim and
# override these, e.g.
#   scripts/run.sh --layers 4 --report r.json
#   scripts/run.sh --model sim_configs/models/tiny.yaml --tokens 8
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "$root"
exec "${PNM_BUILD_DIR:-$root/build}/pnmsim" --config sim_configs/default.yaml \
  --model sim_configs/models/llama2_7b.yaml --tokens 1 --layers 8 --threads auto "$@"
