#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing. Idempotent and silent when
# everything is present; works as root without a prompt (uses sudo -n otherwise).
set -euo pipefail

PKGS=(verilator yosys cmake ninja-build g++ libgtest-dev libcli11-dev libyaml-cpp-dev zlib1g-dev iverilog python3)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "setup: need root to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
