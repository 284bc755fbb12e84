#!/usr/bin/env bash
# tests/gui/bench.sh: start-up benchmark (not a test): process start to populated list, csd-gui
# against a minimal Win32 window (bench_minimal.exe), both started the same way under Wine + Xvfb
# with the prefix's wineserver kept up; prints medians, the ratio and csd-gui's size and imports.
# Usage: tests/gui/bench.sh BUILD_DIR [RUNS]   (uses BUILD_DIR/wineprefix with the stand-in CryptSvc)
set -euo pipefail
build=$(realpath "${1:?usage: $0 BUILD_DIR [RUNS]}")
runs=${2:-15}
here=$(cd "$(dirname "$0")" && pwd)
prefix=$build/wineprefix
bash "$here/../../tools/wineprefix.sh" "$prefix" up "$build/tests/wine/csd-standin.exe" >/dev/null
export WINEPREFIX=$prefix WINEDEBUG=-all
wine=/usr/lib/wine/wine64
display=
for n in $(seq 300 399); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=:$n; break; fi
done
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid; wait $xvfb_pid 2>/dev/null; bash "$here/../../tools/wineprefix.sh" "$prefix" down "$build/tests/wine/csd-standin.exe" >/dev/null' EXIT
while [ ! -e "/tmp/.X11-unix/X${display#:}" ]; do sleep 0.05; done
export DISPLAY=$display
for exe in csd-gui.exe bench_minimal.exe; do
    "$wine" reg add "HKCU\\Software\\Wine\\AppDefaults\\$exe\\X11 Driver" /v Managed /d N /f >/dev/null 2>&1
done

measure() {   # prints the median wall time in ms of RUNS starts of "$@" (only the program itself is timed)
    local times=() start end
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$wine" "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        times+=( $(( (end - start) / 1000000 )) )
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
# One run first so caches are warm.
measure "$build/tests/gui/bench_minimal.exe" --exit-when-ready >/dev/null
minimal=$(measure "$build/tests/gui/bench_minimal.exe" --exit-when-ready)
full=$(measure "$build/gui/csd-gui.exe" --exit-when-ready)
quick=$(measure "$build/gui/csd-gui.exe" --exit-when-ready --quick)
size=$(stat -c %s "$build/gui/csd-gui.exe")
echo "minimal window:            ${minimal} ms (median of $runs)"
echo "csd-gui, full check:       ${full} ms, ratio $(awk -v a="$full" -v b="$minimal" 'BEGIN { printf "%.2f", a / b }')"
echo "csd-gui --quick (no scan): ${quick} ms, ratio $(awk -v a="$quick" -v b="$minimal" 'BEGIN { printf "%.2f", a / b }')"
echo "csd-gui.exe size:          $size bytes ($(( size / 1024 )) KiB)"
echo "imports: $(x86_64-w64-mingw32-objdump -p "$build/gui/csd-gui.exe" | awk '/DLL Name/ { printf "%s ", $3 }')"
