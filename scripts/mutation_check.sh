#!/usr/bin/env bash
# Proves that the tests can fail: applies each injected bug of tests/mutants/mutants.txt to a
# scratch copy of the tree, rebuilds, runs the named tests and expects them to FAIL.
# Usage: scripts/mutation_check.sh [name-regex]. Not part of ctest (it rebuilds models: minutes).
#        scripts/mutation_check.sh --apply-only: only checks that every mutant's sed expression
#        changes its file (no build; the ctest mutants.apply), so an RTL edit cannot silently
#        turn a mutant into a no-op.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Prints the mutants of tests/mutants/mutants.txt as trimmed name|file|expr|tests lines,
# skipping comments and blank lines (comments may hold quotes xargs rejects).
mutants() {
  while IFS='|' read -r name file expr tests; do
    [[ "$name" =~ ^[[:space:]]*(#|$) ]] && continue
    name=$(echo "$name" | xargs); file=$(echo "$file" | xargs); tests=$(echo "$tests" | xargs)
    expr=$(echo "$expr" | sed 's/^ *//; s/ *$//')
    printf '%s|%s|%s|%s\n' "$name" "$file" "$expr" "$tests"
  done < "$root/tests/mutants/mutants.txt"
}
if [ "${1:-}" = "--apply-only" ]; then
  bad=0; n=0
  while IFS='|' read -r name file expr tests; do
    n=$((n + 1))
    if [ ! -f "$root/$file" ]; then
      echo "mutant $name: file '$file' does not exist"; bad=$((bad + 1))
    elif sed "$expr" "$root/$file" | cmp -s - "$root/$file"; then
      echo "mutant $name: sed expression matches nothing in $file"; bad=$((bad + 1))
    fi
  done < <(mutants)
  echo "mutants: $n listed, $bad do not apply"
  [ "$bad" -eq 0 ]
  exit
fi
filter=${1:-.}
work=${PNM_MUTATION_DIR:-/tmp/pnm-mutation}
"$root/scripts/setup.sh"
rm -rf "$work"
mkdir -p "$work"
# A copy of the tracked tree plus the working-tree edits, so uncommitted changes are checked too.
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work")
cmake -S "$work" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
# The build targets a mutant's tests need: test_<name> for a regex "^<name>\." when that
# target exists (one Verilated model and its test), else everything (e.g. the cli tests). A
# full build is about half an hour here, one model a few minutes.
all_targets=$(ninja -C "$work/build" -t targets all | cut -d: -f1)
targets_for() {
  local prefix
  prefix=$(sed -n 's/^\^\([A-Za-z0-9_]*\)\\\{0,1\}\..*/\1/p' <<<"$1")  # xargs drops the \ of \.
  if [ -n "$prefix" ] && grep -qx "test_$prefix" <<<"$all_targets"; then echo "test_$prefix"
  else echo all; fi
}
declare -A need=()
while IFS='|' read -r name file expr tests; do
  [[ "$name" =~ $filter ]] && need[$(targets_for "$tests")]=1
done < <(mutants)
[ -n "${need[all]:-}" ] && need=([all]=1)
echo "mutation_check: building ${!need[*]}"
cmake --build "$work/build" --target "${!need[@]}" >/dev/null

caught=0; missed=0; failed_apply=0; broken=0
printf '%-20s %-36s %s\n' mutant file result
while IFS='|' read -r name file expr tests; do
  [[ "$name" =~ $filter ]] || continue
  cp "$work/$file" "$work/$file.orig"
  sed -i "$expr" "$work/$file"
  if cmp -s "$work/$file" "$work/$file.orig"; then
    printf '%-20s %-36s %s\n' "$name" "$file" "NOT APPLIED (sed matched nothing)"
    failed_apply=$((failed_apply + 1))
  elif ! cmake --build "$work/build" --target "$(targets_for "$tests")" >/dev/null 2>&1; then
    # A mutant that breaks the build or lint (e.g. leaves a signal unused) proves nothing about
    # the tests: it must be rewritten to keep the design lint-clean.
    printf '%-20s %-36s %s\n' "$name" "$file" "BROKEN: does not build or lint (proves nothing)"
    broken=$((broken + 1))
  elif (cd "$work/build" && ctest -R "$tests" -j2 >"$work/$name.log" 2>&1); then
    printf '%-20s %-36s %s\n' "$name" "$file" "MISSED: tests '$tests' still pass"
    missed=$((missed + 1))
  else
    first=$(grep -m1 -E "^\s*[0-9]+ - " "$work/$name.log" | sed 's/^\s*[0-9]* - //')
    printf '%-20s %-36s %s\n' "$name" "$file" "caught by $first"
    caught=$((caught + 1))
  fi
  mv "$work/$file.orig" "$work/$file"
done < <(mutants)
echo "mutants: $caught caught, $missed missed, $failed_apply not applied, $broken do not build"
[ "$missed" -eq 0 ] && [ "$failed_apply" -eq 0 ] && [ "$broken" -eq 0 ]
