#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), configures (Release, Ninja) and builds into build/
# (or $PNM_BUILD_DIR). Shared by run.sh and test.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PNM_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -- -j"$(nproc)" | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
# grep hides ninja's progress lines; a failed build still fails (pipefail on cmake's status).
exit "${PIPESTATUS[0]}"
