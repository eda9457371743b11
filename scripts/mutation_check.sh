#!/usr/bin/env bash
# Proves that the tests can fail: applies each injected bug of tests/mutants/mutants.txt to a
# scratch copy of the tree, rebuilds, runs the named tests and expects them to FAIL.
# Usage: scripts/mutation_check.sh [name-regex]. Not part of ctest (it rebuilds models: minutes).
#        scripts/mutation_check.sh --apply-only: only checks that every mutant's sed expression
#        changes its file (no build; the ctest mutants.apply), so an RTL edit cannot silently
#        turn a mutant into a no-op.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--apply-only" ]; then
  bad=0; n=0
  while IFS='|' read -r name file expr tests; do
    [[ "$name" =~ ^[[:space:]]*(#|$) ]] && continue   # comments may hold quotes xargs rejects
    name=$(echo "$name" | xargs); file=$(echo "$file" | xargs)
    expr=$(echo "$expr" | sed 's/^ *//; s/ *$//')
    [[ -z "$name" || "$name" == \#* ]] && continue
    n=$((n + 1))
    if [ ! -f "$root/$file" ]; then
      echo "mutant $name: file '$file' does not exist"; bad=$((bad + 1))
    elif sed "$expr" "$root/$file" | cmp -s - "$root/$file"; then
      echo "mutant $name: sed expression matches nothing in $file"; bad=$((bad + 1))
    fi
  done < "$root/tests/mutants/mutants.txt"
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
cmake --build "$work/build" >/dev/null

caught=0; missed=0; failed_apply=0
printf '%-20s %-36s %s\n' mutant file result
while IFS='|' read -r name file expr tests; do
  [[ "$name" =~ ^[[:space:]]*(#|$) ]] && continue   # comments may hold quotes xargs rejects
  name=$(echo "$name" | xargs); file=$(echo "$file" | xargs); tests=$(echo "$tests" | xargs)
  expr=$(echo "$expr" | sed 's/^ *//; s/ *$//')
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ "$name" =~ $filter ]] || continue
  cp "$work/$file" "$work/$file.orig"
  sed -i "$expr" "$work/$file"
  if cmp -s "$work/$file" "$work/$file.orig"; then
    printf '%-20s %-36s %s\n' "$name" "$file" "NOT APPLIED (sed matched nothing)"
    failed_apply=$((failed_apply + 1))
  elif ! cmake --build "$work/build" >/dev/null 2>&1; then
    printf '%-20s %-36s %s\n' "$name" "$file" "caught (does not build or lint)"
    caught=$((caught + 1))
  elif (cd "$work/build" && ctest -R "$tests" -j2 >"$work/$name.log" 2>&1); then
    printf '%-20s %-36s %s\n' "$name" "$file" "MISSED: tests '$tests' still pass"
    missed=$((missed + 1))
  else
    first=$(grep -m1 -E "^\s*[0-9]+ - " "$work/$name.log" | sed 's/^\s*[0-9]* - //')
    printf '%-20s %-36s %s\n' "$name" "$file" "caught by $first"
    caught=$((caught + 1))
  fi
  mv "$work/$file.orig" "$work/$file"
done < "$root/tests/mutants/mutants.txt"
echo "mutants: $caught caught, $missed missed, $failed_apply not applied"
[ "$missed" -eq 0 ] && [ "$failed_apply" -eq 0 ]
