#!/usr/bin/env bash
# tests/gui/run_wine_gui.sh: runs a Windows GUI program under Wine on a private Xvfb display.
# Usage: tests/gui/run_wine_gui.sh PREFIX_DIR PROGRAM.exe [ARGS...]; exits with the program's code.
# With no window manager, Wine waits up to 2 s for one on every hide/destroy of a managed
# window; the per-program key "X11 Driver\Managed=N" (this program only) skips that wait.
# CSD_XVFB_SIZE: the screen, default 1280x1024x24. Only the Xvfb it started is stopped.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 PREFIX_DIR PROGRAM.exe [ARGS...]" >&2; exit 2; }
prefix=$(realpath -m "$1"); exe=$2; shift 2
[ -d "$prefix" ] || { echo "run_wine_gui.sh: no such prefix: $prefix" >&2; exit 2; }
[ "$prefix" != "$(realpath -m "$HOME/.wine")" ] || { echo "run_wine_gui.sh: refusing ~/.wine" >&2; exit 2; }
command -v Xvfb >/dev/null || { echo "run_wine_gui.sh: Xvfb is not installed" >&2; exit 2; }
wine=/usr/lib/wine/wine64
export WINEPREFIX=$prefix WINEDEBUG=${WINEDEBUG:--all}

display=
for n in $(seq 200 299); do
    if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=:$n; break; fi
done
[ -n "$display" ] || { echo "run_wine_gui.sh: no free display between :200 and :299" >&2; exit 2; }
log=$(mktemp "${TMPDIR:-/tmp}/csd-xvfb.XXXXXX")
Xvfb "$display" -screen 0 "${CSD_XVFB_SIZE:-1280x1024x24}" -nolisten tcp >"$log" 2>&1 &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
    [ -e "/tmp/.X11-unix/X${display#:}" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || { cat "$log" >&2; exit 2; }
    sleep 0.05
done
export DISPLAY=$display

"$wine" reg add "HKCU\\Software\\Wine\\AppDefaults\\$(basename "$exe")\\X11 Driver" /v Managed /d N /f >/dev/null 2>&1 || true
"$wine" "$exe" "$@"
