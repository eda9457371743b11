#!/usr/bin/env bash
# CLI test helper: expect.sh <exit code> <regex over stdout+stderr> [--lines N] -- <command...>
# Passes when the command exits with the code and its output matches; with --lines N, stderr
# must also be exactly N lines (bad input gets one line).
set -u
want=$1; pattern=$2; shift 2
lines=""
if [ "$1" = "--lines" ]; then lines=$2; shift 2; fi
[ "$1" = "--" ] && shift
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
rc=$?
status=0
if [ "$rc" != "$want" ]; then echo "exit code $rc, expected $want"; status=1; fi
if ! cat "$out" "$err" | grep -Eq -- "$pattern"; then echo "output does not match /$pattern/"; status=1; fi
if [ -n "$lines" ] && [ "$(wc -l <"$err")" != "$lines" ]; then
  echo "stderr has $(wc -l <"$err") lines, expected $lines"; status=1
fi
if [ $status -ne 0 ]; then echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; fi
exit $status
