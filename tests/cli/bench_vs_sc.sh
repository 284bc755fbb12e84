#!/usr/bin/env bash
# tests/cli/bench_vs_sc.sh BUILD [RUNS]: a benchmark, not a test: `csd check` against `sc query CryptSvc`,
# run the same way (wine64, same prefix, server kept up, output to a pipe), alternating, RUNS times each.
# Prints the median wall time of each and the ratio (target <= 1.5). Also --quick and --summary.
set -euo pipefail
build=${1:?usage: bench_vs_sc.sh BUILD_DIR [RUNS]}
runs=${2:-21}
export WINEPREFIX=$build/wineprefix WINEDEBUG=-all
wine=/usr/lib/wine/wine64
bash "$(dirname "$0")/../../tools/wineprefix.sh" "$WINEPREFIX" up "$build/tests/wine/csd-standin.exe" >/dev/null
"$wine" sc.exe start RpcSs >/dev/null 2>&1 || true   # as Windows has it; Wine starts it on demand

declare -A commands=(
  [sc]="sc.exe query CryptSvc"
  [check]="$build/cli/csd.exe check"
  [quick]="$build/cli/csd.exe check --quick"
  [summary]="$build/cli/csd.exe check --summary"
  [help]="$build/cli/csd.exe --help"
)
declare -A times
for name in "${!commands[@]}"; do "$wine" ${commands[$name]} >/dev/null; done   # warm the page cache
for ((i = 0; i < runs; i++)); do
  for name in sc check quick summary help; do
    start=$(date +%s%N)
    "$wine" ${commands[$name]} | cat >/dev/null
    end=$(date +%s%N)
    times[$name]+="$(( (end - start) / 1000 )) "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
sc=$(echo "${times[sc]}" | median)
for name in sc check quick summary help; do
  m=$(echo "${times[$name]}" | median)
  awk -v n="$name" -v m="$m" -v sc="$sc" 'BEGIN {printf "%-8s median %7.1f ms   ratio to sc query %.2f\n", n, m / 1000, m / sc}'
done
