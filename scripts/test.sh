#!/usr/bin/env bash
# Set up, build, and run every test (unit, CLI, lint, synthesis) with ctest on two jobs.
# Extra arguments go to ctest (e.g. scripts/test.sh -L unit, or -R fifo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "${PNM_BUILD_DIR:-$root/build}"
exec ctest --output-on-failure -j2 "$@"
