# Sourced by scripts that need Python packages: makes the project virtual environment .venv
# (python3-venv from Debian if missing) and installs scripts/requirements-plot.txt into it once.
#   in: root   out: py (the environment's python)
if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
fi
if [ ! -x "$root/.venv/bin/python" ]; then
  python3 -m venv "$root/.venv"
fi
py="$root/.venv/bin/python"
stamp="$root/.venv/.requirements-plot"
if ! cmp -s "$root/scripts/requirements-plot.txt" "$stamp" 2>/dev/null; then
  "$py" -m pip install -q -r "$root/scripts/requirements-plot.txt"
  cp "$root/scripts/requirements-plot.txt" "$stamp"
fi
