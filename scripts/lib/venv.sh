# Sourced by scripts that need Python packages: makes the project virtual environment .venv
# (python3-venv from Debian if missing) and installs scripts/requirements-$venv_req.txt into it
# once per change of that file.
#   in: root, venv_req (plot | fpga; default plot)   out: py (the environment's python)
venv_req=${venv_req:-plot}
if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
fi
if [ ! -x "$root/.venv/bin/python" ]; then
  python3 -m venv "$root/.venv"
fi
py="$root/.venv/bin/python"
stamp="$root/.venv/.requirements-$venv_req"
if ! cmp -s "$root/scripts/requirements-$venv_req.txt" "$stamp" 2>/dev/null; then
  "$py" -m pip install -q -r "$root/scripts/requirements-$venv_req.txt"
  cp "$root/scripts/requirements-$venv_req.txt" "$stamp"
fi
