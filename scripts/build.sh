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
# The filter hides ninja's progress lines and never fails itself; with pipefail a failed build
# fails this script (set -e) with the build's status.
cmake --build "$build" -- -j"$(nproc)" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }
