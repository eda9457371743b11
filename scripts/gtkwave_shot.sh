#!/usr/bin/env bash
# Screenshot of a wave in its generated GTKWave view (docs/waves.md), under a virtual X server.
# Usage: scripts/gtkwave_shot.sh WAVE.fst OUT.png [SECONDS_TO_LOAD]
# Installs gtkwave, xvfb and imagemagick (Debian) if missing. The view is WAVE's .gtkw.
set -euo pipefail
wave=${1:?usage: gtkwave_shot.sh WAVE.fst OUT.png [SECONDS]}
out=${2:?usage: gtkwave_shot.sh WAVE.fst OUT.png [SECONDS]}
wait_s=${3:-8}
view="${wave%.*}.gtkw"
[ -f "$wave" ] || { echo "gtkwave_shot: $wave: no such file" >&2; exit 2; }
[ -f "$view" ] || { echo "gtkwave_shot: $view: no such file (written beside every wave)" >&2; exit 2; }
if ! command -v gtkwave >/dev/null || ! command -v Xvfb >/dev/null || ! command -v import >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gtkwave xvfb imagemagick >/dev/null
fi
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1600x900x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $gw $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display gtkwave "$wave" "$view" >/dev/null 2>&1 &
gw=$!
sleep "$wait_s"
DISPLAY=$display import -window root "$out"
echo "$out"
